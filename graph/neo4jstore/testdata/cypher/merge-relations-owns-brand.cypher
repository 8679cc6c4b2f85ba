UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:OWNS_BRAND {id: row.id}]->(b)
WITH r, row, coalesce(r.createdAt, row.createdAt, $now) AS createdAt
WHERE r.contentHash IS NULL OR r.contentHash <> row.hash
SET r = row.props,
    r.contentHash = row.hash,
    r.createdAt = createdAt,
    r.updatedAt = $now
RETURN count(r) AS changed, collect(r.id) AS ids
