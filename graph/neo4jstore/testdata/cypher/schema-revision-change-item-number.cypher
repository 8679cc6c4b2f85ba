CREATE INDEX revision_change_item_number IF NOT EXISTS FOR (n:RevisionChange) ON (n.itemId, n.number)
