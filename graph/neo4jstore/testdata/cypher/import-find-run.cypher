MATCH (m:ImportRun {lock: $lock})
RETURN m.run AS run, m.state AS state,
       m.heartbeat < datetime() - duration({milliseconds: $leaseMs}) AS stale
