MATCH (c:Entity {id: $id})
WITH [c] AS nodes, [c] AS frontier, false AS truncated
CALL (nodes, frontier, truncated) {
  UNWIND frontier AS f
  MATCH (f)-[r]-(o:Entity)
  WHERE NOT truncated AND NOT o IN nodes AND (r.spanStart IS NULL OR r.spanStart < $asOfEnd) AND (r.spanEnd IS NULL OR r.spanEnd > $asOfStart)
  WITH DISTINCT o
  ORDER BY o.id
  LIMIT $limit
  RETURN collect(o) AS next
}
WITH nodes, next, truncated, $limit - size(nodes) AS room
WITH nodes + next[..room] AS nodes, next[..room] AS frontier, truncated OR size(next) > room AS truncated
CALL (nodes) {
  UNWIND nodes AS a
  MATCH (a)-[r]->(b:Entity)
  WHERE b IN nodes AND (r.spanStart IS NULL OR r.spanStart < $asOfEnd) AND (r.spanEnd IS NULL OR r.spanEnd > $asOfStart)
  WITH a, r, b
  ORDER BY r.id
  LIMIT $relLimit
  RETURN collect({rel: r {.id, .status, .validFrom, .validTo, .quantity, .note, .sourceIds, .createdAt, .updatedAt, type: type(r)}, fromId: a.id, toId: b.id}) AS rels
}
RETURN [n IN nodes | n {.id, .kind, .type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson}] AS nodes, truncated, rels
