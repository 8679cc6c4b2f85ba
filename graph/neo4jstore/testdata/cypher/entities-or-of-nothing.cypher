CALL () {
  MATCH (n:Entity)
  WHERE false
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Entity)
  WHERE false
  WITH n
  ORDER BY n.nameKey, n.id
  LIMIT $limit
  RETURN collect(n) AS page
}
RETURN total, page
