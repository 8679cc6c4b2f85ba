CALL () {
  MATCH (n:Source)
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Source)
  WITH n
  ORDER BY n.publishedStart, n.id
  LIMIT $limit
  RETURN collect(n) AS page
}
RETURN total, page
