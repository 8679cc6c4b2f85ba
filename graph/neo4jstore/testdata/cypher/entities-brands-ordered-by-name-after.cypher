CALL () {
  MATCH (n:Brand)
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Brand)
  WHERE (n.nameKey > $afterKey OR (n.nameKey = $afterKey AND n.id > $afterId))
  WITH n
  ORDER BY n.nameKey, n.id
  LIMIT $limit
  RETURN collect(n) AS page
}
RETURN total, page
