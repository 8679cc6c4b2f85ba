MATCH (c:Entity {id: $id})
WITH [c] AS nodes, [c] AS frontier, false AS truncated
CALL (nodes, frontier, truncated) {
  UNWIND frontier AS f
  MATCH (f)-[r]-(o:Entity)
  WHERE NOT truncated AND NOT o IN nodes
  WITH DISTINCT o
  ORDER BY o.id
  LIMIT $limit
  RETURN collect(o) AS next
}
WITH nodes, next, truncated, $limit - size(nodes) AS room
WITH nodes + next[..room] AS nodes, next[..room] AS frontier, truncated OR size(next) > room AS truncated
CALL (nodes, frontier, truncated) {
  UNWIND frontier AS f
  MATCH (f)-[r]-(o:Entity)
  WHERE NOT truncated AND NOT o IN nodes
  WITH DISTINCT o
  ORDER BY o.id
  LIMIT $limit
  RETURN collect(o) AS next
}
WITH nodes, next, truncated, $limit - size(nodes) AS room
WITH nodes + next[..room] AS nodes, next[..room] AS frontier, truncated OR size(next) > room AS truncated
CALL (nodes) {
  UNWIND nodes AS a
  MATCH (a)-[r]->(b:Entity)
  WHERE b IN nodes
  WITH r
  LIMIT $relLimit
  RETURN count(r) AS relCount
}
RETURN [n IN nodes | n {.id, .kind, .type, .name}] AS nodes, truncated OR relCount >= $relLimit AS truncated, [] AS rels
