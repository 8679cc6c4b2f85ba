CALL () {
  MATCH (n:Source)
  WHERE coalesce(n.publisherId, '') IN $publisherIds
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Source)
  WHERE coalesce(n.publisherId, '') IN $publisherIds
  WITH n
  ORDER BY n.publishedStart, n.id
  LIMIT $limit
  RETURN collect(n) AS page
}
RETURN total, page
