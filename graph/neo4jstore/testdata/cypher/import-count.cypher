MERGE (k:RevisionCounter {key: $key})
SET k.imports = coalesce(k.imports, 0) + 1
