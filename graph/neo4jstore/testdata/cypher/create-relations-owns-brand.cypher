UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
CREATE (a)-[r:OWNS_BRAND]->(b)
SET r = row.props
RETURN count(r) AS changed, collect(r.id) AS ids
