CREATE INDEX source_published_start IF NOT EXISTS FOR (n:Source) ON (n.publishedStart)
