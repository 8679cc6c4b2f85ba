CREATE INDEX source_title_key IF NOT EXISTS FOR (n:Source) ON (n.titleKey)
