MATCH (n:Entity)
WHERE n.searchText IS NULL AND n.searchKeys IS NOT NULL
WITH n LIMIT $n
SET n.searchText = reduce(acc = head(n.searchKeys), k IN tail(n.searchKeys) | acc + $sep + k)
RETURN count(n) AS n
