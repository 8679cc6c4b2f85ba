UNWIND $ids AS id
MATCH (e:Entity {id: id})
CALL (e) {
  MATCH (e)-[r:OWNS_BRAND]->(o0:Entity)
  WITH r, o0
  ORDER BY r.id
  LIMIT $l0_limit
  WITH o0, {rel: r {.id, .status, .validFrom, .validTo, .quantity, .note, .sourceIds, .createdAt, .updatedAt, type: type(r)}, fromId: startNode(r).id, toId: endNode(r).id, end: o0 {.id, .kind, .name, .aliases, .description, .sourceIds, .createdAt, .updatedAt, .type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson}} AS l0_item
  RETURN collect(l0_item) AS l0_page
}
CALL (e, l0_page) {
  WITH l0_page
  WHERE size(l0_page) < $l0_limit
  RETURN size(l0_page) AS l0_total
  UNION ALL
  WITH e, l0_page
  WHERE size(l0_page) >= $l0_limit
  MATCH (e)-[r:OWNS_BRAND]->(o0:Entity)
  WITH e, count(r) AS l0_total
  RETURN l0_total
}
CALL (e) {
  MATCH (e)<-[r:JOINT_VENTURE_OF]-(o0:Entity)
  WITH r, o0
  ORDER BY r.id
  LIMIT $l1_limit
  WITH o0, {rel: r {.id, .status, .validFrom, .validTo, .quantity, .note, .sourceIds, .createdAt, .updatedAt, type: type(r)}, fromId: startNode(r).id, toId: endNode(r).id, end: o0 {.id, .kind, .name, .aliases, .description, .sourceIds, .createdAt, .updatedAt, .type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson}} AS l1_item
  RETURN collect(l1_item) AS l1_page
}
CALL (e, l1_page) {
  WITH l1_page
  WHERE size(l1_page) < $l1_limit
  RETURN size(l1_page) AS l1_total
  UNION ALL
  WITH e, l1_page
  WHERE size(l1_page) >= $l1_limit
  MATCH (e)<-[r:JOINT_VENTURE_OF]-(o0:Entity)
  WITH e, count(r) AS l1_total
  RETURN l1_total
}
CALL (e) {
  MATCH (e)-[r:PARTNERS_WITH]-(o0:Entity)
  WITH DISTINCT r, o0
  ORDER BY r.id
  LIMIT $l2_limit
  WITH o0, {rel: r {.id, .status, .validFrom, .validTo, .quantity, .note, .sourceIds, .createdAt, .updatedAt, type: type(r)}, fromId: startNode(r).id, toId: endNode(r).id, end: o0 {.id, .kind, .name, .aliases, .description, .sourceIds, .createdAt, .updatedAt, .type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson}} AS l2_item
  RETURN collect(l2_item) AS l2_page
}
CALL (e, l2_page) {
  WITH l2_page
  WHERE size(l2_page) < $l2_limit
  RETURN size(l2_page) AS l2_total
  UNION ALL
  WITH e, l2_page
  WHERE size(l2_page) >= $l2_limit
  MATCH (e)-[r:PARTNERS_WITH]-(o0:Entity)
  WITH e, count(DISTINCT r) AS l2_total
  RETURN l2_total
}
RETURN id, e {.id, .kind, .name, .aliases, .description, .sourceIds, .createdAt, .updatedAt, .type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson} AS entity, [{total: l0_total, page: l0_page}, {total: l1_total, page: l1_page}, {total: l2_total, page: l2_page}] AS trees
