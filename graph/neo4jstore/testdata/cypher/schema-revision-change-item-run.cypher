CREATE INDEX revision_change_item_run IF NOT EXISTS FOR (n:RevisionChange) ON (n.itemId, n.run)
