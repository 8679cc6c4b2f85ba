CREATE INDEX agreement_name_key_id IF NOT EXISTS FOR (n:Agreement) ON (n.nameKey, n.id)
