CALL () {
  MATCH (n:Entity)
  RETURN count(n) AS total
}
RETURN total, [] AS page
