MATCH (m:ImportRun {lock: $lock, run: $run})
SET m.state = $committed, m.heartbeat = datetime()
RETURN count(m) AS n
