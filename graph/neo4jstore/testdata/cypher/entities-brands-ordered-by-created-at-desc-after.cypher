CALL () {
  MATCH (n:Brand)
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Brand)
  WHERE (n.createdAt < $afterTime OR (n.createdAt = $afterTime AND n.id < $afterId))
  WITH n
  ORDER BY n.createdAt DESC, n.id DESC
  LIMIT $limit
  RETURN collect(n) AS page
}
RETURN total, page
