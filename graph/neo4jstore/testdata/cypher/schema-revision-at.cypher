CREATE INDEX revision_at IF NOT EXISTS FOR (n:Revision) ON (n.at)
