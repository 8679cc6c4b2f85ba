CALL () {
  MATCH (c:RevisionChange)
  WHERE c.number > $n
  RETURN c.itemId AS id
  UNION
  MATCH (h:Revision)
  WHERE h.number > $n AND h.run IS NOT NULL
  MATCH (c:RevisionChange {run: h.run})
  RETURN c.itemId AS id
}
RETURN id
