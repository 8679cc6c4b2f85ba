CREATE INDEX entity_name_key_id IF NOT EXISTS FOR (n:Entity) ON (n.nameKey, n.id)
