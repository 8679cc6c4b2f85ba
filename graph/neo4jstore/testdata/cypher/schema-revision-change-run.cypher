CREATE INDEX revision_change_run IF NOT EXISTS FOR (n:RevisionChange) ON (n.run)
