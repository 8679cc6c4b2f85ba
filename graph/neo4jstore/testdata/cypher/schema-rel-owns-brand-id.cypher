CREATE INDEX rel_owns_brand_id IF NOT EXISTS FOR ()-[r:OWNS_BRAND]-() ON (r.id)
