UNWIND $ids AS id
MATCH (e:Entity {id: id})
CALL (e) {
  MATCH (e)<-[r:HAS_MODEL]-(o:Entity)
  WITH r, o
  ORDER BY r.id
  LIMIT $limit
  RETURN collect({rel: r {.id, .status, .validFrom, .validTo, .quantity, .note, .sourceIds, .createdAt, .updatedAt, type: type(r)}, fromId: startNode(r).id, toId: endNode(r).id, end: o {.id, .kind, .name, .aliases, .description, .sourceIds, .createdAt, .updatedAt, .type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson}}) AS page
}
CALL (e, page) {
  WITH page
  WHERE size(page) < $limit
  RETURN size(page) AS total
  UNION ALL
  WITH e, page
  WHERE size(page) >= $limit
  MATCH (e)<-[r:HAS_MODEL]-(o:Entity)
  WITH e, count(r) AS total
  RETURN total
}
RETURN id, total, page
