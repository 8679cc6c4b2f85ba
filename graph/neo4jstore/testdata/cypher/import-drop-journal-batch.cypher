MATCH (j:ImportJournal {batch: $batch})
CALL (j) {
  MATCH (p:ImportPrior {importBatch: j.batch})
  DELETE p
}
DELETE j
