CALL () {
  MATCH (n:Entity)
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Entity)
  WHERE n.id < $afterId
  WITH n
  ORDER BY n.id DESC
  LIMIT $limit
  RETURN collect(n) AS page
}
RETURN total, page
