CREATE INDEX brand_name_key_id IF NOT EXISTS FOR (n:Brand) ON (n.nameKey, n.id)
