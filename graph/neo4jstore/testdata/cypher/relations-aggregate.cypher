CALL () {
  MATCH (a:Entity)-[r]->(b:Entity)
  WHERE r.status IN $status
  RETURN count(r) AS total
}
CALL () {
  MATCH (a:Entity)-[r]->(b:Entity)
  WHERE r.status IN $status
  WITH a, r, b
  ORDER BY r.id
  LIMIT $limit
  RETURN collect({rel: r {.id, .status, .validFrom, .validTo, .quantity, .note, .sourceIds, .createdAt, .updatedAt, type: type(r)}, fromId: a.id, toId: b.id}) AS page
}
CALL () {
  MATCH (a:Entity)-[r]->(b:Entity)
  WHERE r.status IN $status
  WITH startNode(r).kind AS value, count(*) AS n
  ORDER BY value
  RETURN collect({value: value, count: n}) AS countByFROM_KIND
}
CALL () {
  MATCH (a:Entity)-[r]->(b:Entity)
  WHERE r.status IN $status
  WITH r.status AS value, count(*) AS n
  ORDER BY value
  RETURN collect({value: value, count: n}) AS countBySTATUS
}
CALL () {
  MATCH (a:Entity)-[r]->(b:Entity)
  WHERE r.status IN $status
  WITH endNode(r).kind AS value, count(*) AS n
  ORDER BY value
  RETURN collect({value: value, count: n}) AS countByTO_KIND
}
CALL () {
  MATCH (a:Entity)-[r]->(b:Entity)
  WHERE r.status IN $status
  WITH type(r) AS value, count(*) AS n
  ORDER BY value
  RETURN collect({value: value, count: n}) AS countByTYPE
}
CALL () {
  MATCH (a:Entity)-[r]->(b:Entity)
  WHERE r.status IN $status
  RETURN min(r.validFrom) AS minValidFrom, max(r.validFrom) AS maxValidFrom,
    min(r.validTo) AS minValidTo, max(r.validTo) AS maxValidTo
}
RETURN total, page, countByFROM_KIND, countBySTATUS, countByTO_KIND, countByTYPE, minValidFrom, maxValidFrom, minValidTo, maxValidTo
