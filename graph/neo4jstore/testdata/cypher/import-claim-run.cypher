MATCH (m:ImportRun {lock: $lock, run: $run})
WHERE m.heartbeat < datetime() - duration({milliseconds: $leaseMs})
SET m.heartbeat = datetime()
RETURN m.state AS state
