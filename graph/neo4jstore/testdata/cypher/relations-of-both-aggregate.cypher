UNWIND $ids AS id
MATCH (e:Entity {id: id})
CALL (e) {
  MATCH (e)-[r]-(o:Entity)
  WHERE (r.spanStart IS NULL OR r.spanStart < $asOfEnd) AND (r.spanEnd IS NULL OR r.spanEnd > $asOfStart)
  WITH DISTINCT r
  ORDER BY r.id
  LIMIT $limit
  RETURN collect({rel: r {.id, .status, .validFrom, .validTo, .quantity, .note, .sourceIds, .createdAt, .updatedAt, type: type(r)}, fromId: startNode(r).id, toId: endNode(r).id}) AS page
}
CALL (e, page) {
  WITH page
  WHERE size(page) < $limit
  RETURN size(page) AS total
  UNION ALL
  WITH e, page
  WHERE size(page) >= $limit
  MATCH (e)-[r]-(o:Entity)
  WHERE (r.spanStart IS NULL OR r.spanStart < $asOfEnd) AND (r.spanEnd IS NULL OR r.spanEnd > $asOfStart)
  WITH e, count(DISTINCT r) AS total
  RETURN total
}
CALL (e) {
  MATCH (e)-[r]-(o:Entity)
  WHERE (r.spanStart IS NULL OR r.spanStart < $asOfEnd) AND (r.spanEnd IS NULL OR r.spanEnd > $asOfStart)
  WITH DISTINCT r
  WITH startNode(r).kind AS value, count(*) AS n
  ORDER BY value
  RETURN collect({value: value, count: n}) AS countByFROM_KIND
}
CALL (e) {
  MATCH (e)-[r]-(o:Entity)
  WHERE (r.spanStart IS NULL OR r.spanStart < $asOfEnd) AND (r.spanEnd IS NULL OR r.spanEnd > $asOfStart)
  WITH DISTINCT r
  WITH r.status AS value, count(*) AS n
  ORDER BY value
  RETURN collect({value: value, count: n}) AS countBySTATUS
}
CALL (e) {
  MATCH (e)-[r]-(o:Entity)
  WHERE (r.spanStart IS NULL OR r.spanStart < $asOfEnd) AND (r.spanEnd IS NULL OR r.spanEnd > $asOfStart)
  WITH DISTINCT r
  WITH endNode(r).kind AS value, count(*) AS n
  ORDER BY value
  RETURN collect({value: value, count: n}) AS countByTO_KIND
}
CALL (e) {
  MATCH (e)-[r]-(o:Entity)
  WHERE (r.spanStart IS NULL OR r.spanStart < $asOfEnd) AND (r.spanEnd IS NULL OR r.spanEnd > $asOfStart)
  WITH DISTINCT r
  WITH type(r) AS value, count(*) AS n
  ORDER BY value
  RETURN collect({value: value, count: n}) AS countByTYPE
}
CALL (e) {
  MATCH (e)-[r]-(o:Entity)
  WHERE (r.spanStart IS NULL OR r.spanStart < $asOfEnd) AND (r.spanEnd IS NULL OR r.spanEnd > $asOfStart)
  WITH DISTINCT r
  RETURN min(r.validFrom) AS minValidFrom, max(r.validFrom) AS maxValidFrom,
    min(r.validTo) AS minValidTo, max(r.validTo) AS maxValidTo
}
RETURN id, total, page, countByFROM_KIND, countBySTATUS, countByTO_KIND, countByTYPE, minValidFrom, maxValidFrom, minValidTo, maxValidTo
