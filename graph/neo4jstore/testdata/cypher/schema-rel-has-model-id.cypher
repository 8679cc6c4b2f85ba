CREATE INDEX rel_has_model_id IF NOT EXISTS FOR ()-[r:HAS_MODEL]-() ON (r.id)
