package neo4jstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/model"
)

// The import journal. Import writes a dataset in many bounded transactions (Neo4j caps the
// memory of one), so the all-or-nothing promise is kept by undo records rather than by one
// transaction:
//
//   - An :ImportRun marker (one at a time: a uniqueness constraint on its lock) says an
//     import is running, with a heartbeat the import refreshes while it runs.
//   - Every write batch commits, in its own transaction, together with what undoes it: an
//     :ImportJournal node listing the ids the batch created (and, for relations, every id it
//     wrote with the type it gave it), and one :ImportPrior node per item the batch
//     overwrote, holding the item's prior properties (for a relation also its prior type and
//     endpoints). A batch and its undo records commit together or not at all.
//   - When the import fails (a refused check, a failed batch, a cancelled context), it rolls
//     back from the journal: relations first, then entities and sources, one journal batch per
//     transaction, each deleting its journal node, so a rollback that is itself interrupted
//     resumes where it stopped.
//   - When it succeeds, the marker turns "committed" and the journal is deleted in batches; a
//     committed run that is interrupted while its journal is deleted is finished, never
//     rolled back.
//   - A run whose heartbeat is older than the lease was abandoned (its process died): Open
//     and the next Import recover it, rolling it back (or finishing a committed one).
//
// Readers may see a partial import while it runs or rolls back; see Store.Import.

// The labels of the journal, which never carry :Entity or :Source, so no read of the store
// sees them.
const (
	labelImportRun     = "ImportRun"
	labelImportJournal = "ImportJournal"
	labelImportPrior   = "ImportPrior"
)

// The states of an :ImportRun and the sorts of journal batches, sent as parameters.
const (
	runRunning   = "running"
	runCommitted = "committed"
	sortEntity   = "entity"
	sortSource   = "source"
	sortRelation = "relation"
	// importLock is the one value of ImportRun.lock: the constraint on it allows one run.
	importLock = "import"
)

// Defaults of the import's tunables (Config.ImportBatchSize; the lease is fixed outside tests).
const (
	// DefaultImportBatchSize is the rows one import transaction writes, when
	// Config.ImportBatchSize is zero: a few megabytes of transaction state, far below the
	// transaction memory of a small server (the tests' has a 768 MiB heap), and big enough that
	// round trips cost little beside the writes.
	DefaultImportBatchSize = 2000
	// DefaultImportWorkers is how many import transactions run at once when
	// Config.ImportWorkers is zero: two keep the server busy while the store waits for a
	// round trip or builds the next batch.
	DefaultImportWorkers = 2
	// defaultImportLease is how old a run's heartbeat may get before another store takes it
	// for abandoned and rolls it back. The heartbeat is refreshed every lease/6.
	defaultImportLease = 30 * time.Second
	// rollbackTimeout bounds the rollback of a failed import; what it leaves is recovered at
	// the next Open or Import.
	rollbackTimeout = 5 * time.Minute
	// cleanupBatches is how many journal batches one commit-cleanup transaction deletes.
	cleanupBatches = 10
)

// newRunID names an import run.
func newRunID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// cypherAcquireRun takes the import marker for $run, or reports who holds it and whether that
// run's heartbeat is older than the lease.
const cypherAcquireRun = `
MERGE (m:ImportRun {lock: $lock})
ON CREATE SET m.run = $run, m.state = $running, m.heartbeat = datetime()
RETURN m.run AS run, m.state AS state,
       m.heartbeat < datetime() - duration({milliseconds: $leaseMs}) AS stale`

// cypherCountImport counts an import that took the marker (HistoryBounds.Imports), in the
// transaction that took it: a reader that saw no import under way and the same count before
// and after it read saw no part of one.
const cypherCountImport = `
MERGE (k:RevisionCounter {key: $key})
SET k.imports = coalesce(k.imports, 0) + 1`

// cypherClaimRun takes over an abandoned run ($run) for recovery: it refreshes the heartbeat
// only while it is still stale, so two stores cannot both claim it.
const cypherClaimRun = `
MATCH (m:ImportRun {lock: $lock, run: $run})
WHERE m.heartbeat < datetime() - duration({milliseconds: $leaseMs})
SET m.heartbeat = datetime()
RETURN m.state AS state`

// cypherHeartbeat refreshes the heartbeat of the run; no row means the run lost its marker
// (another store took it for abandoned).
const cypherHeartbeat = `
MATCH (m:ImportRun {lock: $lock, run: $run})
SET m.heartbeat = datetime()
RETURN count(m) AS n`

// cypherCommitRun marks the run committed: from here on it is finished, never rolled back.
const cypherCommitRun = `
MATCH (m:ImportRun {lock: $lock, run: $run})
SET m.state = $committed, m.heartbeat = datetime()
RETURN count(m) AS n`

// cypherReleaseRun deletes the run's marker, once its journal is gone.
const cypherReleaseRun = `
MATCH (m:ImportRun {lock: $lock, run: $run})
DELETE m`

// cypherFindRun finds the marker, for recovery at Open.
const cypherFindRun = `
MATCH (m:ImportRun {lock: $lock})
RETURN m.run AS run, m.state AS state,
       m.heartbeat < datetime() - duration({milliseconds: $leaseMs}) AS stale`

// cypherJournalBatch records what undoes one write batch: $ids are the ids it created (for
// relations, every id it wrote), $types the type it gave each (relations only), $priors the
// kinds or types of the :ImportPrior nodes the batch saved.
const cypherJournalBatch = `
CREATE (:ImportJournal {run: $run, batch: $batch, sort: $sort, ids: $ids, types: $types, priors: $priors})`

// cypherSaveEntities saves, before a batch of entity rows is written, the prior state of every
// stored entity the batch changes, and returns the ids it found stored, their kinds, and the
// stored node of each it changes (for the import's revision).
const cypherSaveEntities = `
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
WITH row, n, n.contentHash IS NULL OR n.contentHash <> row.hash AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
  CREATE (p:ImportPrior)
  SET p = properties(n), p.importBatch = $batch, p.importSort = $sort)
RETURN row.id AS id, changed, n.kind AS prior, CASE WHEN changed THEN n END AS before`

// cypherSaveSources is cypherSaveEntities for sources.
const cypherSaveSources = `
UNWIND $rows AS row
MATCH (n:Source {id: row.id})
WITH row, n, n.contentHash IS NULL OR n.contentHash <> row.hash AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
  CREATE (p:ImportPrior)
  SET p = properties(n), p.importBatch = $batch, p.importSort = $sort)
RETURN row.id AS id, changed, $sort AS prior, CASE WHEN changed THEN n END AS before`

// cypherSaveRelations saves the prior state of every stored relation a batch of relation rows
// changes (its properties, type and endpoints), and deletes those the rows give another type
// or other endpoints: MERGE cannot move a relationship, and a MERGE on the new pattern would
// leave the old one beside it. It returns the stored ids, whether each changes, its stored
// type, for a moved one its createdAt, which the recreated relation keeps, and for a changed
// one its stored properties and endpoints (for the import's revision). %s is the union of
// moveBranch over every type.
const cypherSaveRelations = `
UNWIND $rows AS row
CALL (row) {%s
}
WITH row, r, fromId, toId, type(r) <> row.type OR fromId <> row.from OR toId <> row.to AS moved
WITH row, r, fromId, toId, moved, moved OR r.contentHash IS NULL OR r.contentHash <> row.hash AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
  CREATE (p:ImportPrior)
  SET p = properties(r), p.importBatch = $batch, p.importSort = $sort,
      p.importType = type(r), p.importFrom = fromId, p.importTo = toId)
WITH row, r, moved, changed, type(r) AS prior, r.createdAt AS createdAt,
     CASE WHEN changed THEN {props: properties(r), fromId: fromId, toId: toId} END AS before
FOREACH (_ IN CASE WHEN moved THEN [1] ELSE [] END | DELETE r)
RETURN row.id AS id, changed, prior, CASE WHEN moved THEN createdAt END AS createdAt, before`

// moveBranch finds the stored relation of row.id among one type's relationships.
const moveBranch = `
  MATCH (a:Entity)-[r:%s {id: row.id}]->(b:Entity)
  RETURN r, a.id AS fromId, b.id AS toId`

// saveRelationsQuery is cypherSaveRelations over every type.
func saveRelationsQuery() string {
	return fmt.Sprintf(cypherSaveRelations, unionPerType(moveBranch))
}

// cypherNextJournal is one journal batch of a run, of one sort, for the rollback.
const cypherNextJournal = `
MATCH (j:ImportJournal {run: $run, sort: $sort})
RETURN j.batch AS batch, j.ids AS ids, j.types AS types, j.priors AS priors
LIMIT 1`

// cypherUndoRelations deletes the relationships of one type (%s) that a journal batch wrote.
const cypherUndoRelations = `
UNWIND $ids AS id
MATCH ()-[r:%s {id: id}]->()
DELETE r`

// cypherRestoreRelations recreates, with their prior properties, the relations of one type
// (%s) that a journal batch overwrote.
const cypherRestoreRelations = `
MATCH (p:ImportPrior {importBatch: $batch, importType: $type})
MATCH (a:Entity {id: p.importFrom})
MATCH (b:Entity {id: p.importTo})
CREATE (a)-[r:%s]->(b)
SET r = properties(p)
REMOVE r.importBatch, r.importSort, r.importType, r.importFrom, r.importTo`

// cypherUndoEntities deletes the entities a journal batch created; their relations are the
// import's and were undone first.
const cypherUndoEntities = `
UNWIND $ids AS id
MATCH (n:Entity {id: id})
DETACH DELETE n`

// cypherRestoreEntities gives the entities of one prior kind that a journal batch overwrote
// their prior properties and labels: %[1]s is the kind's label, %[2]s the other kinds'.
const cypherRestoreEntities = `
MATCH (p:ImportPrior {importBatch: $batch, importSort: $sort, kind: $kind})
MATCH (n:Entity {id: p.id})
SET n = properties(p)
REMOVE n.importBatch, n.importSort
REMOVE n:%[2]s
SET n:%[1]s`

// cypherUndoSources deletes the sources a journal batch created.
const cypherUndoSources = `
UNWIND $ids AS id
MATCH (n:Source {id: id})
DETACH DELETE n`

// cypherRestoreSources gives the sources a journal batch overwrote their prior properties.
const cypherRestoreSources = `
MATCH (p:ImportPrior {importBatch: $batch, importSort: $sort})
MATCH (n:Source {id: p.id})
SET n = properties(p)
REMOVE n.importBatch, n.importSort`

// cypherDropJournalBatch deletes one journal batch and its saved items.
const cypherDropJournalBatch = `
MATCH (j:ImportJournal {batch: $batch})
CALL (j) {
  MATCH (p:ImportPrior {importBatch: j.batch})
  DELETE p
}
DELETE j`

// cypherDropJournal deletes up to $n journal batches of a committed run and their saved
// items, and says how many it deleted.
const cypherDropJournal = `
MATCH (j:ImportJournal {run: $run})
WITH j LIMIT $n
CALL (j) {
  MATCH (p:ImportPrior {importBatch: j.batch})
  DELETE p
}
DELETE j
RETURN count(*) AS n`

// undoRelationsQuery, restoreRelationsQuery and restoreEntitiesQuery splice a whitelisted type
// or kind into their templates.
func undoRelationsQuery(t model.RelationType) (string, error) {
	if !t.IsValid() {
		return "", model.Errorf(model.CodeBadUserInput, "unknown relation type %q", t)
	}
	return fmt.Sprintf(cypherUndoRelations, t), nil
}

func restoreRelationsQuery(t model.RelationType) (string, error) {
	if !t.IsValid() {
		return "", model.Errorf(model.CodeBadUserInput, "unknown relation type %q", t)
	}
	return fmt.Sprintf(cypherRestoreRelations, t), nil
}

func restoreEntitiesQuery(kind model.EntityKind) (string, error) {
	if !kind.IsValid() {
		return "", model.Errorf(model.CodeBadUserInput, "unknown entity kind %q", kind)
	}
	var others []string
	for _, k := range model.AllEntityKinds() {
		if k != kind {
			others = append(others, k.Label())
		}
	}
	return fmt.Sprintf(cypherRestoreEntities, kind.Label(), strings.Join(others, ":")), nil
}

// runParams are the parameters every marker statement takes.
func (s *Store) runParams(run string) map[string]any {
	return map[string]any{
		"lock": importLock, "run": run, "running": runRunning, "committed": runCommitted,
		"leaseMs": s.importLease.Milliseconds(),
	}
}

// rawWriteTx runs work in one managed write transaction of its own session and leaves its
// error as the driver gave it (writeTx classifies it for a single write).
func rawWriteTx[T any](ctx context.Context, s *Store, work func(tx neo4j.ManagedTransaction) (T, error)) (T, error) {
	session := s.session(ctx, neo4j.AccessModeWrite)
	v, err := neo4j.ExecuteWrite(ctx, session, work, txTimeout(ctx)...)
	return v, joinClose(ctx, err, session)
}

// errImportTakenOver is what an import gets when its marker is gone: another store took the
// run for abandoned (its heartbeat stalled past the lease) and rolled it back.
var errImportTakenOver = errors.New("the import's run marker was taken over by another store; the import was rolled back")

// acquireRun takes the import marker for run. An abandoned run that holds it is recovered
// first; a live one (another import, in this process or another) is waited for.
func (s *Store) acquireRun(ctx context.Context, run string) error {
	wait := 20 * time.Millisecond
	for {
		type holder struct {
			run, state string
			stale      bool
		}
		h, err := rawWriteTx(ctx, s, func(tx neo4j.ManagedTransaction) (holder, error) {
			recs, err := collect(ctx, tx, cypherAcquireRun, s.runParams(run))
			if err != nil {
				return holder{}, err
			}
			h, err := one(recs, func(r *neo4j.Record) (holder, error) {
				id, err1 := recordValue[string](r, "run")
				st, err2 := recordValue[string](r, "state")
				stale, err3 := recordValue[bool](r, "stale")
				return holder{id, st, stale}, errors.Join(err1, err2, err3)
			})
			if err == nil && h.run == run {
				_, err = collect(ctx, tx, cypherCountImport, map[string]any{"key": revisionCounterKey})
			}
			return h, err
		})
		switch {
		case err != nil:
			return err
		case h.run == run:
			return nil
		case h.stale:
			if err := s.recoverRun(ctx, h.run); err != nil {
				return err
			}
			continue
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 500*time.Millisecond)
	}
}

// keepAlive refreshes run's heartbeat every lease/6 until stop is called. lost is closed when
// the marker is gone (taken over), so the import can stop.
func (s *Store) keepAlive(ctx context.Context, run string) (stop func(), lost <-chan struct{}) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	gone := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(max(s.importLease/6, time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			n, err := rawWriteTx(ctx, s, func(tx neo4j.ManagedTransaction) (int64, error) {
				return runCount(ctx, tx, cypherHeartbeat, s.runParams(run), "n")
			})
			if err == nil && n == 0 {
				close(gone)
				return
			}
			if err != nil && ctx.Err() == nil {
				s.logger.WarnContext(ctx, "neo4j: import heartbeat failed", "run", run, "err", err)
			}
		}
	}()
	return func() { cancel(); <-done }, gone
}

// markCommitted turns run committed and, in the same transaction, records the import's
// revision rev (nil: the import changed nothing), whose changes its batches wrote under run;
// errImportTakenOver means its marker is gone.
func (s *Store) markCommitted(ctx context.Context, run string, rev *model.Revision) error {
	n, err := rawWriteTx(ctx, s, func(tx neo4j.ManagedTransaction) (int64, error) {
		n, err := runCount(ctx, tx, cypherCommitRun, s.runParams(run), "n")
		if err != nil || n == 0 || rev == nil {
			return n, err
		}
		number, err := revisionFor{}.take(ctx, tx)
		if err != nil {
			return 0, err
		}
		header := *rev
		header.Number = number
		params, err := revisionParams(&header, run)
		if err != nil {
			return 0, err
		}
		_, err = collect(ctx, tx, cypherRecordRevision, params)
		return n, err
	})
	if err == nil && n == 0 {
		return errImportTakenOver
	}
	return err
}

// finishRun deletes the journal of a committed run, in batches, then its marker.
func (s *Store) finishRun(ctx context.Context, run string) error {
	for {
		n, err := rawWriteTx(ctx, s, func(tx neo4j.ManagedTransaction) (int64, error) {
			return runCount(ctx, tx, cypherDropJournal, map[string]any{"run": run, "n": int64(cleanupBatches)}, "n")
		})
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
	}
	_, err := rawWriteTx(ctx, s, func(tx neo4j.ManagedTransaction) (struct{}, error) {
		_, err := collect(ctx, tx, cypherReleaseRun, s.runParams(run))
		return struct{}{}, err
	})
	return err
}

// journalEntry is one :ImportJournal node, as the rollback reads it.
type journalEntry struct {
	batch              string
	ids, types, priors []string
}

// rollbackRun undoes every journal batch of run, relations first, one batch per transaction,
// deletes the changes its batches recorded for its revision, then deletes its marker. It can
// be interrupted and run again. A run that turns out to have committed (its final commit went
// through though the import did not learn it) is finished instead, never rolled back.
func (s *Store) rollbackRun(ctx context.Context, run string) error {
	recs, err := s.read(ctx, "rollback import", cypherFindRun, s.runParams(run))
	if err != nil {
		return err
	}
	if len(recs) == 1 {
		holder, err1 := recordValue[string](recs[0], "run")
		state, err2 := recordValue[string](recs[0], "state")
		if err := errors.Join(err1, err2); err != nil {
			return fmt.Errorf("rollback import: %w", err)
		}
		if holder == run && state == runCommitted {
			return s.finishRun(ctx, run)
		}
	}
	for _, sort := range []string{sortRelation, sortEntity, sortSource} {
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			found, err := rawWriteTx(ctx, s, func(tx neo4j.ManagedTransaction) (bool, error) {
				recs, err := collect(ctx, tx, cypherNextJournal, map[string]any{"run": run, "sort": sort})
				if err != nil || len(recs) == 0 {
					return false, err
				}
				j, err := journalFromRecord(recs[0])
				if err != nil {
					return false, err
				}
				return true, undoBatch(ctx, tx, sort, j)
			})
			if err != nil {
				return err
			}
			if !found {
				break
			}
		}
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := rawWriteTx(ctx, s, func(tx neo4j.ManagedTransaction) (int64, error) {
			return runCount(ctx, tx, cypherDropImportChanges, map[string]any{"run": run, "n": int64(historyBatch)}, "n")
		})
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
	}
	_, err = rawWriteTx(ctx, s, func(tx neo4j.ManagedTransaction) (struct{}, error) {
		_, err := collect(ctx, tx, cypherReleaseRun, s.runParams(run))
		return struct{}{}, err
	})
	return err
}

// journalFromRecord maps a record of cypherNextJournal.
func journalFromRecord(rec *neo4j.Record) (journalEntry, error) {
	batch, err := recordValue[string](rec, "batch")
	if err != nil {
		return journalEntry{}, fmt.Errorf("import journal: %w", err)
	}
	j := journalEntry{batch: batch}
	for _, col := range []struct {
		key string
		to  *[]string
	}{{"ids", &j.ids}, {"types", &j.types}, {"priors", &j.priors}} {
		v, err := listOf[string](rec, col.key)
		if err != nil {
			return journalEntry{}, fmt.Errorf("import journal: %w", err)
		}
		*col.to = v
	}
	return j, nil
}

// undoBatch undoes one journal batch in tx and deletes it.
func undoBatch(ctx context.Context, tx neo4j.ManagedTransaction, sort string, j journalEntry) error {
	run := func(cypher string, params map[string]any) error {
		_, err := collect(ctx, tx, cypher, params)
		return err
	}
	batch := map[string]any{"batch": j.batch, "sort": sort}
	switch sort {
	case sortRelation:
		byType := map[model.RelationType][]string{}
		for i, id := range j.ids {
			if i < len(j.types) {
				byType[model.RelationType(j.types[i])] = append(byType[model.RelationType(j.types[i])], id)
			}
		}
		for _, t := range model.AllRelationTypes() {
			if len(byType[t]) == 0 {
				continue
			}
			q, err := undoRelationsQuery(t)
			if err != nil {
				return err
			}
			if err := run(q, map[string]any{"ids": byType[t]}); err != nil {
				return err
			}
		}
		for _, p := range distinct(j.priors) {
			q, err := restoreRelationsQuery(model.RelationType(p))
			if err != nil {
				return err
			}
			if err := run(q, withParams(batch, map[string]any{"type": p})); err != nil {
				return err
			}
		}
	case sortEntity:
		if err := run(cypherUndoEntities, map[string]any{"ids": j.ids}); err != nil {
			return err
		}
		for _, p := range distinct(j.priors) {
			q, err := restoreEntitiesQuery(model.EntityKind(p))
			if err != nil {
				return err
			}
			if err := run(q, withParams(batch, map[string]any{"kind": p})); err != nil {
				return err
			}
		}
	case sortSource:
		if err := run(cypherUndoSources, map[string]any{"ids": j.ids}); err != nil {
			return err
		}
		if len(j.priors) > 0 {
			if err := run(cypherRestoreSources, batch); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("import journal: unknown sort %q", sort)
	}
	return run(cypherDropJournalBatch, batch)
}

// recoverRun claims an abandoned run and rolls it back, or finishes it if it had committed.
// A run that is no longer abandoned (its import is alive after all, or another store claimed
// it first) is left alone.
func (s *Store) recoverRun(ctx context.Context, run string) error {
	state, err := rawWriteTx(ctx, s, func(tx neo4j.ManagedTransaction) (string, error) {
		recs, err := collect(ctx, tx, cypherClaimRun, s.runParams(run))
		if err != nil || len(recs) == 0 {
			return "", err
		}
		return recordValue[string](recs[0], "state")
	})
	if err != nil || state == "" {
		return err
	}
	stop, _ := s.keepAlive(ctx, run)
	defer stop()
	if state == runCommitted {
		s.logger.WarnContext(ctx, "neo4j: finishing an interrupted import that had committed", "run", run)
		return s.finishRun(ctx, run)
	}
	s.logger.WarnContext(ctx, "neo4j: rolling back an abandoned import", "run", run)
	return s.rollbackRun(ctx, run)
}

// recoverImports is Open's look for an abandoned import: it is rolled back (or finished) now.
// A run whose heartbeat is fresh belongs to a live import and is left to it (or, if its
// process has just died, to the next Import, which waits for the lease to run out).
func (s *Store) recoverImports(ctx context.Context) error {
	recs, err := s.read(ctx, "recover import", cypherFindRun, s.runParams(""))
	if err != nil || len(recs) == 0 {
		return err
	}
	run, err1 := recordValue[string](recs[0], "run")
	stale, err2 := recordValue[bool](recs[0], "stale")
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("neo4j: recover import: %w", err)
	}
	if !stale {
		s.logger.InfoContext(ctx, "neo4j: an import is running", "run", run)
		return nil
	}
	if err := s.recoverRun(ctx, run); err != nil {
		return wrapErr(ctx, "recover import", err)
	}
	return nil
}
