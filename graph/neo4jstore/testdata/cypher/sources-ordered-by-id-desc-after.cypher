CALL () {
  MATCH (n:Source)
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Source)
  WHERE n.id < $afterId
  WITH n
  ORDER BY n.id DESC
  LIMIT $limit
  RETURN collect(n) AS page
}
RETURN total, page
