CALL () {
  MATCH (a:Entity)-[r:SUBSIDIARY_OF {id: $id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId
  UNION ALL
  MATCH (a:Entity)-[r:JOINT_VENTURE_OF {id: $id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId
  UNION ALL
  MATCH (a:Entity)-[r:OWNS_BRAND {id: $id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId
  UNION ALL
  MATCH (a:Entity)-[r:HAS_MODEL {id: $id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId
  UNION ALL
  MATCH (a:Entity)-[r:ASSEMBLES {id: $id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId
  UNION ALL
  MATCH (a:Entity)-[r:OPERATES {id: $id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId
  UNION ALL
  MATCH (a:Entity)-[r:LOCATED_IN {id: $id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId
  UNION ALL
  MATCH (a:Entity)-[r:PARTY_TO {id: $id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId
  UNION ALL
  MATCH (a:Entity)-[r:PARTNERS_WITH {id: $id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId
}
RETURN r, fromId, toId
