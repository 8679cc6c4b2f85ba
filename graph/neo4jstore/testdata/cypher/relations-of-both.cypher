UNWIND $ids AS id
MATCH (e:Entity {id: id})
CALL (e) {
  MATCH (e)-[r]-(o:Entity)
  RETURN count(DISTINCT r) AS total
}
CALL (e) {
  MATCH (e)-[r]-(o:Entity)
  WITH DISTINCT r
  ORDER BY r.id
  LIMIT $limit
  RETURN collect({rel: r, fromId: startNode(r).id, toId: endNode(r).id}) AS page
}
RETURN id, total, page
