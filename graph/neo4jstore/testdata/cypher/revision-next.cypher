MERGE (k:RevisionCounter {key: $key})
SET k.last = coalesce(k.last, 0) + 1
RETURN k.last AS number
