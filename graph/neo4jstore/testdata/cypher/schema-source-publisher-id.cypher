CREATE INDEX source_publisher_id IF NOT EXISTS FOR (n:Source) ON (n.publisherId)
