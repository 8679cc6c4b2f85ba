UNWIND $ids AS id
MATCH (e:Entity {id: id})
CALL (e) {
  MATCH (e)<-[r]-(o:Entity)
  RETURN count(r) AS total
}
CALL (e) {
  MATCH (e)<-[r]-(o:Entity)
  WHERE (type(r) < $afterKey OR (type(r) = $afterKey AND r.id < $afterId))
  WITH r
  ORDER BY type(r) DESC, r.id DESC
  LIMIT $limit
  RETURN collect({rel: r {.id, .status, .validFrom, .validTo, .quantity, .note, .sourceIds, .createdAt, .updatedAt, type: type(r)}, fromId: startNode(r).id, toId: endNode(r).id}) AS page
}
RETURN id, total, page
