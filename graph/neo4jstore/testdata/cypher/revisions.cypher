OPTIONAL MATCH (k:RevisionCounter {key: $key})
WITH coalesce(k.floor, 0) AS floor
MATCH (h:Revision)
WHERE h.number > $lo AND h.number <= $hi AND h.number > floor
RETURN h
ORDER BY h.number ASC
LIMIT $limit
