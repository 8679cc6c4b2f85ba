package neo4jstore

import (
	"context"
	"fmt"
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
// As in the embedded store, the dataset must pass Validate, and an import that would clash
// with the stored graph is refused (BAD_USER_INPUT) before anything is written: an id used
// for another sort of item, or an entity whose new kind no longer fits a stored relation or
// reference that the dataset does not replace.
func (s *Store) Import(ctx context.Context, d *model.Dataset) (err error) {
	const op = "import"
	if s.closed.Load() {
		return errClosed(op)
	}
	if d == nil {
		return fmt.Errorf("neo4j: %s: %w", op, model.Errorf(model.CodeBadUserInput, "no dataset to import"))
	}
	if err := d.ValidateContext(ctx); err != nil {
		if ctx.Err() != nil {
			return wrapErr(ctx, op, err)
		}
		return fmt.Errorf("neo4j: %s: %w", op, &model.Error{Code: model.CodeBadUserInput, Message: "the dataset is invalid", Err: err})
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

// runCount runs a statement that returns one integer column and returns its sum over records.
func runCount(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any, key string) (int64, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return 0, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return 0, err
	}
	var sum int64
	for _, rec := range recs {
		n, err := recordValue[int64](rec, key)
		if err != nil {
			return 0, err
		}
		sum += n
	}
	return sum, nil
}
