CALL () {
  MATCH (n:Organization)
  WHERE coalesce(n.countryId, '') IN $attr0
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Organization)
  WHERE coalesce(n.countryId, '') IN $attr0
    AND n.nameKey IS NOT NULL AND n.id IS NOT NULL
  WITH n
  ORDER BY n.nameKey, n.id
  LIMIT $limit
  RETURN collect(n {.id, .kind, .name, .aliases, .description, .sourceIds, .createdAt, .updatedAt, .type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson}) AS page
}
CALL () {
  MATCH (n:Organization)
  WHERE coalesce(n.countryId, '') IN $attr0
  WITH coalesce(n.countryId, '') AS value, count(*) AS c
  WHERE value <> ''
  ORDER BY value
  RETURN collect({value: value, count: c}) AS countByCOUNTRY
}
CALL () {
  MATCH (n:Organization)
  WHERE coalesce(n.countryId, '') IN $attr0
  WITH n.kind AS value, count(*) AS c
  WHERE value <> ''
  ORDER BY value
  RETURN collect({value: value, count: c}) AS countByKIND
}
CALL () {
  MATCH (n:Organization)
  WHERE coalesce(n.countryId, '') IN $attr0
  WITH coalesce(n.ownership, '') AS value, count(*) AS c
  WHERE value <> ''
  ORDER BY value
  RETURN collect({value: value, count: c}) AS countByOWNERSHIP
}
CALL () {
  MATCH (n:Organization)
  WHERE coalesce(n.countryId, '') IN $attr0
  WITH coalesce(n.type, '') AS value, count(*) AS c
  WHERE value <> ''
  ORDER BY value
  RETURN collect({value: value, count: c}) AS countByTYPE
}
CALL () {
  MATCH (n:Organization)
  WHERE coalesce(n.countryId, '') IN $attr0
  RETURN min(n.founded) AS minFounded, max(n.founded) AS maxFounded
}
RETURN total, page, countByCOUNTRY, countByKIND, countByOWNERSHIP, countByTYPE, minFounded, maxFounded
