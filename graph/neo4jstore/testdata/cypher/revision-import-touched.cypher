MATCH (c:RevisionChange {run: $run})
RETURN c.touched AS touched
