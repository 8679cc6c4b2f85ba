UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
WITH row, n, n.contentHash IS NULL OR n.contentHash <> row.hash AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
  CREATE (p:ImportPrior)
  SET p = properties(n), p.importBatch = $batch, p.importSort = $sort)
RETURN row.id AS id, changed, n.kind AS prior, CASE WHEN changed THEN n END AS before
