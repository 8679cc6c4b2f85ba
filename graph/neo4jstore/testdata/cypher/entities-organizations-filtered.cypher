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
    AND n.nameKey IS NOT NULL AND n.id IS NOT NULL
  WITH n
  ORDER BY n.nameKey, n.id
  LIMIT $limit
  RETURN collect(n {.id, .kind, .name, .aliases, .description, .sourceIds, .createdAt, .updatedAt, .type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson}) AS page
}
RETURN total, page
