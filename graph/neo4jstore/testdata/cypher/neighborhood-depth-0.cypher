MATCH (c:Entity {id: $id})
WITH [c] AS nodes, [c] AS frontier, false AS truncated
CALL (nodes) {
  UNWIND nodes AS a
  MATCH (a)-[r]->(b:Entity)
  WHERE b IN nodes
  WITH a, r, b
  ORDER BY r.id
  LIMIT $relLimit
  RETURN collect({rel: r {.id, .status, .validFrom, .validTo, .quantity, .note, .sourceIds, .createdAt, .updatedAt, type: type(r)}, fromId: a.id, toId: b.id}) AS rels
}
RETURN [n IN nodes | n {.id, .kind, .name, .aliases, .description, .sourceIds, .createdAt, .updatedAt, .type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson}] AS nodes, truncated, rels
