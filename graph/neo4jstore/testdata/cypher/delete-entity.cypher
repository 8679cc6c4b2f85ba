MATCH (n:Entity {id: $id})
CALL (n) {
  OPTIONAL MATCH (n)-[r]-()
  RETURN count(DISTINCT r) AS relations
}
DETACH DELETE n
RETURN relations
