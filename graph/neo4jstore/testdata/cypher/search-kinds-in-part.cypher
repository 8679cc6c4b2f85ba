MATCH (n:Entity)
WHERE n.searchText CONTAINS $q
  AND n.kind IN $kinds
WITH n, [k IN n.searchKeys |
  CASE
    WHEN k = $q THEN $scoreExact
    WHEN k STARTS WITH $q THEN $scorePrefix
    WHEN k CONTAINS (' ' + $q) THEN $scoreWordPrefix
    WHEN k CONTAINS $q THEN $scoreSubstring
    ELSE 0.0
  END] AS scores
WITH n, reduce(best = 0.0, s IN scores | CASE WHEN s > best THEN s ELSE best END) AS score
RETURN n {.id, .kind, .type, .name} AS hit, score
ORDER BY score DESC, n.nameKey, n.id
LIMIT $limit
