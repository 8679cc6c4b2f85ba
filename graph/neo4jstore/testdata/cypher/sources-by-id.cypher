UNWIND $ids AS id
MATCH (n:Source {id: id})
RETURN collect(n) AS nodes
