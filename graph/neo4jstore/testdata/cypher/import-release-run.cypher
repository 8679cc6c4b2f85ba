MATCH (m:ImportRun {lock: $lock, run: $run})
DELETE m
