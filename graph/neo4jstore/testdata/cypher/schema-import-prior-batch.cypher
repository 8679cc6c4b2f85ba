CREATE INDEX import_prior_batch IF NOT EXISTS FOR (n:ImportPrior) ON (n.importBatch)
