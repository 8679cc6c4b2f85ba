UNWIND $rows AS row
MERGE (n:Source {id: row.id})
WITH n, row, coalesce(n.createdAt, $now) AS createdAt
WHERE n.contentHash IS NULL OR n.contentHash <> row.hash
SET n = row.props,
    n.contentHash = row.hash,
    n.createdAt = createdAt,
    n.updatedAt = $now
RETURN count(n) AS changed
