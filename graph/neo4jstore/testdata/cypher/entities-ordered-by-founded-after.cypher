CALL () {
  MATCH (n:Entity)
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Entity)
  WHERE (CASE WHEN n.founded IS NULL THEN $keyUnknown ELSE $keyKnown + n.founded END > $afterKey OR (CASE WHEN n.founded IS NULL THEN $keyUnknown ELSE $keyKnown + n.founded END = $afterKey AND n.id > $afterId))
  WITH n
  ORDER BY CASE WHEN n.founded IS NULL THEN $keyUnknown ELSE $keyKnown + n.founded END, n.id
  LIMIT $limit
  RETURN collect(n {.id, .kind, .name, .aliases, .description, .sourceIds, .createdAt, .updatedAt, .type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson}) AS page
}
RETURN total, page
