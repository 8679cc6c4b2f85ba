MATCH (m:ImportRun {lock: $lock, run: $run})
SET m.heartbeat = datetime()
RETURN count(m) AS n
