MATCH (p:ImportPrior {importBatch: $batch, importSort: $sort})
MATCH (n:Source {id: p.id})
SET n = properties(p)
REMOVE n.importBatch, n.importSort
