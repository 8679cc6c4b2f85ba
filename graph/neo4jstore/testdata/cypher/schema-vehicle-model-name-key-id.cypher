CREATE INDEX vehicle_model_name_key_id IF NOT EXISTS FOR (n:VehicleModel) ON (n.nameKey, n.id)
