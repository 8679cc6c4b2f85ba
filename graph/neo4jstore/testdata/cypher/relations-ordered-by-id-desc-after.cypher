CALL () {
  MATCH (a:Entity)-[r]->(b:Entity)
  RETURN count(r) AS total
}
CALL () {
  MATCH (a:Entity)-[r]->(b:Entity)
  WHERE r.id < $afterId
  WITH a, r, b
  ORDER BY r.id DESC
  LIMIT $limit
  RETURN collect({rel: r {.id, .status, .validFrom, .validTo, .quantity, .note, .sourceIds, .createdAt, .updatedAt, type: type(r)}, fromId: a.id, toId: b.id}) AS page
}
RETURN total, page
