MATCH (h:Revision {number: $number})
CALL (h) {
  MATCH (c:RevisionChange {number: h.number})
  RETURN c
  UNION ALL
  MATCH (c:RevisionChange {run: h.run})
  RETURN c
}
RETURN c.itemId AS id, c.before AS before
