CALL () {
  MATCH (n:Entity)
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Entity)
  WITH n
  ORDER BY n.nameKey, n.id
  LIMIT $limit
  RETURN collect(n) AS page
}
RETURN total, page
