CREATE INDEX rel_party_to_id IF NOT EXISTS FOR ()-[r:PARTY_TO]-() ON (r.id)
