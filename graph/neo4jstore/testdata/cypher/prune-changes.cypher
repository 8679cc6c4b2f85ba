MATCH (c:RevisionChange)
WHERE c.number <= $floor
WITH c LIMIT $n
DELETE c
RETURN count(*) AS n
