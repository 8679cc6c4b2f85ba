CALL () {
  MATCH (a:Entity)-[r:OWNS_BRAND|ASSEMBLES]->(b:Entity)
  WHERE r.id IN $relationIds
    AND r.status IN $status
    AND a.id IN $fromIds
    AND b.id IN $toIds
    AND any(s IN r.sourceIds WHERE s IN $sourceIds)
    AND (r.spanStart IS NULL OR r.spanStart < $asOfEnd) AND (r.spanEnd IS NULL OR r.spanEnd > $asOfStart)
  RETURN count(r) AS total
}
CALL () {
  MATCH (a:Entity)-[r:OWNS_BRAND|ASSEMBLES]->(b:Entity)
  WHERE r.id IN $relationIds
    AND r.status IN $status
    AND a.id IN $fromIds
    AND b.id IN $toIds
    AND any(s IN r.sourceIds WHERE s IN $sourceIds)
    AND (r.spanStart IS NULL OR r.spanStart < $asOfEnd) AND (r.spanEnd IS NULL OR r.spanEnd > $asOfStart)
    AND r.id > $afterId
  WITH a, r, b
  ORDER BY r.id
  LIMIT $limit
  RETURN collect({rel: r {.id, .status, .validFrom, .validTo, .quantity, .note, .sourceIds, .createdAt, .updatedAt, type: type(r)}, fromId: a.id, toId: b.id}) AS page
}
RETURN total, page
