CREATE INDEX rel_operates_id IF NOT EXISTS FOR ()-[r:OPERATES]-() ON (r.id)
