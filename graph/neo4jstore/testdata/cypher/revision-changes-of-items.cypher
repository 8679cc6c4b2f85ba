MATCH (h:Revision {number: $number})
UNWIND $ids AS id
MATCH (c:RevisionChange {itemId: id})
WHERE c.number = h.number OR c.run = h.run
RETURN c.itemId AS id, c.before AS before
