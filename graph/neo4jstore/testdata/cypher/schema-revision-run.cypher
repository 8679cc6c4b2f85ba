CREATE INDEX revision_run IF NOT EXISTS FOR (n:Revision) ON (n.run)
