MATCH ()-[r:LOCATED_IN]->()
RETURN count(r) AS n
