package neo4jstore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/autograph-kg/autograph/graph/model"
)

// batchSize bounds the rows of one statement outside Import (the cycle check's batches):
// big enough that a seed is a few round trips, small enough that no parameter map grows
// without bound. Import's own transactions take Config.ImportBatchSize rows.
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

// Import upserts a whole dataset, keyed by id, in bounded write transactions of
// Config.ImportBatchSize rows each (Neo4j caps the memory of one transaction, which a dataset
// of a hundred thousand entities outgrows), Config.ImportWorkers of them at once: sources and
// entities kind by kind first, then, once every entity is written, relations type by type;
// each batch's statements UNWIND parameter rows: one finds the stored items of the batch,
// then the items that are not stored are created (no MERGE has to look for them) and the
// stored ones that change are merged. An item whose content is unchanged is not written, so
// importing the same dataset twice changes nothing, createdAt and updatedAt included.
//
// All or nothing is kept by the import journal (journal.go) rather than by one transaction:
// each batch commits together with the prior state of every item it overwrites and the ids
// of those it creates, and a failed import (a refused check, a failed batch, a done context)
// is rolled back from that journal before Import returns. An import whose process dies is
// rolled back by the next Open or Import once its heartbeat is older than the lease (30 s).
// What changes from one transaction: readers may see part of an import while it runs or
// rolls back, and a write that another client makes to an item the import overwrites, while
// the import runs, is lost if the import rolls back. Imports run one at a time: an Import
// waits for one that is running, in this process or another.
//
// Its revision (model.OpImport, touching every item it changed, none when it changed
// nothing) is recorded across the same transactions: each batch writes the changes of the
// items it changes, under the run's id, and the header commits, with its number, in the
// final transaction that marks the run committed. A reader finds an import's changes through
// its header, so it sees them all or none, and a rolled-back import's changes are deleted
// with its journal.
//
// A done context stops it between two batches (and the driver stops waiting for the one
// running); the rollback then runs on a context of its own, bounded by rollbackTimeout, and
// what it cannot finish is recovered later.
//
// The import rules of graph/model decide what is refused, before anything stays:
// model.CheckDataset before any round trip, model.CheckImport over the facts that batched
// read statements gather before anything is written (checkImport), and
// model.CheckImportedCycle over the chains found after the relations are written
// (checkImportedCycles), whose refusal rolls the import back.
func (s *Store) Import(ctx context.Context, d *model.Dataset) (err error) {
	const op = "import"
	if s.closed.Load() {
		return errClosed(op)
	}
	began := time.Now()
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
	run := newRunID()
	if err := s.acquireRun(ctx, run); err != nil {
		return wrapErr(ctx, op, err)
	}
	stop, lost := s.keepAlive(ctx, run)
	defer stop()
	s.logger.DebugContext(ctx, "neo4j: import phase done", "run", run, "phase", "prepare", "seconds", time.Since(began).Seconds())
	changed, recorded, err := s.importBatches(ctx, run, d, rows, now, lost)
	if err == nil {
		began = time.Now()
		err = s.markCommitted(ctx, run, importRevision(ctx, now, recorded))
		s.logger.DebugContext(ctx, "neo4j: import phase done", "run", run, "phase", "commit", "seconds", time.Since(began).Seconds())
	}
	if err != nil {
		if errors.Is(err, errSimulatedCrash) {
			return err
		}
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
		defer cancel()
		if rbErr := s.rollbackRun(rctx, run); rbErr != nil {
			s.logger.WarnContext(ctx, "neo4j: the rollback of a failed import did not finish; the next Open or Import recovers it",
				"run", run, "err", rbErr)
		}
		return wrapErr(ctx, op, err)
	}
	// Committed: from here the import stands whatever happens; the journal goes.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
	defer cancel()
	began = time.Now()
	if err := s.finishRun(fctx, run); err != nil {
		s.logger.WarnContext(ctx, "neo4j: the journal of a committed import was not deleted; the next Open or Import does it",
			"run", run, "err", err)
	}
	s.logger.DebugContext(ctx, "neo4j: import phase done", "run", run, "phase", "journal cleanup", "seconds", time.Since(began).Seconds())
	s.logger.InfoContext(ctx, "neo4j: import done", "changed", changed,
		"sources", len(d.Sources), "entities", len(d.Entities()), "relations", len(d.Relations))
	return nil
}

// importRevision is the header of an import's revision that recorded changes to that many
// items (its number is taken when it commits; its Touched entries are kept with its changes),
// nil when the import changed nothing.
func importRevision(ctx context.Context, at time.Time, changes int64) *model.Revision {
	if changes == 0 {
		return nil
	}
	return model.NewRevision(ctx, 0, at, model.OpImport, nil, nil)
}

// errSimulatedCrash, returned by a test's importHook, makes Import return at once as if its
// process had died: no rollback, the marker left behind.
var errSimulatedCrash = errors.New("simulated crash")

// batchWork is what one write batch of an import does in its transaction, before its journal
// and its changes are recorded.
type batchWork func(ctx context.Context, tx neo4j.ManagedTransaction, params map[string]any) (batchResult, error)

// batchResult is what one write batch did: its journal entry, the relation ids it wrote, what
// the import's revision keeps of each item it changed, and how many it changed.
type batchResult struct {
	entry   journalEntry
	ids     []string
	changes []model.Change
	n       int64
}

// datasetItems is every item of d by id, as the import leaves it: what its revision's
// Touched entries are made from (importChangeRows).
func datasetItems(d *model.Dataset) map[string]model.Item {
	out := make(map[string]model.Item, len(d.Sources)+len(d.Relations))
	for _, src := range d.Sources {
		out[src.ID] = model.Item{Source: src}
	}
	for _, e := range d.Entities() {
		out[e.GetID()] = model.Item{Entity: e}
	}
	for _, r := range d.Relations {
		out[r.ID] = model.Item{Relation: r}
	}
	return out
}

// importBatches runs the checks and the write batches of one import run, and returns how many
// items it changed and how many changes it recorded for the import's revision.
func (s *Store) importBatches(ctx context.Context, run string, d *model.Dataset, rows *importRows, now time.Time, lost <-chan struct{}) (int64, int64, error) {
	phase, began := "check", time.Now()
	next := func(name string) {
		s.logger.DebugContext(ctx, "neo4j: import phase done", "run", run, "phase", phase, "seconds", time.Since(began).Seconds())
		phase, began = name, time.Now()
	}
	if err := s.checkImport(ctx, d); err != nil {
		return 0, 0, err
	}
	next("stored types")
	storedBefore, err := readTx(ctx, s, func(tx neo4j.ManagedTransaction) (map[model.RelationType]bool, error) {
		return hierarchicalTypesStored(ctx, tx)
	})
	if err != nil {
		return 0, 0, err
	}
	var (
		mu       sync.Mutex
		changed  int64
		written  = map[string]bool{}
		recorded int64
		seq      int
	)
	after := datasetItems(d)
	// job is one write batch: its rows and the statements that save, write and journal them.
	type job struct {
		seq  int
		sort string
		rows []map[string]any
		work batchWork
	}
	newJob := func(sort string, rows []map[string]any, work batchWork) job {
		seq++
		return job{seq: seq, sort: sort, rows: rows, work: work}
	}
	runJob := func(ctx context.Context, j job) error {
		select {
		case <-lost:
			return errImportTakenOver
		default:
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if s.importHook != nil {
			if err := s.importHook(j.seq); err != nil {
				return err
			}
		}
		id := fmt.Sprintf("%s-%d", run, j.seq)
		res, err := retryDeadlocks(ctx, func() (batchResult, error) {
			return rawWriteTx(ctx, s, func(tx neo4j.ManagedTransaction) (batchResult, error) {
				params := map[string]any{"rows": j.rows, "now": now, "batch": id, "sort": j.sort}
				r, err := j.work(ctx, tx, params)
				if err != nil {
					return batchResult{}, err
				}
				e := r.entry
				if _, err = collect(ctx, tx, cypherJournalBatch, map[string]any{
					"run": run, "batch": id, "sort": j.sort,
					"ids": nonNil(e.ids), "types": nonNil(e.types), "priors": nonNil(distinct(e.priors)),
				}); err != nil {
					return batchResult{}, err
				}
				if len(r.changes) > 0 {
					rows, err := importChangeRows(r.changes, after)
					if err != nil {
						return batchResult{}, err
					}
					if _, err := collect(ctx, tx, cypherRecordImportChanges, map[string]any{"run": run, "changes": rows}); err != nil {
						return batchResult{}, err
					}
				}
				return r, nil
			})
		})
		if err != nil {
			return err
		}
		// Kept only once the batch committed: a retried attempt's work replaces the last one's.
		mu.Lock()
		defer mu.Unlock()
		changed += res.n
		for _, id := range res.ids {
			written[id] = true
		}
		recorded += int64(len(res.changes))
		return nil
	}

	// Sources and entities are independent of each other; relations need their endpoints, so
	// they start once every entity batch has committed.
	var nodes []job
	for _, b := range batches(rows.sources, s.importBatch) {
		nodes = append(nodes, newJob(sortSource, b, func(ctx context.Context, tx neo4j.ManagedTransaction, p map[string]any) (batchResult, error) {
			e, changes, n, err := writeNodes(ctx, tx, cypherSaveSources, cypherCreateSources, cypherMergeSources, b, p, sourceNodeItem)
			return batchResult{entry: e, changes: changes, n: n}, err
		}))
	}
	for _, kind := range model.AllEntityKinds() {
		cypher, err := mergeEntitiesQuery(kind)
		if err != nil {
			return 0, 0, err
		}
		create := createEntitiesQuery(kind)
		for _, b := range batches(rows.entities[kind], s.importBatch) {
			nodes = append(nodes, newJob(sortEntity, b, func(ctx context.Context, tx neo4j.ManagedTransaction, p map[string]any) (batchResult, error) {
				e, changes, n, err := writeNodes(ctx, tx, cypherSaveEntities, create, cypher, b, p, entityNodeItem)
				return batchResult{entry: e, changes: changes, n: n}, err
			}))
		}
	}
	var byType []map[string]any
	hubs := relationHubs(rows.relations)
	for _, t := range model.AllRelationTypes() {
		byType = append(byType, hubs.order(rows.byType[t])...)
	}
	var rels []job
	for _, b := range batches(byType, s.importBatch) {
		rels = append(rels, newJob(sortRelation, b, func(ctx context.Context, tx neo4j.ManagedTransaction, p map[string]any) (batchResult, error) {
			e, ids, changes, err := writeRelations(ctx, tx, b, p)
			return batchResult{entry: e, ids: ids, changes: changes, n: int64(len(ids))}, err
		}))
	}
	next("nodes")
	if err := runParallel(ctx, s.importWorkers, nodes, runJob); err != nil {
		return 0, 0, err
	}
	next("relations")
	if err := runParallel(ctx, s.importWorkers, rels, runJob); err != nil {
		return 0, 0, err
	}
	next("cycles")
	defer next("")
	err = func() error {
		_, err := readTx(ctx, s, func(tx neo4j.ManagedTransaction) (struct{}, error) {
			return struct{}{}, checkImportedCycles(ctx, tx, d, storedBefore, written)
		})
		return err
	}()
	return changed, recorded, err
}

// relationDegrees counts, for every entity that relation rows name, how many of the rows
// name it: the entities with the most relations are the hubs that concurrent batches would
// contend for.
type relationDegrees map[string]int

// relationHubs counts the relation rows of each endpoint.
func relationHubs(rows []map[string]any) relationDegrees {
	deg := relationDegrees{}
	for _, row := range rows {
		deg[row["from"].(string)]++
		deg[row["to"].(string)]++
	}
	return deg
}

// hub is the endpoint of a relation row with more relations (the smaller id of two with as
// many), and the other one.
func (deg relationDegrees) hub(row map[string]any) (string, string) {
	from, to := row["from"].(string), row["to"].(string)
	if deg[to] > deg[from] || deg[to] == deg[from] && to < from {
		return to, from
	}
	return from, to
}

// order is rows sorted by their hub, then by their other endpoint (rows stays as it was).
// A relationship's transaction holds the locks of both its endpoints until it commits, so two
// batches that run at once and share a hub run one after the other; in hub order, batches
// share at most the hub at their boundary, and they take the locks they share in the same
// order, which keeps deadlocks rare. Which batch writes a relation changes nothing the import
// leaves or answers.
func (deg relationDegrees) order(rows []map[string]any) []map[string]any {
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(a, b map[string]any) int {
		ha, oa := deg.hub(a)
		hb, ob := deg.hub(b)
		return cmp.Or(strings.Compare(ha, hb), strings.Compare(oa, ob))
	})
	return out
}

// deadlockRetries is how many times Import runs a batch again that Neo4j aborted for a
// deadlock, beyond the driver's own retries (bounded by time, which a busy server exhausts).
const deadlockRetries = 8

// retryDeadlocks runs work again while it fails with a deadlock: two batches that write
// relationships of the same dense node may lock its relationship groups in opposite orders,
// and Neo4j aborts one of them. The aborted batch's transaction was rolled back, so running it
// again is safe.
func retryDeadlocks[T any](ctx context.Context, work func() (T, error)) (T, error) {
	for attempt := 1; ; attempt++ {
		v, err := work()
		if err == nil || attempt > deadlockRetries || ctx.Err() != nil || !deadlocked(err) {
			return v, err
		}
		select {
		case <-ctx.Done():
			return v, err
		case <-time.After(time.Duration(attempt) * 50 * time.Millisecond):
		}
	}
}

// deadlocked reports whether err is Neo4j's deadlock abort, alone or as the last error of the
// driver's exhausted retries.
func deadlocked(err error) bool {
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) && len(limit.Errors) > 0 {
		err = limit.Errors[len(limit.Errors)-1]
	}
	var dbErr *neo4j.Neo4jError
	return errors.As(err, &dbErr) && dbErr.Code == "Neo.TransientError.Transaction.DeadlockDetected"
}

// runParallel runs every job with at most workers of them at once, in order of the list, and
// stops handing out jobs at the first error, which it returns (the jobs running then see their
// context cancelled). A done ctx stops it too.
func runParallel[J any](ctx context.Context, workers int, jobs []J, run func(context.Context, J) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		once  sync.Once
		first error
		wg    sync.WaitGroup
	)
	next := make(chan J)
	for range max(1, min(workers, len(jobs))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				if err := run(ctx, j); err != nil {
					once.Do(func() { first = err })
					cancel()
				}
			}
		}()
	}
feed:
	for _, j := range jobs {
		select {
		case next <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// readTx runs work in one managed read transaction of its own session.
func readTx[T any](ctx context.Context, s *Store, work func(tx neo4j.ManagedTransaction) (T, error)) (T, error) {
	session := s.session(ctx, neo4j.AccessModeRead)
	v, err := neo4j.ExecuteRead(ctx, session, work, txTimeout(ctx)...)
	return v, joinClose(ctx, err, session)
}

// writeNodes writes one batch of entity or source rows: save (cypherSaveEntities or
// cypherSaveSources) saves the prior state of the stored items the batch changes, then create
// writes the rows of items that are not stored (the save statement's locking seek on the
// uniqueness constraint keeps another transaction from creating one of them meanwhile) and
// merge the rows of stored items that change; a row whose item is stored unchanged is not
// sent, as merge would not write it. The journal entry lists the ids the batch creates; the
// changes are what the import's revision keeps of every item the batch changes, item mapping
// a stored node.
func writeNodes(ctx context.Context, tx neo4j.ManagedTransaction, save, create, merge string, rows []map[string]any, params map[string]any,
	item func(dbtype.Node) (model.Item, error)) (journalEntry, []model.Change, int64, error) {
	recs, err := collect(ctx, tx, save, params)
	if err != nil {
		return journalEntry{}, nil, 0, err
	}
	stored := make(map[string]bool, len(recs))
	changedIDs := map[string]bool{} // the stored items the batch changes
	var changed []map[string]any
	var j journalEntry
	var changes []model.Change
	for _, rec := range recs {
		id, err1 := recordValue[string](rec, "id")
		isChanged, err2 := recordValue[bool](rec, "changed")
		prior, err3 := recordValue[string](rec, "prior")
		if err := errors.Join(err1, err2, err3); err != nil {
			return journalEntry{}, nil, 0, fmt.Errorf("import journal: %w", err)
		}
		stored[id] = true
		if isChanged {
			changedIDs[id] = true
			j.priors = append(j.priors, prior)
			n, err := recordValue[dbtype.Node](rec, "before")
			if err != nil {
				return journalEntry{}, nil, 0, fmt.Errorf("import journal: %w", err)
			}
			before, err := item(n)
			if err != nil {
				return journalEntry{}, nil, 0, fmt.Errorf("import journal: %w", err)
			}
			changes = append(changes, model.Change{ID: id, Before: before})
		}
	}
	now := params["now"].(time.Time)
	var fresh []map[string]any
	for _, row := range rows {
		switch id := row["id"].(string); {
		case !stored[id]:
			j.ids = append(j.ids, id)
			changes = append(changes, model.Change{ID: id})
			fresh = append(fresh, freshRow(row, now))
		case changedIDs[id]:
			changed = append(changed, row)
		}
	}
	var n int64
	if len(fresh) > 0 {
		c, err := runCount(ctx, tx, create, map[string]any{"rows": fresh}, "changed")
		if err != nil {
			return journalEntry{}, nil, 0, err
		}
		n += c
	}
	if len(changed) > 0 {
		c, err := runCount(ctx, tx, merge, map[string]any{"rows": changed, "now": now}, "changed")
		if err != nil {
			return journalEntry{}, nil, 0, err
		}
		n += c
	}
	return j, changes, n, nil
}

// freshRow is the row of an item that is not stored, for a create statement: its props carry
// everything the item is written with (its content hash, and now as createdAt and updatedAt),
// so one SET writes them, as the merge statements' would.
func freshRow(row map[string]any, now time.Time) map[string]any {
	p := maps.Clone(row["props"].(map[string]any))
	p["contentHash"], p["createdAt"], p["updatedAt"] = row["hash"], now, now
	out := map[string]any{"props": p}
	if from, ok := row["from"]; ok {
		out["from"], out["to"] = from, row["to"]
	}
	return out
}

// entityNodeItem and sourceNodeItem map a stored node of a batch to a model.Item.
func entityNodeItem(n dbtype.Node) (model.Item, error) {
	e, err := entityFromNode(n)
	return model.Item{Entity: e}, err
}

func sourceNodeItem(n dbtype.Node) (model.Item, error) {
	src, err := sourceFromNode(n)
	return model.Item{Source: src}, err
}

// writeRelations writes one batch of relation rows, in type order: cypherSaveRelations saves
// the prior state of the stored relations the batch changes and deletes those it moves (their
// createdAt goes into the rows, so the recreated relation keeps it), then, type by type,
// cypherCreateRelations writes the rows of relations stored under no type and
// cypherMergeRelations those of stored relations that change (moved ones included; a row
// whose relation is stored unchanged is not sent, as the merge would not write it). The
// journal entry lists every id the batch writes, with its new type. It returns the ids
// written and what the import's revision keeps of each.
func writeRelations(ctx context.Context, tx neo4j.ManagedTransaction, rows []map[string]any, params map[string]any) (journalEntry, []string, []model.Change, error) {
	byID := make(map[string]map[string]any, len(rows))
	for _, row := range rows {
		// Rows are shared with a retried attempt: reset what the last one carried over.
		row["createdAt"] = nil
		byID[row["id"].(string)] = row
	}
	recs, err := collect(ctx, tx, saveRelationsQuery(), params)
	if err != nil {
		return journalEntry{}, nil, nil, err
	}
	var j journalEntry
	unchanged := map[string]bool{}
	stored := make(map[string]bool, len(recs))
	befores := map[string]model.Item{}
	for _, rec := range recs {
		id, err1 := recordValue[string](rec, "id")
		changed, err2 := recordValue[bool](rec, "changed")
		prior, err3 := recordValue[string](rec, "prior")
		if err := errors.Join(err1, err2, err3); err != nil {
			return journalEntry{}, nil, nil, fmt.Errorf("import journal: %w", err)
		}
		stored[id] = true
		if !changed {
			unchanged[id] = true
			continue
		}
		j.priors = append(j.priors, prior)
		if created, ok := rec.Get("createdAt"); ok && created != nil && byID[id] != nil {
			byID[id]["createdAt"] = created
		}
		before, err := priorRelation(rec, prior)
		if err != nil {
			return journalEntry{}, nil, nil, fmt.Errorf("import journal: %w", err)
		}
		befores[id] = model.Item{Relation: before}
	}
	var changes []model.Change
	for _, row := range rows {
		if id := row["id"].(string); !unchanged[id] {
			j.ids = append(j.ids, id)
			j.types = append(j.types, row["type"].(string))
			changes = append(changes, model.Change{ID: id, Before: befores[id]})
		}
	}
	now := params["now"].(time.Time)
	var ids []string
	for _, t := range model.AllRelationTypes() {
		var fresh, typed []map[string]any
		for _, row := range rows {
			if row["type"] != string(t) {
				continue
			}
			switch id := row["id"].(string); {
			case !stored[id]:
				fresh = append(fresh, freshRow(row, now))
			case !unchanged[id]:
				typed = append(typed, row)
			}
		}
		if len(fresh) > 0 {
			got, err := writeRelationRows(ctx, tx, createRelationsQuery(t), fresh, now)
			if err != nil {
				return journalEntry{}, nil, nil, err
			}
			ids = append(ids, got...)
		}
		if len(typed) == 0 {
			continue
		}
		cypher, err := mergeRelationsQuery(t)
		if err != nil {
			return journalEntry{}, nil, nil, err
		}
		got, err := writeRelationRows(ctx, tx, cypher, typed, now)
		if err != nil {
			return journalEntry{}, nil, nil, err
		}
		ids = append(ids, got...)
	}
	return j, ids, changes, nil
}

// priorRelation maps the before column of cypherSaveRelations: the stored relation, of type
// typ, that a batch changes.
func priorRelation(rec *neo4j.Record, typ string) (*model.Relation, error) {
	m, err := recordValue[map[string]any](rec, "before")
	if err != nil {
		return nil, err
	}
	props, ok := m["props"].(map[string]any)
	from, ok1 := m["fromId"].(string)
	to, ok2 := m["toId"].(string)
	if !ok || !ok1 || !ok2 {
		return nil, fmt.Errorf("the prior relation is %v", m)
	}
	return relationFromRel(dbtype.Relationship{Type: typ, Props: props}, from, to)
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

// checkImport gathers the model.ImportFacts of a dataset with cypherImportCheck, in batches
// of at most Config.ImportBatchSize ids of each list, one read transaction each,
// Config.ImportWorkers at once, and lets model.CheckImport decide over the facts of all
// batches.
func (s *Store) checkImport(ctx context.Context, d *model.Dataset) error {
	p := importCheckParams(d)
	lists := []string{"notEntityIds", "notSourceIds", "notRelationIds", "kinds"}
	n := 0
	for _, k := range lists {
		n = max(n, (listLen(p[k])+s.importBatch-1)/s.importBatch)
	}
	// The batches only read: Config.ImportWorkers of them run at once, and their facts are
	// put together in batch order, as one after the other would.
	parts := make([]*model.ImportFacts, n)
	batchNos := make([]int, n)
	for i := range batchNos {
		batchNos[i] = i
	}
	err := runParallel(ctx, s.importWorkers, batchNos, func(ctx context.Context, i int) error {
		params := map[string]any{}
		for _, k := range lists {
			params[k] = listPart(p[k], i*s.importBatch, (i+1)*s.importBatch)
		}
		f, err := readTx(ctx, s, func(tx neo4j.ManagedTransaction) (*model.ImportFacts, error) {
			recs, err := collect(ctx, tx, importCheckQuery(), params)
			if err != nil {
				return nil, err
			}
			rec, err := one(recs, func(r *neo4j.Record) (*neo4j.Record, error) { return r, nil })
			if err != nil {
				return nil, err
			}
			f, err := importFactsFromRecord(rec)
			if err != nil {
				return nil, fmt.Errorf("import check: %w", err)
			}
			return f, nil
		})
		parts[i] = f
		return err
	})
	if err != nil {
		return err
	}
	facts := &model.ImportFacts{HeldByEntity: map[string]bool{}, HeldBySource: map[string]bool{}, HeldByRelation: map[string]bool{}}
	for _, f := range parts {
		maps.Copy(facts.HeldByEntity, f.HeldByEntity)
		maps.Copy(facts.HeldBySource, f.HeldBySource)
		maps.Copy(facts.HeldByRelation, f.HeldByRelation)
		facts.Retyped = append(facts.Retyped, f.Retyped...)
	}
	return model.CheckImport(d, facts)
}

// listLen is the length of a list parameter of importCheckParams.
func listLen(v any) int {
	switch l := v.(type) {
	case []string:
		return len(l)
	case []any:
		return len(l)
	}
	return 0
}

// listPart is the part lo:hi of a list parameter of importCheckParams, clipped to its length.
func listPart(v any, lo, hi int) any {
	n := listLen(v)
	lo, hi = min(lo, n), min(hi, n)
	switch l := v.(type) {
	case []string:
		return l[lo:hi]
	case []any:
		return l[lo:hi]
	}
	return []any{}
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

// cypherCreateSources writes a batch of sources that are not stored; each row's props hold
// every property, its hash and timestamps among them (freshRow).
const cypherCreateSources = `
UNWIND $rows AS row
CREATE (n:Source)
SET n = row.props
RETURN count(n) AS changed`

// cypherCreateEntities writes entities of one kind (%s, its label) that are not stored, as
// cypherCreateSources does sources.
const cypherCreateEntities = `
UNWIND $rows AS row
CREATE (n:Entity:%s)
SET n = row.props
RETURN count(n) AS changed`

// createEntitiesQuery is cypherCreateEntities for one kind, which mergeEntitiesQuery has
// checked.
func createEntitiesQuery(kind model.EntityKind) string {
	return fmt.Sprintf(cypherCreateEntities, kind.Label())
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

// cypherCreateRelations writes relations of one type (%s) that are not stored under any
// type (cypherSaveRelations found none in the same transaction), so no MERGE has to look for
// them among their endpoints' relationships; each row's props hold every property, its hash
// and timestamps among them (freshRow).
const cypherCreateRelations = `
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
CREATE (a)-[r:%s]->(b)
SET r = row.props
RETURN count(r) AS changed, collect(r.id) AS ids`

// createRelationsQuery is cypherCreateRelations for one type, valid as buildImportRows
// checked.
func createRelationsQuery(t model.RelationType) string {
	return fmt.Sprintf(cypherCreateRelations, t)
}

// mergeRelationsQuery is cypherMergeRelations for one type.
func mergeRelationsQuery(t model.RelationType) (string, error) {
	if !t.IsValid() {
		return "", model.Errorf(model.CodeBadUserInput, "unknown relation type %q", t)
	}
	return fmt.Sprintf(cypherMergeRelations, t), nil
}

// writeRelationRows runs cypherCreateRelations or cypherMergeRelations for one batch and
// returns the ids it wrote.
func writeRelationRows(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, batch []map[string]any, now time.Time) ([]string, error) {
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
