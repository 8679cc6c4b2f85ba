UNWIND $ids AS id
MATCH (e:Entity {id: id})
CALL (e) {
  MATCH (e)-[r]->(o:Entity)
  RETURN count(r) AS total
}
RETURN id, total, [] AS page
