UNWIND $rows AS row
CREATE (n:Source)
SET n = row.props
RETURN count(n) AS changed
