CREATE INDEX revision_change_number IF NOT EXISTS FOR (n:RevisionChange) ON (n.number)
