CALL () {
  MATCH (n:Entity)
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Entity)
  WHERE (n.updatedAt > $afterTime OR (n.updatedAt = $afterTime AND n.id > $afterId))
  WITH n
  ORDER BY n.updatedAt, n.id
  LIMIT $limit
  RETURN collect(n {.id, .kind, .name, .aliases, .description, .sourceIds, .createdAt, .updatedAt, .type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson}) AS page
}
RETURN total, page
