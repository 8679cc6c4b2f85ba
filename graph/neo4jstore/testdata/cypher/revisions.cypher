MATCH (h:Revision)
WHERE h.number > $lo AND h.number <= $hi
RETURN h
ORDER BY h.number ASC
LIMIT $limit
