MATCH (p:ImportPrior {importBatch: $batch, importSort: $sort, kind: $kind})
MATCH (n:Entity {id: p.id})
SET n = properties(p)
REMOVE n.importBatch, n.importSort
REMOVE n:Organization:VehicleModel:Plant:Place:Agreement
SET n:Brand
