CREATE INDEX import_journal_batch IF NOT EXISTS FOR (n:ImportJournal) ON (n.batch)
