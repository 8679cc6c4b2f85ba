UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
CALL (a, b) {
  MATCH p = shortestPath((b)-[:LOCATED_IN*]->(a))
  RETURN [n IN nodes(p) | n.id] AS chain
  LIMIT 1
}
RETURN row.i AS i, row.id AS id, chain
ORDER BY i
LIMIT 1
