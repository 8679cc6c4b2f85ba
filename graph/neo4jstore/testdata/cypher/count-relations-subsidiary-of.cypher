MATCH ()-[r:SUBSIDIARY_OF]->()
RETURN count(r) AS n
