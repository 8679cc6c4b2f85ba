package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/model"
)

// batchSize bounds the rows of one statement: big enough that a seed is a few round trips,
// small enough that no parameter map grows without bound.
const batchSize = 500

// importRows is a dataset turned into statement parameters, built before anything is sent so
// that a dataset the store cannot write fails without a round trip.
type importRows struct {
	sources   []map[string]any
	entities  map[model.EntityKind][]map[string]any
	relations []map[string]any
	// byType groups the relation rows by type, in schema order.
	byType map[model.RelationType][]map[string]any
}

// rowCheckEvery is how many rows buildImportRows builds between two looks at its context.
const rowCheckEvery = 1024

// buildImportRows builds every row of a dataset; a done ctx stops it with ctx's error.
func buildImportRows(ctx context.Context, d *model.Dataset) (*importRows, error) {
	rows := &importRows{
		entities: map[model.EntityKind][]map[string]any{},
		byType:   map[model.RelationType][]map[string]any{},
	}
	n := 0
	stop := func() error {
		if n++; n%rowCheckEvery == 0 {
			return ctx.Err()
		}
		return nil
	}
	for _, s := range d.Sources {
		if err := stop(); err != nil {
			return nil, err
		}
		rows.sources = append(rows.sources, sourceRow(s))
	}
	for _, e := range d.Entities() {
		if err := stop(); err != nil {
			return nil, err
		}
		row, err := entityRow(e)
		if err != nil {
			return nil, err
		}
		rows.entities[e.Kind()] = append(rows.entities[e.Kind()], row)
	}
	for _, r := range d.Relations {
		if err := stop(); err != nil {
			return nil, err
		}
		if !r.Type.IsValid() {
			return nil, model.Errorf(model.CodeBadUserInput, "relation %q has an unknown type %q", r.ID, r.Type)
		}
		row := relationRow(r)
		rows.relations = append(rows.relations, row)
		rows.byType[r.Type] = append(rows.byType[r.Type], row)
	}
	return rows, nil
}

// Import upserts a whole dataset, keyed by id, in one write transaction: readers see the
// graph before the import or after it, never half of it, and a failed import changes nothing.
// A done context stops it between two statements (and the driver stops waiting for the one
// running): the transaction rolls back, so a cancelled import leaves nothing behind either.
// Within the transaction the rows go in batches of batchSize, sources first, then entities
// kind by kind, then relations. An item whose content is unchanged is not written, so
// importing the same dataset twice changes nothing, createdAt and updatedAt included.
//
// The import rules of graph/model decide what is refused: model.CheckDataset before the
// transaction, model.CheckImport over the facts one statement gathers before anything is
// written (checkImport), and model.CheckImportedCycle over the chains found after the
// relations are written (checkImportedCycles), which rolls the transaction back.
func (s *Store) Import(ctx context.Context, d *model.Dataset) (err error) {
	const op = "import"
	if s.closed.Load() {
		return errClosed(op)
	}
	if err := model.CheckDataset(ctx, d); err != nil {
		if ctx.Err() != nil {
			return wrapErr(ctx, op, err)
		}
		return fmt.Errorf("neo4j: %s: %w", op, err)
	}
	rows, err := buildImportRows(ctx, d)
	if err != nil {
		if ctx.Err() != nil {
			return wrapErr(ctx, op, err)
		}
		return fmt.Errorf("neo4j: %s: %w", op, err)
	}
	now := s.stamp()
	session := s.session(ctx, neo4j.AccessModeWrite)
	changed, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (int64, error) {
		// The driver retries this work on transient errors: it must not depend on state that
		// a failed attempt left behind, and every statement is an idempotent MERGE.
		return importTx(ctx, tx, d, rows, now)
	}, txTimeout(ctx)...)
	if err = joinClose(ctx, err, session); err != nil {
		return wrapErr(ctx, op, err)
	}
	s.logger.InfoContext(ctx, "neo4j: import done", "changed", changed,
		"sources", len(d.Sources), "entities", len(d.Entities()), "relations", len(d.Relations))
	return nil
}

// importTx is the body of Import's transaction; it returns how many items it wrote.
func importTx(ctx context.Context, tx neo4j.ManagedTransaction, d *model.Dataset, rows *importRows, now time.Time) (int64, error) {
	if err := checkImport(ctx, tx, d); err != nil {
		return 0, err
	}
	storedBefore, err := hierarchicalTypesStored(ctx, tx)
	if err != nil {
		return 0, err
	}
	var changed int64
	write := func(cypher string, batch []map[string]any) error {
		// A done context stops the import between two statements; returning its error rolls
		// the transaction back, so nothing of the import is committed.
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := runCount(ctx, tx, cypher, map[string]any{"rows": batch, "now": now}, "changed")
		changed += n
		return err
	}
	for _, b := range batches(rows.sources, batchSize) {
		if err := write(cypherMergeSources, b); err != nil {
			return 0, err
		}
	}
	for _, kind := range model.AllEntityKinds() {
		cypher, err := mergeEntitiesQuery(kind)
		if err != nil {
			return 0, err
		}
		for _, b := range batches(rows.entities[kind], batchSize) {
			if err := write(cypher, b); err != nil {
				return 0, err
			}
		}
	}
	for _, b := range batches(rows.relations, batchSize) {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if err := carryMovedRelations(ctx, tx, b); err != nil {
			return 0, err
		}
	}
	written := map[string]bool{}
	for _, t := range model.AllRelationTypes() {
		cypher, err := mergeRelationsQuery(t)
		if err != nil {
			return 0, err
		}
		for _, b := range batches(rows.byType[t], batchSize) {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
			ids, err := mergeRelations(ctx, tx, cypher, b, now)
			if err != nil {
				return 0, err
			}
			changed += int64(len(ids))
			for _, id := range ids {
				written[id] = true
			}
		}
	}
	if err := checkImportedCycles(ctx, tx, d, storedBefore, written); err != nil {
		return 0, err
	}
	return changed, nil
}

// cypherImportCheck gathers, before anything is written, the model.ImportFacts of a
// dataset: which of its ids a stored item of another sort holds ($notEntityIds are the ids
// it gives sources and relations, and so on), and, for every entity whose kind changes, the
// stored relations and references that must still fit the new kind. %s is the union of
// idBranch over every relationship type.
const cypherImportCheck = `
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
  CALL (id) {%s
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
RETURN heldByEntity, heldBySource, heldByRelation, retyped`

// idBranch finds a relationship of one type with a given id, through that type's index.
const idBranch = `
    MATCH ()-[r:%s {id: id}]->()
    RETURN r.id AS relationId`

// importCheckQuery is cypherImportCheck over every type.
func importCheckQuery() string {
	return fmt.Sprintf(cypherImportCheck, unionPerType(idBranch))
}

// importCheckParams are the parameters of cypherImportCheck for a dataset: the ids it gives
// each sort of item, and every entity's kind.
func importCheckParams(d *model.Dataset) map[string]any {
	var sourceIDs, entityIDs, relationIDs []string
	var kinds []any
	for _, s := range d.Sources {
		sourceIDs = append(sourceIDs, s.ID)
	}
	for _, e := range d.Entities() {
		entityIDs = append(entityIDs, e.GetID())
		kinds = append(kinds, map[string]any{"id": e.GetID(), "kind": string(e.Kind())})
	}
	for _, r := range d.Relations {
		relationIDs = append(relationIDs, r.ID)
	}
	return map[string]any{
		"notEntityIds":   nonNil(slices.Concat(sourceIDs, relationIDs)),
		"notSourceIds":   nonNil(slices.Concat(entityIDs, relationIDs)),
		"notRelationIds": nonNil(slices.Concat(sourceIDs, entityIDs)),
		"kinds":          nonNil(kinds),
	}
}

// checkImport gathers the model.ImportFacts of a dataset with cypherImportCheck, in one round
// trip, and lets model.CheckImport decide.
func checkImport(ctx context.Context, tx neo4j.ManagedTransaction, d *model.Dataset) error {
	res, err := tx.Run(ctx, importCheckQuery(), importCheckParams(d))
	if err != nil {
		return err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return err
	}
	f, err := importFactsFromRecord(rec)
	if err != nil {
		return fmt.Errorf("import check: %w", err)
	}
	return model.CheckImport(d, f)
}

// importFactsFromRecord maps the one record of cypherImportCheck.
func importFactsFromRecord(rec *neo4j.Record) (*model.ImportFacts, error) {
	f := &model.ImportFacts{}
	for _, col := range []struct {
		key string
		set *map[string]bool
	}{
		{"heldByEntity", &f.HeldByEntity},
		{"heldBySource", &f.HeldBySource},
		{"heldByRelation", &f.HeldByRelation},
	} {
		ids, err := listOf[string](rec, col.key)
		if err != nil {
			return nil, err
		}
		*col.set = map[string]bool{}
		for _, id := range ids {
			(*col.set)[id] = true
		}
	}
	retyped, err := listOf[map[string]any](rec, "retyped")
	if err != nil {
		return nil, err
	}
	for _, m := range retyped {
		e := model.RetypedEntity{ID: mapString(m, "id")}
		for _, x := range mapList(m, "rels") {
			r, _ := x.(map[string]any)
			e.Relations = append(e.Relations, model.StoredRelation{
				ID: mapString(r, "id"), Type: model.RelationType(mapString(r, "type")),
				FromID: mapString(r, "fromId"), FromKind: model.EntityKind(mapString(r, "fromKind")),
				ToID: mapString(r, "toId"), ToKind: model.EntityKind(mapString(r, "toKind")),
			})
		}
		e.CountryOf = mapStrings(m, "countryOf")
		e.PublisherOf = mapStrings(m, "publisherOf")
		f.Retyped = append(f.Retyped, e)
	}
	return f, nil
}

// The write statements of Import each take a batch of rows built in params.go. An item whose
// stored contentHash equals the row's is filtered out before SET, so an unchanged item is not
// written at all and keeps its timestamps; a changed one keeps createdAt and gets updatedAt =
// $now (one instant for the whole import). SET x = row.props replaces every property, so a
// field that was removed from the dataset is removed from the graph too.

// cypherMergeSources writes a batch of sources.
const cypherMergeSources = `
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
const cypherMergeEntities = `
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

// cypherDeleteMovedRelations deletes the stored relations that a row gives another type or
// other endpoints: MERGE cannot move a relationship, and a MERGE on the new pattern would
// leave the old one beside it. It returns their createdAt, which the recreated relation
// keeps. %s is the union of moveBranch over every type.
const cypherDeleteMovedRelations = `
UNWIND $rows AS row
CALL (row) {%s
}
WITH row, r, fromId, toId
WHERE type(r) <> row.type OR fromId <> row.from OR toId <> row.to
WITH row, r, r.createdAt AS createdAt
DELETE r
RETURN row.id AS id, createdAt`

// moveBranch finds the stored relation of row.id among one type's relationships.
const moveBranch = `
  MATCH (a:Entity)-[r:%s {id: row.id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId`

// deleteMovedRelationsQuery is cypherDeleteMovedRelations over every type.
func deleteMovedRelationsQuery() string {
	return fmt.Sprintf(cypherDeleteMovedRelations, unionPerType(moveBranch))
}

// carryMovedRelations deletes the stored relations that the batch moves to another type or
// other endpoints, and puts their createdAt in the rows, so the recreated relation keeps it.
// Rows are shared with a retried attempt, so every row's createdAt is reset first.
func carryMovedRelations(ctx context.Context, tx neo4j.ManagedTransaction, batch []map[string]any) error {
	byID := make(map[string]map[string]any, len(batch))
	for _, row := range batch {
		row["createdAt"] = nil
		byID[row["id"].(string)] = row
	}
	res, err := tx.Run(ctx, deleteMovedRelationsQuery(), map[string]any{"rows": batch})
	if err != nil {
		return err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		id, err := recordValue[string](rec, "id")
		if err != nil {
			return fmt.Errorf("moved relation: %w", err)
		}
		if created, ok := rec.Get("createdAt"); ok && byID[id] != nil {
			byID[id]["createdAt"] = created
		}
	}
	return nil
}

// cypherMergeRelations writes relations of one type (%s). Both endpoints are in the
// dataset, which Validate checked, and were written before the relations.
const cypherMergeRelations = `
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

// mergeRelationsQuery is cypherMergeRelations for one type.
func mergeRelationsQuery(t model.RelationType) (string, error) {
	if !t.IsValid() {
		return "", model.Errorf(model.CodeBadUserInput, "unknown relation type %q", t)
	}
	return fmt.Sprintf(cypherMergeRelations, t), nil
}

// mergeRelations runs cypherMergeRelations for one batch and returns the ids it wrote.
func mergeRelations(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, batch []map[string]any, now time.Time) ([]string, error) {
	res, err := tx.Run(ctx, cypher, map[string]any{"rows": batch, "now": now})
	if err != nil {
		return nil, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return nil, err
	}
	ids, err := listOf[string](rec, "ids")
	if err != nil {
		return nil, fmt.Errorf("merged relations: %w", err)
	}
	return ids, nil
}
