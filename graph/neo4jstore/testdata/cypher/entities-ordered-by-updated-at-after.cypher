CALL () {
  MATCH (n:Entity)
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Entity)
  WHERE (n.updatedAt > $afterTime OR (n.updatedAt = $afterTime AND n.id > $afterId))
  WITH n
  ORDER BY n.updatedAt, n.id
  LIMIT $limit
  RETURN collect(n) AS page
}
RETURN total, page
