MERGE (n:Source {id: $id})
WITH n, coalesce(n.createdAt, $now) AS createdAt
SET n = $props,
    n.contentHash = $hash,
    n.createdAt = createdAt,
    n.updatedAt = $now
RETURN n
