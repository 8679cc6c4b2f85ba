MATCH (a:Entity {id: $from})
MATCH (b:Entity {id: $to})
MERGE (a)-[r:ASSEMBLES {id: $id}]->(b)
WITH a, r, b, coalesce(r.createdAt, $createdAt, $now) AS createdAt
SET r = $props,
    r.contentHash = $hash,
    r.createdAt = createdAt,
    r.updatedAt = $now
RETURN r, a.id AS fromId, b.id AS toId
