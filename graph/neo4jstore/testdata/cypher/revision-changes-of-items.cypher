OPTIONAL MATCH (k:RevisionCounter {key: $key})
WITH coalesce(k.floor, 0) AS floor
MATCH (h:Revision {number: $number})
WHERE h.number > floor
UNWIND $ids AS id
MATCH (c:RevisionChange {itemId: id})
WHERE c.number = h.number OR c.run = h.run
RETURN c.itemId AS id, c.before AS before
