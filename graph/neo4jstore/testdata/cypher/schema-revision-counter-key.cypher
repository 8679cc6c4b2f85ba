CREATE CONSTRAINT revision_counter_key IF NOT EXISTS FOR (n:RevisionCounter) REQUIRE n.key IS UNIQUE
