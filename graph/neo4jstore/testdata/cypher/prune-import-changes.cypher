MATCH (h:Revision)
WHERE h.number <= $floor AND h.run IS NOT NULL
MATCH (c:RevisionChange {run: h.run})
WITH c LIMIT $n
DELETE c
RETURN count(*) AS n
