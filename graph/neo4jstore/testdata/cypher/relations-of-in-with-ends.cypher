UNWIND $ids AS id
MATCH (e:Entity {id: id})
CALL (e) {
  MATCH (e)<-[r:HAS_MODEL]-(o:Entity)
  RETURN count(DISTINCT r) AS total
}
CALL (e) {
  MATCH (e)<-[r:HAS_MODEL]-(o:Entity)
  WITH DISTINCT r, o
  ORDER BY r.id
  LIMIT $limit
  RETURN collect({rel: r, fromId: startNode(r).id, toId: endNode(r).id, end: o}) AS page
}
RETURN id, total, page
