CALL () {
  MATCH (a:Entity)-[r]->(b:Entity)
  RETURN count(r) AS total
}
CALL () {
  MATCH (a:Entity)-[r]->(b:Entity)
  WHERE (CASE WHEN r.validTo IS NULL THEN $keyUnknown ELSE $keyKnown + r.validTo END > $afterKey OR (CASE WHEN r.validTo IS NULL THEN $keyUnknown ELSE $keyKnown + r.validTo END = $afterKey AND r.id > $afterId))
  WITH a, r, b
  ORDER BY CASE WHEN r.validTo IS NULL THEN $keyUnknown ELSE $keyKnown + r.validTo END, r.id
  LIMIT $limit
  RETURN collect({rel: r {.id, .status, .validFrom, .validTo, .quantity, .note, .sourceIds, .createdAt, .updatedAt, type: type(r)}, fromId: a.id, toId: b.id}) AS page
}
RETURN total, page
