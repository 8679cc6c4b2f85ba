CALL () {
  MATCH (n:Brand)
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Brand)
  WHERE n.nameKey >= $afterKey AND n.id IS NOT NULL AND (n.nameKey > $afterKey OR n.id > $afterId)
  WITH n
  ORDER BY n.nameKey, n.id
  LIMIT $limit
  RETURN collect(n {.id, .kind, .name, .aliases, .description, .sourceIds, .createdAt, .updatedAt, .type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson}) AS page
}
RETURN total, page
