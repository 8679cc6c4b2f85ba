UNWIND $ids AS id
MATCH (e:Entity {id: id})
CALL (e) {
  MATCH (e)-[r:OWNS_BRAND]->(o0:Entity)
  WHERE (r.spanStart IS NULL OR r.spanStart < $l0_asOfEnd) AND (r.spanEnd IS NULL OR r.spanEnd > $l0_asOfStart)
  WITH r, o0
  ORDER BY r.id
  LIMIT $l0_limit
  WITH o0, {rel: r {.id, .status, .validFrom, .validTo, .quantity, .note, .sourceIds, .createdAt, .updatedAt, type: type(r)}, fromId: startNode(r).id, toId: endNode(r).id, end: o0 {.id, .kind, .name, .aliases, .description, .sourceIds, .createdAt, .updatedAt, .type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson}} AS l0_item
  CALL (o0) {
    MATCH (o0)-[r:HAS_MODEL]->(o1:Entity)
    WITH r, o1
    ORDER BY r.id
    LIMIT $l1_limit
    WITH o1, {rel: r {.id, .status, .validFrom, .validTo, .quantity, .note, .sourceIds, .createdAt, .updatedAt, type: type(r)}, fromId: startNode(r).id, toId: endNode(r).id, end: o1 {.id, .kind, .name, .aliases, .description, .sourceIds, .createdAt, .updatedAt, .type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson}} AS l1_item
    RETURN collect(l1_item) AS l1_page
  }
  CALL (o0, l1_page) {
    WITH l1_page
    WHERE size(l1_page) < $l1_limit
    RETURN size(l1_page) AS l1_total
    UNION ALL
    WITH o0, l1_page
    WHERE size(l1_page) >= $l1_limit
    MATCH (o0)-[r:HAS_MODEL]->(o1:Entity)
    WITH o0, count(r) AS l1_total
    RETURN l1_total
  }
  RETURN collect(l0_item {.*, next: [{total: l1_total, page: l1_page}]}) AS l0_page
}
CALL (e, l0_page) {
  WITH l0_page
  WHERE size(l0_page) < $l0_limit
  RETURN size(l0_page) AS l0_total
  UNION ALL
  WITH e, l0_page
  WHERE size(l0_page) >= $l0_limit
  MATCH (e)-[r:OWNS_BRAND]->(o0:Entity)
  WHERE (r.spanStart IS NULL OR r.spanStart < $l0_asOfEnd) AND (r.spanEnd IS NULL OR r.spanEnd > $l0_asOfStart)
  WITH e, count(r) AS l0_total
  RETURN l0_total
}
RETURN id, e {.id, .kind, .name, .aliases, .description, .sourceIds, .createdAt, .updatedAt, .type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson} AS entity, [{total: l0_total, page: l0_page}] AS trees
