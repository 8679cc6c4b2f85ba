MERGE (m:ImportRun {lock: $lock})
ON CREATE SET m.run = $run, m.state = $running, m.heartbeat = datetime()
RETURN m.run AS run, m.state AS state,
       m.heartbeat < datetime() - duration({milliseconds: $leaseMs}) AS stale
