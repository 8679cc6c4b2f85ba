CREATE INDEX entity_country_id IF NOT EXISTS FOR (n:Entity) ON (n.countryId)
