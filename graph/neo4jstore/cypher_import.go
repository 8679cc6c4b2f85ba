package neo4jstore

import (
	"fmt"
	"strings"

	"github.com/autograph-kg/autograph/graph/model"
)

// Import's statements. Each takes a batch of rows built in params.go. An item whose stored
// contentHash equals the row's is filtered out before SET, so an unchanged item is not
// written at all and keeps its timestamps; a changed one keeps createdAt and gets updatedAt
// = $now (one instant for the whole import). SET x = row.props replaces every property, so a
// field that was removed from the dataset is removed from the graph too.
const (
	cypherMergeSources = `
UNWIND $rows AS row
MERGE (n:Source {id: row.id})
WITH n, row, coalesce(n.createdAt, $now) AS createdAt
WHERE n.contentHash IS NULL OR n.contentHash <> row.hash
SET n = row.props,
    n.contentHash = row.hash,
    n.createdAt = createdAt,
    n.updatedAt = $now
RETURN count(n) AS changed`

	// cypherMergeEntities writes entities of one kind: %[1]s is the kind's label, %[2]s the
	// other kinds' labels, removed so that an entity whose kind changed has only its new one.
	cypherMergeEntities = `
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
WITH n, row, coalesce(n.createdAt, $now) AS createdAt
WHERE n.contentHash IS NULL OR n.contentHash <> row.hash
SET n = row.props,
    n.contentHash = row.hash,
    n.createdAt = createdAt,
    n.updatedAt = $now
REMOVE n:%[2]s
SET n:%[1]s
RETURN count(n) AS changed`

	// cypherDeleteMovedRelations deletes the stored relations that a row gives another type or
	// other endpoints: MERGE cannot move a relationship, and a MERGE on the new pattern would
	// leave the old one beside it. It returns their createdAt, which the recreated relation
	// keeps. %s is the union of moveBranch over every type.
	cypherDeleteMovedRelations = `
UNWIND $rows AS row
CALL (row) {%s
}
WITH row, r, fromId, toId
WHERE type(r) <> row.type OR fromId <> row.from OR toId <> row.to
WITH row, r, r.createdAt AS createdAt
DELETE r
RETURN row.id AS id, createdAt`

	// moveBranch finds the stored relation of row.id among one type's relationships.
	moveBranch = `
  MATCH (a:Entity)-[r:%s {id: row.id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId`

	// cypherMergeRelations writes relations of one type (%s). Both endpoints are in the
	// dataset, which Validate checked, and were written before the relations.
	cypherMergeRelations = `
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:%s {id: row.id}]->(b)
WITH r, row, coalesce(r.createdAt, row.createdAt, $now) AS createdAt
WHERE r.contentHash IS NULL OR r.contentHash <> row.hash
SET r = row.props,
    r.contentHash = row.hash,
    r.createdAt = createdAt,
    r.updatedAt = $now
RETURN count(r) AS changed, collect(r.id) AS ids`

	// cypherCountRelations counts the relationships of one type (%s), from the count store.
	cypherCountRelations = `
MATCH ()-[r:%s]->()
RETURN count(r) AS n`

	// cypherImportCheck gathers, before anything is written, what would make the import
	// clash with the stored graph: ids that the dataset uses for one sort of item (entity,
	// source, relation) and the graph for another, and, for every entity whose kind changes,
	// the stored relations and references that must still fit the new kind. %s is the union
	// of idBranch over every relationship type.
	cypherImportCheck = `
CALL () {
  UNWIND $sourceIds AS id
  MATCH (:Entity {id: id})
  RETURN collect(id) AS sourceIdsOfEntities
}
CALL () {
  UNWIND $entityIds AS id
  MATCH (:Source {id: id})
  RETURN collect(id) AS entityIdsOfSources
}
CALL () {
  UNWIND $relationIds AS id
  MATCH (:Entity {id: id})
  RETURN collect(id) AS relationIdsOfEntities
}
CALL () {
  UNWIND $relationIds AS id
  MATCH (:Source {id: id})
  RETURN collect(id) AS relationIdsOfSources
}
CALL () {
  UNWIND $nodeIds AS id
  CALL (id) {%s
  }
  RETURN collect(DISTINCT relationId) AS nodeIdsOfRelations
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
RETURN sourceIdsOfEntities, entityIdsOfSources, relationIdsOfEntities, relationIdsOfSources,
       nodeIdsOfRelations, retyped`

	// idBranch finds a relationship of one type with a given id, through that type's index.
	idBranch = `
    MATCH ()-[r:%s {id: id}]->()
    RETURN r.id AS relationId`
)

// unionPerType joins one branch per relationship type with UNION ALL.
func unionPerType(branch string) string {
	var b strings.Builder
	for i, t := range model.AllRelationTypes() {
		if i > 0 {
			b.WriteString("\n  UNION ALL")
		}
		fmt.Fprintf(&b, branch, t)
	}
	return b.String()
}

// mergeEntitiesQuery is cypherMergeEntities for one kind.
func mergeEntitiesQuery(kind model.EntityKind) (string, error) {
	label, err := entityLabel(kind)
	if err != nil || kind == "" {
		return "", model.Errorf(model.CodeBadUserInput, "unknown entity kind %q", kind)
	}
	var others []string
	for _, k := range model.AllEntityKinds() {
		if k != kind {
			others = append(others, k.Label())
		}
	}
	return fmt.Sprintf(cypherMergeEntities, label, strings.Join(others, ":")), nil
}

// mergeRelationsQuery is cypherMergeRelations for one type.
func mergeRelationsQuery(t model.RelationType) (string, error) {
	if !t.IsValid() {
		return "", model.Errorf(model.CodeBadUserInput, "unknown relation type %q", t)
	}
	return fmt.Sprintf(cypherMergeRelations, t), nil
}

// countRelationsQuery is cypherCountRelations for one type.
func countRelationsQuery(t model.RelationType) (string, error) {
	if !t.IsValid() {
		return "", model.Errorf(model.CodeBadUserInput, "unknown relation type %q", t)
	}
	return fmt.Sprintf(cypherCountRelations, t), nil
}

// deleteMovedRelationsQuery is cypherDeleteMovedRelations over every type.
func deleteMovedRelationsQuery() string {
	return fmt.Sprintf(cypherDeleteMovedRelations, unionPerType(moveBranch))
}

// importCheckQuery is cypherImportCheck over every type.
func importCheckQuery() string {
	return fmt.Sprintf(cypherImportCheck, unionPerType(idBranch))
}
