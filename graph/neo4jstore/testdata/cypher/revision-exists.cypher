OPTIONAL MATCH (k:RevisionCounter {key: $key})
WITH coalesce(k.floor, 0) AS floor
OPTIONAL MATCH (h:Revision {number: $number})
WHERE h.number > floor
RETURN count(h) AS n
