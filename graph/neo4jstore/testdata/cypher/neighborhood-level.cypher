UNWIND $frontier AS fid
MATCH (:Entity {id: fid})-[r]-(o:Entity)
WHERE NOT o.id IN $seen
RETURN DISTINCT o.id AS id
ORDER BY id
LIMIT $limit
