CREATE INDEX organization_name_key_id IF NOT EXISTS FOR (n:Organization) ON (n.nameKey, n.id)
