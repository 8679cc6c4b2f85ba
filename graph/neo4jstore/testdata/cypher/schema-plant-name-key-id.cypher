CREATE INDEX plant_name_key_id IF NOT EXISTS FOR (n:Plant) ON (n.nameKey, n.id)
