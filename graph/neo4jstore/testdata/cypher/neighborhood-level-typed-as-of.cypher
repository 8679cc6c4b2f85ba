UNWIND $frontier AS fid
MATCH (:Entity {id: fid})-[r:OWNS_BRAND|LOCATED_IN]-(o:Entity)
WHERE NOT o.id IN $seen AND (r.spanStart IS NULL OR r.spanStart < $asOfEnd) AND (r.spanEnd IS NULL OR r.spanEnd > $asOfStart)
RETURN DISTINCT o.id AS id
ORDER BY id
LIMIT $limit
