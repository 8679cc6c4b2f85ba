MERGE (n:Entity {id: $id})
WITH n, coalesce(n.createdAt, $now) AS createdAt
SET n = $props,
    n.contentHash = $hash,
    n.createdAt = createdAt,
    n.updatedAt = $now
REMOVE n:Brand:VehicleModel:Plant:Place:Agreement
SET n:Organization
RETURN n
