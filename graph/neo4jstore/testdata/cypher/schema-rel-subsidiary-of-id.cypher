CREATE INDEX rel_subsidiary_of_id IF NOT EXISTS FOR ()-[r:SUBSIDIARY_OF]-() ON (r.id)
