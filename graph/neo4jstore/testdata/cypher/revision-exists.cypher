MATCH (h:Revision {number: $number})
RETURN count(h) AS n
