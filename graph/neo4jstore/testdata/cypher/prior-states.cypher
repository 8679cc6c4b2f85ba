UNWIND $ids AS id
CALL (id) {
  CALL (id) {
    MATCH (c:RevisionChange {itemId: id})
    WHERE c.number > $n
    RETURN c.number AS number, c.before AS before
    ORDER BY number
    LIMIT 1
    UNION
    MATCH (c:RevisionChange {itemId: id})
    WHERE c.run IS NOT NULL
    MATCH (h:Revision {run: c.run})
    WHERE h.number > $n
    RETURN h.number AS number, c.before AS before
    ORDER BY number
    LIMIT 1
  }
  WITH number, before
  ORDER BY number
  LIMIT 1
  RETURN before
}
RETURN id, before
