MATCH (p:ImportPrior {importBatch: $batch, importType: $type})
MATCH (a:Entity {id: p.importFrom})
MATCH (b:Entity {id: p.importTo})
CREATE (a)-[r:OWNS_BRAND]->(b)
SET r = properties(p)
REMOVE r.importBatch, r.importSort, r.importType, r.importFrom, r.importTo
