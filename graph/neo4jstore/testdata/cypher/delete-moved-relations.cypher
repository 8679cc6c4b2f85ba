UNWIND $rows AS row
CALL (row) {
  MATCH (a:Entity)-[r:SUBSIDIARY_OF {id: row.id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId
  UNION ALL
  MATCH (a:Entity)-[r:JOINT_VENTURE_OF {id: row.id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId
  UNION ALL
  MATCH (a:Entity)-[r:OWNS_BRAND {id: row.id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId
  UNION ALL
  MATCH (a:Entity)-[r:HAS_MODEL {id: row.id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId
  UNION ALL
  MATCH (a:Entity)-[r:ASSEMBLES {id: row.id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId
  UNION ALL
  MATCH (a:Entity)-[r:OPERATES {id: row.id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId
  UNION ALL
  MATCH (a:Entity)-[r:LOCATED_IN {id: row.id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId
  UNION ALL
  MATCH (a:Entity)-[r:PARTY_TO {id: row.id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId
  UNION ALL
  MATCH (a:Entity)-[r:PARTNERS_WITH {id: row.id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId
}
WITH row, r, fromId, toId
WHERE type(r) <> row.type OR fromId <> row.from OR toId <> row.to
WITH row, r, r.createdAt AS createdAt
DELETE r
RETURN row.id AS id, createdAt
