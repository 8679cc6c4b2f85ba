CALL () {
  UNWIND $ids AS id
  MATCH (n:Entity {id: id})
  RETURN collect(n {.id, .kind, .name, .aliases, .description, .sourceIds, .createdAt, .updatedAt, .type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson}) AS nodes
}
CALL () {
  MATCH (a:Entity)-[r:OWNS_BRAND|LOCATED_IN]->(b:Entity)
  WHERE a.id IN $ids AND b.id IN $ids AND (r.spanStart IS NULL OR r.spanStart < $asOfEnd) AND (r.spanEnd IS NULL OR r.spanEnd > $asOfStart)
  WITH a, r, b
  ORDER BY r.id
  LIMIT $relLimit
  RETURN collect({rel: r {.id, .status, .validFrom, .validTo, .quantity, .note, .sourceIds, .createdAt, .updatedAt, type: type(r)}, fromId: a.id, toId: b.id}) AS rels
}
RETURN nodes, rels
