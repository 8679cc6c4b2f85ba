UNWIND $ids AS id
MATCH (e:Entity {id: id})
CALL (e) {
  MATCH (e)-[r]-(o:Entity)
  RETURN count(DISTINCT r) AS total
}
CALL (e) {
  MATCH (e)-[r]-(o:Entity)
  WITH DISTINCT r
  WITH startNode(r).kind AS value, count(*) AS n
  ORDER BY value
  RETURN collect({value: value, count: n}) AS countByFROM_KIND
}
CALL (e) {
  MATCH (e)-[r]-(o:Entity)
  WITH DISTINCT r
  WITH r.status AS value, count(*) AS n
  ORDER BY value
  RETURN collect({value: value, count: n}) AS countBySTATUS
}
CALL (e) {
  MATCH (e)-[r]-(o:Entity)
  WITH DISTINCT r
  WITH endNode(r).kind AS value, count(*) AS n
  ORDER BY value
  RETURN collect({value: value, count: n}) AS countByTO_KIND
}
CALL (e) {
  MATCH (e)-[r]-(o:Entity)
  WITH DISTINCT r
  WITH type(r) AS value, count(*) AS n
  ORDER BY value
  RETURN collect({value: value, count: n}) AS countByTYPE
}
CALL (e) {
  MATCH (e)-[r]-(o:Entity)
  WITH DISTINCT r
  RETURN min(r.validFrom) AS minValidFrom, max(r.validFrom) AS maxValidFrom,
    min(r.validTo) AS minValidTo, max(r.validTo) AS maxValidTo
}
RETURN id, total, [] AS page, countByFROM_KIND, countBySTATUS, countByTO_KIND, countByTYPE, minValidFrom, maxValidFrom, minValidTo, maxValidTo
