CALL () {
  MATCH (n:Entity)
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Entity)
  WHERE n.nameKey IS NOT NULL AND n.id IS NOT NULL
  WITH n
  ORDER BY n.nameKey, n.id
  LIMIT $limit
  RETURN collect(n {.id, .kind, .name, .aliases, .description, .sourceIds, .createdAt, .updatedAt, .type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson}) AS page
}
RETURN total, page
