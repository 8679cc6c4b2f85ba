CREATE INDEX rel_assembles_id IF NOT EXISTS FOR ()-[r:ASSEMBLES]-() ON (r.id)
