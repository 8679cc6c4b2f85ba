UNWIND $ids AS id
MATCH ()-[r:OWNS_BRAND {id: id}]->()
DELETE r
