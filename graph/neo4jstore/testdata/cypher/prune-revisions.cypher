MATCH (h:Revision)
WHERE h.number <= $floor
WITH h LIMIT $n
DELETE h
RETURN count(*) AS n
