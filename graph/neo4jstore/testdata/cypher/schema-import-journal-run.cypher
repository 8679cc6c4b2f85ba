CREATE INDEX import_journal_run IF NOT EXISTS FOR (n:ImportJournal) ON (n.run)
