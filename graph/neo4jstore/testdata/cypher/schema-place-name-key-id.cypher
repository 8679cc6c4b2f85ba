CREATE INDEX place_name_key_id IF NOT EXISTS FOR (n:Place) ON (n.nameKey, n.id)
