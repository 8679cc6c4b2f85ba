CALL () {
  MATCH (n:Brand)
  RETURN count(n) AS total
}
CALL () {
  MATCH (n:Brand)
  WITH coalesce(n.segment, '') AS value, count(*) AS c
  WHERE value <> ''
  ORDER BY value
  RETURN collect({value: value, count: c}) AS countBySEGMENT
}
CALL () {
  MATCH (n:Brand)
  RETURN min(n.founded) AS minFounded, max(n.founded) AS maxFounded
}
RETURN total, [] AS page, countBySEGMENT, minFounded, maxFounded
