CALL () {
  MATCH (n:Entity)
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Entity)
  WHERE (n.nameKey < $afterKey OR (n.nameKey = $afterKey AND n.id < $afterId))
  WITH n
  ORDER BY n.nameKey DESC, n.id DESC
  LIMIT $limit
  RETURN collect(n) AS page
}
RETURN total, page
