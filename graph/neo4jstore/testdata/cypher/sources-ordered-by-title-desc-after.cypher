CALL () {
  MATCH (n:Source)
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Source)
  WHERE (n.titleKey < $afterKey OR (n.titleKey = $afterKey AND n.id < $afterId))
  WITH n
  ORDER BY n.titleKey DESC, n.id DESC
  LIMIT $limit
  RETURN collect(n) AS page
}
RETURN total, page
