CALL () {
  MATCH (n:Entity)
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Entity)
  WHERE (CASE WHEN n.founded IS NULL THEN $keyUnknown ELSE $keyKnown + n.founded END < $afterKey OR (CASE WHEN n.founded IS NULL THEN $keyUnknown ELSE $keyKnown + n.founded END = $afterKey AND n.id < $afterId))
  WITH n
  ORDER BY CASE WHEN n.founded IS NULL THEN $keyUnknown ELSE $keyKnown + n.founded END DESC, n.id DESC
  LIMIT $limit
  RETURN collect(n) AS page
}
RETURN total, page
