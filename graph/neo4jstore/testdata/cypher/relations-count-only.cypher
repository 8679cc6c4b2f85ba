CALL () {
  MATCH (a:Entity)-[r]->(b:Entity)
  WHERE r.status IN $status
  RETURN count(r) AS total
}
RETURN total, [] AS page
