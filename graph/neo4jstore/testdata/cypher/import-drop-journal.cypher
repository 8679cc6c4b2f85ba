MATCH (j:ImportJournal {run: $run})
WITH j LIMIT $n
CALL (j) {
  MATCH (p:ImportPrior {importBatch: j.batch})
  DELETE p
}
DELETE j
RETURN count(*) AS n
