CALL () {
  MATCH (a:Entity)-[r]->(b:Entity)
  RETURN count(r) AS total
}
CALL () {
  MATCH (a:Entity)-[r]->(b:Entity)
  WITH type(r) AS value, count(*) AS n
  ORDER BY value
  RETURN collect({value: value, count: n}) AS countByTYPE
}
RETURN total, [] AS page, countByTYPE
