OPTIONAL MATCH (k:RevisionCounter {key: $key})
WITH coalesce(k.floor, 0) AS floor
CALL (floor) {
  MATCH (c:RevisionChange {itemId: $id})
  WHERE c.number > $lo AND c.number <= $hi AND c.number > floor
  RETURN c.number AS number
  UNION
  MATCH (c:RevisionChange {itemId: $id})
  WHERE c.run IS NOT NULL
  MATCH (h:Revision {run: c.run})
  WHERE h.number > $lo AND h.number <= $hi AND h.number > floor
  RETURN h.number AS number
}
WITH number
ORDER BY number ASC
LIMIT $limit
MATCH (h:Revision {number: number})
RETURN h
ORDER BY h.number ASC
