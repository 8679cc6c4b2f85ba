MATCH (c:RevisionChange {run: $run})
WITH c LIMIT $n
DELETE c
RETURN count(*) AS n
