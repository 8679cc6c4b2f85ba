UNWIND $ids AS id
MATCH (e:Entity {id: id})
CALL (e) {
  MATCH (e)-[r]->(o:Entity)
  RETURN count(r) AS total
}
CALL (e) {
  MATCH (e)-[r]->(o:Entity)
  WHERE (CASE WHEN r.validFrom IS NULL THEN $keyUnknown ELSE $keyKnown + r.validFrom END > $afterKey OR (CASE WHEN r.validFrom IS NULL THEN $keyUnknown ELSE $keyKnown + r.validFrom END = $afterKey AND r.id > $afterId))
  WITH r
  ORDER BY CASE WHEN r.validFrom IS NULL THEN $keyUnknown ELSE $keyKnown + r.validFrom END, r.id
  LIMIT $limit
  RETURN collect({rel: r {.id, .status, .validFrom, .validTo, .quantity, .note, .sourceIds, .createdAt, .updatedAt, type: type(r)}, fromId: startNode(r).id, toId: endNode(r).id}) AS page
}
RETURN id, total, page
