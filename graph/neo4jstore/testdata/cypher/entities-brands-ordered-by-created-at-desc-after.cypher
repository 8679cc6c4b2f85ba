CALL () {
  MATCH (n:Brand)
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Brand)
  WHERE (n.createdAt < $afterTime OR (n.createdAt = $afterTime AND n.id < $afterId))
  WITH n
  ORDER BY n.createdAt DESC, n.id DESC
  LIMIT $limit
  RETURN collect(n {.id, .kind, .name, .aliases, .description, .sourceIds, .createdAt, .updatedAt, .type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson}) AS page
}
RETURN total, page
