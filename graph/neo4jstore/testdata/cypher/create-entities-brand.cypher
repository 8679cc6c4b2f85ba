UNWIND $rows AS row
CREATE (n:Entity:Brand)
SET n = row.props
RETURN count(n) AS changed
