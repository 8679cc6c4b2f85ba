CREATE CONSTRAINT revision_number IF NOT EXISTS FOR (n:Revision) REQUIRE n.number IS UNIQUE
