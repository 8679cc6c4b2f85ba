UNWIND $ids AS id
MATCH (e:Entity {id: id})
CALL (e) {
  MATCH (e)-[r:OWNS_BRAND|ASSEMBLES]->(o:Entity)
  WHERE r.id IN $relationIds
    AND r.status IN $status
    AND startNode(r).id IN $fromIds
    AND endNode(r).id IN $toIds
    AND any(s IN r.sourceIds WHERE s IN $sourceIds)
    AND (r.spanStart IS NULL OR r.spanStart < $asOfEnd) AND (r.spanEnd IS NULL OR r.spanEnd > $asOfStart)
  RETURN count(r) AS total
}
CALL (e) {
  MATCH (e)-[r:OWNS_BRAND|ASSEMBLES]->(o:Entity)
  WHERE r.id IN $relationIds
    AND r.status IN $status
    AND startNode(r).id IN $fromIds
    AND endNode(r).id IN $toIds
    AND any(s IN r.sourceIds WHERE s IN $sourceIds)
    AND (r.spanStart IS NULL OR r.spanStart < $asOfEnd) AND (r.spanEnd IS NULL OR r.spanEnd > $asOfStart)
    AND r.id > $afterId
  WITH r
  ORDER BY r.id
  LIMIT $limit
  RETURN collect({rel: r {.id, .status, .validFrom, .validTo, .quantity, .note, .sourceIds, .createdAt, .updatedAt, type: type(r)}, fromId: startNode(r).id, toId: endNode(r).id}) AS page
}
RETURN id, total, page
