UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN collect(n) AS nodes
