package neo4jstore

import (
	"fmt"
	"strings"

	"github.com/autograph-kg/autograph/graph/model"
)

// The statements of model.Writer. Every write is one transaction of the same shape: the
// lookup statement reads what the write depends on, Go decides (write_check.go), and one or
// two write statements change the graph and return what is now stored. A refused write
// returns its error from the transaction function, so the transaction rolls back and nothing
// is written. Rows and properties are the ones Import writes (params.go).
const (
	// cypherWriteLookup reads, in one round trip, everything a write is checked against:
	// the entity, source and relation that already hold the id $id (ids are unique across
	// the three), which of the cited sources $sourceIds exist, and the kinds of the entities
	// the write refers to ($refIds: a country, a publisher, a relation's endpoints). Every
	// part is an aggregating or OPTIONAL subquery, so the statement always returns exactly
	// one row. %s is the union of relByIDBranch over every relationship type.
	cypherWriteLookup = `
CALL () {
  OPTIONAL MATCH (n:Entity {id: $id})
  RETURN n AS entity
}
CALL () {
  OPTIONAL MATCH (n:Source {id: $id})
  RETURN n AS source
}
CALL () {
  CALL () {%s
  }
  RETURN collect({rel: r, fromId: fromId, toId: toId}) AS relations
}
CALL () {
  UNWIND $sourceIds AS sourceId
  MATCH (n:Source {id: sourceId})
  RETURN collect(n.id) AS knownSources
}
CALL () {
  UNWIND $refIds AS refId
  MATCH (n:Entity {id: refId})
  RETURN collect({id: n.id, kind: n.kind}) AS refs
}
RETURN entity, source, relations, knownSources, refs`

	// cypherUpsertEntity writes one entity of a kind that the lookup allowed: %[1]s is the
	// kind's label, %[2]s the other kinds' labels (an entity never changes kind through a
	// write, but its labels are set in full all the same). SET n = $props replaces every
	// property, so a field left out of the new value is removed from the node; createdAt is
	// carried over from the stored node.
	cypherUpsertEntity = `
MERGE (n:Entity {id: $id})
WITH n, coalesce(n.createdAt, $now) AS createdAt
SET n = $props,
    n.contentHash = $hash,
    n.createdAt = createdAt,
    n.updatedAt = $now
REMOVE n:%[2]s
SET n:%[1]s
RETURN n`

	// cypherUpsertSource writes one source, like cypherUpsertEntity.
	cypherUpsertSource = `
MERGE (n:Source {id: $id})
WITH n, coalesce(n.createdAt, $now) AS createdAt
SET n = $props,
    n.contentHash = $hash,
    n.createdAt = createdAt,
    n.updatedAt = $now
RETURN n`

	// cypherPutRelation writes one relation of type %s between its endpoints: it creates the
	// relationship, or replaces the properties of the one with the same id, type and
	// endpoints. $createdAt is the createdAt of a relation that moved (deleted just before by
	// cypherDeleteRelation), null otherwise. No row comes back when an endpoint is missing.
	cypherPutRelation = `
MATCH (a:Entity {id: $from})
MATCH (b:Entity {id: $to})
MERGE (a)-[r:%s {id: $id}]->(b)
WITH a, r, b, coalesce(r.createdAt, $createdAt, $now) AS createdAt
SET r = $props,
    r.contentHash = $hash,
    r.createdAt = createdAt,
    r.updatedAt = $now
RETURN r, a.id AS fromId, b.id AS toId`

	// cypherHierarchyChain looks, after relations of the hierarchical type %s were written in
	// the transaction, for a chain of that type leading from a row's "to" entity back to its
	// "from" entity: that relation then closes a cycle (model.CheckNoCycle). Rows are
	// {i, id, from, to}; the first row by i that has a chain comes back with the chain's entity
	// ids, from "to" to "from". A shortest chain never runs through the row's own relation,
	// which starts where the chain ends, so the relations written just before need no
	// exclusion.
	cypherHierarchyChain = `
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
CALL (a, b) {
  MATCH p = shortestPath((b)-[:%s*]->(a))
  RETURN [n IN nodes(p) | n.id] AS chain
  LIMIT 1
}
RETURN row.i AS i, row.id AS id, chain
ORDER BY i
LIMIT 1`

	// cypherDeleteRelation deletes the relation with id $id, whatever its type, and says how
	// many relationships went (0 or 1). %s is the union of relByIDBranch over every type.
	cypherDeleteRelation = `
CALL () {%s
}
WITH r
DELETE r
RETURN count(*) AS removed`

	// cypherDeleteEntity deletes an entity with every relation that starts or ends at it and
	// returns how many relations went (a self-loop counts once). No row comes back when there
	// is no such entity.
	cypherDeleteEntity = `
MATCH (n:Entity {id: $id})
CALL (n) {
  OPTIONAL MATCH (n)-[r]-()
  RETURN count(DISTINCT r) AS relations
}
DETACH DELETE n
RETURN relations`
)

// writeLookupQuery is cypherWriteLookup over every relationship type.
func writeLookupQuery() string {
	return fmt.Sprintf(cypherWriteLookup, unionPerType(relByIDBranch))
}

// deleteRelationQuery is cypherDeleteRelation over every relationship type.
func deleteRelationQuery() string {
	return fmt.Sprintf(cypherDeleteRelation, unionPerType(relByIDBranch))
}

// upsertEntityQuery is cypherUpsertEntity for one kind; an unknown kind is BAD_USER_INPUT.
func upsertEntityQuery(kind model.EntityKind) (string, error) {
	if kind == "" || !kind.IsValid() {
		return "", model.Errorf(model.CodeBadUserInput, "unknown entity kind %q", kind)
	}
	var others []string
	for _, k := range model.AllEntityKinds() {
		if k != kind {
			others = append(others, k.Label())
		}
	}
	return fmt.Sprintf(cypherUpsertEntity, kind.Label(), strings.Join(others, ":")), nil
}

// putRelationQuery is cypherPutRelation for one type; an unknown type is BAD_USER_INPUT.
func putRelationQuery(t model.RelationType) (string, error) {
	if !t.IsValid() {
		return "", model.Errorf(model.CodeBadUserInput, "unknown relation type %q", t)
	}
	return fmt.Sprintf(cypherPutRelation, t), nil
}

// hierarchyChainQuery is cypherHierarchyChain for one hierarchical type; any other type is
// BAD_USER_INPUT.
func hierarchyChainQuery(t model.RelationType) (string, error) {
	if !t.IsValid() || !t.Hierarchical() {
		return "", model.Errorf(model.CodeBadUserInput, "%q is not a hierarchical relation type", t)
	}
	return fmt.Sprintf(cypherHierarchyChain, t), nil
}
