CALL () {
  UNWIND $notEntityIds AS id
  MATCH (:Entity {id: id})
  RETURN collect(id) AS heldByEntity
}
CALL () {
  UNWIND $notSourceIds AS id
  MATCH (:Source {id: id})
  RETURN collect(id) AS heldBySource
}
CALL () {
  UNWIND $notRelationIds AS id
  CALL (id) {
    MATCH ()-[r:SUBSIDIARY_OF {id: id}]->()
    RETURN r.id AS relationId
  UNION ALL
    MATCH ()-[r:JOINT_VENTURE_OF {id: id}]->()
    RETURN r.id AS relationId
  UNION ALL
    MATCH ()-[r:OWNS_BRAND {id: id}]->()
    RETURN r.id AS relationId
  UNION ALL
    MATCH ()-[r:HAS_MODEL {id: id}]->()
    RETURN r.id AS relationId
  UNION ALL
    MATCH ()-[r:ASSEMBLES {id: id}]->()
    RETURN r.id AS relationId
  UNION ALL
    MATCH ()-[r:OPERATES {id: id}]->()
    RETURN r.id AS relationId
  UNION ALL
    MATCH ()-[r:LOCATED_IN {id: id}]->()
    RETURN r.id AS relationId
  UNION ALL
    MATCH ()-[r:PARTY_TO {id: id}]->()
    RETURN r.id AS relationId
  UNION ALL
    MATCH ()-[r:PARTNERS_WITH {id: id}]->()
    RETURN r.id AS relationId
  }
  RETURN collect(DISTINCT relationId) AS heldByRelation
}
CALL () {
  UNWIND $kinds AS row
  MATCH (n:Entity {id: row.id})
  WHERE n.kind <> row.kind
  CALL (n) {
    MATCH (n)-[r]-(:Entity)
    WITH DISTINCT r
    RETURN collect({id: r.id, type: type(r),
                    fromId: startNode(r).id, fromKind: startNode(r).kind,
                    toId: endNode(r).id, toKind: endNode(r).kind}) AS rels
  }
  CALL (n) {
    MATCH (x:Entity {countryId: n.id})
    RETURN collect(x.id) AS countryOf
  }
  CALL (n) {
    MATCH (x:Source {publisherId: n.id})
    RETURN collect(x.id) AS publisherOf
  }
  RETURN collect({id: n.id, rels: rels, countryOf: countryOf, publisherOf: publisherOf}) AS retyped
}
RETURN heldByEntity, heldBySource, heldByRelation, retyped
