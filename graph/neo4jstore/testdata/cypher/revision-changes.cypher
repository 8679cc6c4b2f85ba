OPTIONAL MATCH (k:RevisionCounter {key: $key})
WITH coalesce(k.floor, 0) AS floor
MATCH (h:Revision {number: $number})
WHERE h.number > floor
CALL (h) {
  MATCH (c:RevisionChange {number: h.number})
  RETURN c
  UNION ALL
  MATCH (c:RevisionChange {run: h.run})
  RETURN c
}
RETURN c.itemId AS id, c.before AS before
