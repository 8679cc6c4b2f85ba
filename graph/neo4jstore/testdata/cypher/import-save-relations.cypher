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
WITH row, r, fromId, toId, type(r) <> row.type OR fromId <> row.from OR toId <> row.to AS moved
WITH row, r, fromId, toId, moved, moved OR r.contentHash IS NULL OR r.contentHash <> row.hash AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
  CREATE (p:ImportPrior)
  SET p = properties(r), p.importBatch = $batch, p.importSort = $sort,
      p.importType = type(r), p.importFrom = fromId, p.importTo = toId)
WITH row, r, moved, changed, type(r) AS prior, r.createdAt AS createdAt,
     CASE WHEN changed THEN {props: properties(r), fromId: fromId, toId: toId} END AS before
FOREACH (_ IN CASE WHEN moved THEN [1] ELSE [] END | DELETE r)
RETURN row.id AS id, changed, prior, CASE WHEN moved THEN createdAt END AS createdAt, before
