CALL () {
  MATCH (n:Organization)
  WHERE n.id IN $ids
    AND n.searchText CONTAINS $nameContains
    AND coalesce(n.type, '') IN $attr0
    AND coalesce(n.countryId, '') IN $attr1
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Organization)
  WHERE n.id IN $ids
    AND n.searchText CONTAINS $nameContains
    AND coalesce(n.type, '') IN $attr0
    AND coalesce(n.countryId, '') IN $attr1
  WITH n
  ORDER BY n.nameKey, n.id
  LIMIT $limit
  RETURN collect(n) AS page
}
RETURN total, page
