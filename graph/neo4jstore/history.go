package neo4jstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/autograph-kg/autograph/graph/model"
)

// Compile-time check that Store keeps the history of its writes.
var _ model.History = (*Store)(nil)

// History is kept in three kinds of node, none labelled :Entity or :Source, so no read of
// the graph sees them:
//
//	(:RevisionCounter {key, last, floor, floorAt})  one node: the newest revision's number,
//	                                                and what Prune forgot up to
//	(:Revision {number, at, operation, actorName, actorRole, actorVia, touched | run})
//	                                                one header per revision; touched is the
//	                                                JSON of a write's []model.Touched, run the
//	                                                import run that wrote an import's
//	(:RevisionChange {number | run, itemId, before, touched})
//	                                                one per item a revision changed; before
//	                                                is the JSON of the model.Item it replaced,
//	                                                absent when the write created the item;
//	                                                an import's also holds its model.Touched
//
// A write takes its number first thing in its transaction, by incrementing the counter:
// that write-locks the counter until the transaction ends, so writes run one at a time from
// their lookup to their commit, in number order, whatever the number of server processes on
// the database. The lookup then reads the graph as the previous revision left it, so what a
// revision keeps as before is exactly what the previous one wrote, and a follower that has
// seen revision n and asks for more misses nothing. A write that changes nothing or is
// refused ends its transaction with an error, so the increment rolls back with it: numbers
// have no gaps.
//
// An import's changes are recorded with its batches, in the batches' transactions, under the
// import's run id rather than a number, which is not known before the import commits; the
// header, with the counter's increment, commits in the import's final transaction (the one
// that marks the run committed). A reader resolves an import's changes through the header
// with the same run, so it never sees them before the header, nor a header without them,
// and a failed import's changes, which have no header, are deleted with its journal.

// Names of the history's labels, for the whitelist checks.
const (
	labelRevisionCounter = "RevisionCounter"
	labelRevision        = "Revision"
	labelRevisionChange  = "RevisionChange"
	// revisionCounterKey is the one value of RevisionCounter.key: its uniqueness constraint
	// makes the counter one node even when two stores create it at once.
	revisionCounterKey = "revisions"
	// historyBatch bounds the nodes one Prune transaction deletes and the ids of one
	// PriorStates statement.
	historyBatch = 2000
)

// cypherNextRevision takes the next revision number: the write lock it takes on the counter
// lasts until the transaction ends.
const cypherNextRevision = `
MERGE (k:RevisionCounter {key: $key})
SET k.last = coalesce(k.last, 0) + 1
RETURN k.last AS number`

// cypherRecordRevision writes a revision's header and, for a write, its changes ($changes:
// {id, before}; an import's changes were written with its batches, under $run).
const cypherRecordRevision = `
CREATE (h:Revision {number: $number, at: $at, operation: $operation,
                    actorName: $actorName, actorRole: $actorRole, actorVia: $actorVia,
                    touched: $touched, run: $run})
WITH h
UNWIND $changes AS change
CREATE (:RevisionChange {number: h.number, itemId: change.id, before: change.before})`

// cypherRecordImportChanges writes the changes of one import batch under the import's run,
// each with its Touched entry: an import's header does not hold them in one property, which
// for a dataset of millions of items would be a string of hundreds of megabytes written in
// one transaction.
const cypherRecordImportChanges = `
UNWIND $changes AS change
CREATE (:RevisionChange {run: $run, itemId: change.id, before: change.before, touched: change.touched})`

// cypherImportTouched reads the Touched entries of the import revision written by $run.
const cypherImportTouched = `
MATCH (c:RevisionChange {run: $run})
RETURN c.touched AS touched`

// cypherDropImportChanges deletes up to $n changes of a run that is rolled back.
const cypherDropImportChanges = `
MATCH (c:RevisionChange {run: $run})
WITH c LIMIT $n
DELETE c
RETURN count(*) AS n`

// errNoChange ends the transaction of a write that changes nothing, so that the revision
// number it took is given back; writeTx returns the value it carries.
type errNoChange struct{ value any }

func (errNoChange) Error() string { return "the write changes nothing" }

// unchanged is what a write's transaction function returns when nothing is to be written.
func unchanged[T any](v T) (T, error) {
	var zero T
	return zero, &errNoChange{value: v}
}

// revisionFor is the history part of a write: what it records, fixed before the transaction
// like the rest of what the write sends.
type revisionFor struct {
	at time.Time
	op model.Operation
}

// take runs cypherNextRevision: the first statement of every write.
func (r revisionFor) take(ctx context.Context, tx neo4j.ManagedTransaction) (int64, error) {
	recs, err := collect(ctx, tx, cypherNextRevision, map[string]any{"key": revisionCounterKey})
	if err != nil {
		return 0, err
	}
	return one(recs, intColumn("number"))
}

// record writes the revision numbered number: changes holds each item's content before, after
// its content now (absent when deleted).
func (r revisionFor) record(ctx context.Context, tx neo4j.ManagedTransaction, number int64, changes []model.Change, after map[string]model.Item) error {
	rev := model.NewRevision(ctx, number, r.at, r.op, changes, after)
	params, err := revisionParams(rev, "")
	if err != nil {
		return err
	}
	rows, err := changeRows(changes)
	if err != nil {
		return err
	}
	params["changes"] = rows
	_, err = collect(ctx, tx, cypherRecordRevision, params)
	return err
}

// revisionParams are cypherRecordRevision's header parameters; run is "" but for an import,
// whose Touched entries are kept with its changes, not in its header.
func revisionParams(rev *model.Revision, run string) (map[string]any, error) {
	touched, err := json.Marshal(rev.Touched)
	if err != nil {
		return nil, fmt.Errorf("revision %d: %w", rev.Number, err)
	}
	p := map[string]any{
		"number": rev.Number, "at": rev.At, "operation": string(rev.Operation),
		"actorName": rev.Actor.Name, "actorRole": string(rev.Actor.Role), "actorVia": rev.Actor.Via,
		"touched": string(touched), "run": nil, "changes": []any{},
	}
	if run != "" {
		p["run"], p["touched"] = run, nil
	}
	return p, nil
}

// changeRows are the {id, before} rows of changes; before is null for an item created.
func changeRows(changes []model.Change) ([]any, error) {
	rows := make([]any, 0, len(changes))
	for _, c := range changes {
		var before any
		if c.Before.Exists() {
			b, err := json.Marshal(c.Before)
			if err != nil {
				return nil, fmt.Errorf("the prior content of %q: %w", c.ID, err)
			}
			before = string(b)
		}
		rows = append(rows, map[string]any{"id": c.ID, "before": before})
	}
	return rows, nil
}

// importChangeRows are changeRows for an import's batch, each with the JSON of its Touched
// entry, from its content before and after, the dataset's item.
func importChangeRows(changes []model.Change, after map[string]model.Item) ([]any, error) {
	rows, err := changeRows(changes)
	if err != nil {
		return nil, err
	}
	for i, c := range changes {
		t, err := json.Marshal(model.TouchedOf(c.Before, after[c.ID]))
		if err != nil {
			return nil, fmt.Errorf("the touched entry of %q: %w", c.ID, err)
		}
		rows[i].(map[string]any)["touched"] = string(t)
	}
	return rows, nil
}

// entityItem, sourceItem and relationItem are stored content as a model.Item; nil is Item{}.
func entityItem(e model.Entity) model.Item {
	if e == nil {
		return model.Item{}
	}
	return model.Item{Entity: e}
}

func sourceItem(s *model.Source) model.Item {
	if s == nil {
		return model.Item{}
	}
	return model.Item{Source: s}
}

func relationItem(r *model.Relation) model.Item {
	if r == nil {
		return model.Item{}
	}
	return model.Item{Relation: r}
}

// The history's reads leave out what lies at or below the floor (floorClause): a prune that
// is still deleting it, or was interrupted, is invisible.
const floorClause = `
OPTIONAL MATCH (k:RevisionCounter {key: $key})
WITH coalesce(k.floor, 0) AS floor`

// cypherRevisions lists revision headers by number between $lo (excluded) and $hi: %s is ASC
// or DESC.
const cypherRevisions = floorClause + `
MATCH (h:Revision)
WHERE h.number > $lo AND h.number <= $hi AND h.number > floor
RETURN h
ORDER BY h.number %s
LIMIT $limit`

// cypherRevisionsOf lists the revisions that changed the item $id, like cypherRevisions: a
// write's change carries its number, an import's the run of its header.
const cypherRevisionsOf = floorClause + `
CALL (floor) {
  MATCH (c:RevisionChange {itemId: $id})
  WHERE c.number > $lo AND c.number <= $hi AND c.number > floor
  RETURN c.number AS number
  UNION
  MATCH (c:RevisionChange {itemId: $id})
  WHERE c.run IS NOT NULL
  MATCH (h:Revision {run: c.run})
  WHERE h.number > $lo AND h.number <= $hi AND h.number > floor
  RETURN h.number AS number
}
WITH number
ORDER BY number %[1]s
LIMIT $limit
MATCH (h:Revision {number: number})
RETURN h
ORDER BY h.number %[1]s`

// revisionsQuery is the statement of q (normalised) and its parameters, with after its
// cursor's number (0: none).
func revisionsQuery(q model.RevisionQuery, after int64) (string, map[string]any) {
	lo, hi := q.Since, int64(math.MaxInt64)
	if q.Until > 0 {
		hi = q.Until
	}
	if after > 0 {
		if q.Desc {
			hi = min(hi, after-1)
		} else {
			lo = max(lo, after)
		}
	}
	dir := "ASC"
	if q.Desc {
		dir = "DESC"
	}
	params := map[string]any{"key": revisionCounterKey, "lo": lo, "hi": hi, "limit": int64(q.First + 1)}
	if q.ID != "" {
		params["id"] = q.ID
		return fmt.Sprintf(cypherRevisionsOf, dir), params
	}
	return fmt.Sprintf(cypherRevisions, dir), params
}

// Revisions lists revision headers; model.RevisionQuery.Normalize says the defaults and what
// is refused.
func (s *Store) Revisions(ctx context.Context, q model.RevisionQuery) (*model.RevisionPage, error) {
	const op = "revisions"
	q, after, err := q.Normalize()
	if err != nil {
		return nil, opErr(op, err)
	}
	cypher, params := revisionsQuery(q, after)
	recs, err := s.read(ctx, op, cypher, params)
	if err != nil {
		return nil, err
	}
	page := &model.RevisionPage{Items: make([]*model.Revision, 0, min(len(recs), q.First))}
	for _, rec := range recs {
		if len(page.Items) == q.First {
			page.HasNextPage = true
			break
		}
		n, err := recordValue[dbtype.Node](rec, "h")
		if err != nil {
			return nil, opErr(op, err)
		}
		rev, run, err := revisionFromNode(n)
		if err != nil {
			return nil, opErr(op, err)
		}
		if !q.Keeps(rev.Number, after) {
			return nil, opErr(op, fmt.Errorf("revision %d lies outside the query", rev.Number))
		}
		if run != "" {
			if rev.Touched, err = s.importTouched(ctx, run); err != nil {
				return nil, err
			}
		}
		page.Items = append(page.Items, rev)
	}
	return page, nil
}

// importTouched reads the Touched entries of an import's revision from its changes, in id
// order.
func (s *Store) importTouched(ctx context.Context, run string) ([]model.Touched, error) {
	const op = "revisions"
	recs, err := s.read(ctx, op, cypherImportTouched, map[string]any{"run": run})
	if err != nil {
		return nil, err
	}
	out := make([]model.Touched, len(recs))
	for i, rec := range recs {
		v, err := recordValue[string](rec, "touched")
		if err == nil {
			err = json.Unmarshal([]byte(v), &out[i])
		}
		if err != nil {
			return nil, opErr(op, fmt.Errorf("an import's touched entry: %w", err))
		}
	}
	slices.SortFunc(out, func(a, b model.Touched) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// revisionFromNode maps a :Revision node, and returns the run of an import's, whose Touched
// entries its changes hold.
func revisionFromNode(n dbtype.Node) (*model.Revision, string, error) {
	p := &props{what: "revision", m: n.Props}
	number, _ := prop[int64](p, "number")
	rev := &model.Revision{
		Number:    number,
		At:        p.timestamp("at"),
		Operation: model.Operation(p.required("operation")),
		Actor:     model.Actor{Name: p.str("actorName"), Role: model.Role(p.str("actorRole")), Via: p.str("actorVia")},
	}
	p.id = fmt.Sprint(number)
	if touched, ok := prop[string](p, "touched"); ok {
		if err := json.Unmarshal([]byte(touched), &rev.Touched); err != nil {
			p.fail("touched", err)
		}
	}
	if rev.Touched == nil {
		rev.Touched = []model.Touched{}
	}
	run := p.str("run")
	if p.err != nil {
		return nil, "", p.err
	}
	if number <= 0 {
		return nil, "", fmt.Errorf("a revision has the number %d", number)
	}
	return rev, run, nil
}

// cypherChanges is every change of the revision $number.
const cypherChanges = floorClause + `
MATCH (h:Revision {number: $number})
WHERE h.number > floor
CALL (h) {
  MATCH (c:RevisionChange {number: h.number})
  RETURN c
  UNION ALL
  MATCH (c:RevisionChange {run: h.run})
  RETURN c
}
RETURN c.itemId AS id, c.before AS before`

// cypherChangesOf is the changes of the revision $number to the items $ids.
const cypherChangesOf = floorClause + `
MATCH (h:Revision {number: $number})
WHERE h.number > floor
UNWIND $ids AS id
MATCH (c:RevisionChange {itemId: id})
WHERE c.number = h.number OR c.run = h.run
RETURN c.itemId AS id, c.before AS before`

// cypherRevisionExists says whether the revision $number is kept.
const cypherRevisionExists = floorClause + `
OPTIONAL MATCH (h:Revision {number: $number})
WHERE h.number > floor
RETURN count(h) AS n`

// Changes returns what the revision number did to each of ids (every item it changed when ids
// is empty), in id order; NOT_FOUND when the revision is not kept (never made, or pruned).
func (s *Store) Changes(ctx context.Context, number int64, ids []string) ([]model.Change, error) {
	const op = "revision changes"
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	cypher, params := cypherChanges, map[string]any{"key": revisionCounterKey, "number": number}
	if len(ids) > 0 {
		cypher, params["ids"] = cypherChangesOf, ids
	}
	recs, err := s.read(ctx, op, cypher, params)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		exists, err := s.read(ctx, op, cypherRevisionExists, params)
		if err != nil {
			return nil, err
		}
		n, err := single(exists, op, intColumn("n"))
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, opErr(op, model.Errorf(model.CodeNotFound, "no revision %d is kept", number))
		}
	}
	out := make([]model.Change, 0, len(recs))
	for _, rec := range recs {
		c, err := changeFromRecord(rec)
		if err != nil {
			return nil, opErr(op, err)
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b model.Change) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// changeFromRecord maps a record with the columns id and before (JSON or null).
func changeFromRecord(rec *neo4j.Record) (model.Change, error) {
	id, err := recordValue[string](rec, "id")
	if err != nil {
		return model.Change{}, err
	}
	c := model.Change{ID: id}
	v, _ := rec.Get("before")
	switch b := v.(type) {
	case nil:
	case string:
		if err := json.Unmarshal([]byte(b), &c.Before); err != nil {
			return model.Change{}, fmt.Errorf("the recorded content of %q: %w", id, err)
		}
	default:
		return model.Change{}, fmt.Errorf("the recorded content of %q is a %T", id, v)
	}
	return c, nil
}

// cypherPriorStates gives, for each of $ids changed by a revision after $n, its content
// before the first such revision.
const cypherPriorStates = `
UNWIND $ids AS id
CALL (id) {
  CALL (id) {
    MATCH (c:RevisionChange {itemId: id})
    WHERE c.number > $n
    RETURN c.number AS number, c.before AS before
    ORDER BY number
    LIMIT 1
    UNION
    MATCH (c:RevisionChange {itemId: id})
    WHERE c.run IS NOT NULL
    MATCH (h:Revision {run: c.run})
    WHERE h.number > $n
    RETURN h.number AS number, c.before AS before
    ORDER BY number
    LIMIT 1
  }
  WITH number, before
  ORDER BY number
  LIMIT 1
  RETURN before
}
RETURN id, before`

// cypherChangedSince is the ids changed by a revision after $n.
const cypherChangedSince = `
CALL () {
  MATCH (c:RevisionChange)
  WHERE c.number > $n
  RETURN c.itemId AS id
  UNION
  MATCH (h:Revision)
  WHERE h.number > $n AND h.run IS NOT NULL
  MATCH (c:RevisionChange {run: h.run})
  RETURN c.itemId AS id
}
RETURN id`

// PriorStates gives, for each of ids changed by a revision after number, its content before
// the first such revision (Item{} when it did not exist then); ids not changed since are
// absent. Empty ids means every id changed since number. A number below the floor Prune
// left is BAD_USER_INPUT: what came before it is forgotten.
func (s *Store) PriorStates(ctx context.Context, number int64, ids []string) (map[string]model.Item, error) {
	const op = "prior states"
	b, err := s.HistoryBounds(ctx)
	if err != nil {
		return nil, err
	}
	if number < b.Floor {
		return nil, opErr(op, model.Errorf(model.CodeBadUserInput, "history before revision %d has been pruned", b.Floor))
	}
	if number >= b.Last {
		return map[string]model.Item{}, nil
	}
	if len(ids) == 0 {
		recs, err := s.read(ctx, op, cypherChangedSince, map[string]any{"n": number})
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			id, err := recordValue[string](rec, "id")
			if err != nil {
				return nil, opErr(op, err)
			}
			ids = append(ids, id)
		}
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	out := make(map[string]model.Item, len(ids))
	for chunk := range slices.Chunk(ids, historyBatch) {
		recs, err := s.read(ctx, op, cypherPriorStates, map[string]any{"n": number, "ids": chunk})
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			c, err := changeFromRecord(rec)
			if err != nil {
				return nil, opErr(op, err)
			}
			out[c.ID] = c.Before
		}
	}
	return out, nil
}

// cypherRevisionAt finds the newest kept revision recorded at or before $t, through the index
// on Revision.at, and the floor, whose own revision is pruned but still a moment the graph
// can be read at.
const cypherRevisionAt = floorClause + `, k.floorAt AS floorAt
CALL (floor) {
  MATCH (h:Revision)
  WHERE h.at <= $t AND h.number > floor
  WITH h
  ORDER BY h.at DESC, h.number DESC
  LIMIT 1
  RETURN collect(h.number) AS newest
}
RETURN newest, floor, floorAt`

// RevisionAt is the number of the newest revision recorded at or before t (the floor when
// that is the newest such revision, pruned since); 0 when every kept revision is later or
// none is kept.
func (s *Store) RevisionAt(ctx context.Context, t time.Time) (int64, error) {
	const op = "revision at"
	recs, err := s.read(ctx, op, cypherRevisionAt, map[string]any{"key": revisionCounterKey, "t": t.UTC()})
	if err != nil {
		return 0, err
	}
	return single(recs, op, func(rec *neo4j.Record) (int64, error) {
		newest, err := listOf[int64](rec, "newest")
		if err != nil {
			return 0, err
		}
		if len(newest) == 1 {
			return newest[0], nil
		}
		floor, err := recordValue[int64](rec, "floor")
		if err != nil || floor == 0 {
			return 0, err
		}
		v, _ := rec.Get("floorAt")
		floorAt, ok := v.(time.Time)
		if !ok {
			return 0, fmt.Errorf("record value %q: unexpected %T", "floorAt", v)
		}
		if floorAt.After(t) {
			return 0, nil
		}
		return floor, nil
	})
}

// cypherHistoryBounds reads the newest revision and the floor Prune left.
const cypherHistoryBounds = `
OPTIONAL MATCH (k:RevisionCounter {key: $key})
OPTIONAL MATCH (h:Revision {number: k.last})
RETURN k.last AS last, h.at AS lastAt, k.floor AS floor, k.floorAt AS floorAt,
       k.imports AS imports, EXISTS { MATCH (:ImportRun) } AS importing`

// HistoryBounds reports the newest revision and the oldest point history still reaches.
func (s *Store) HistoryBounds(ctx context.Context) (model.HistoryBounds, error) {
	const op = "history bounds"
	recs, err := s.read(ctx, op, cypherHistoryBounds, map[string]any{"key": revisionCounterKey})
	if err != nil {
		return model.HistoryBounds{}, err
	}
	return single(recs, op, func(rec *neo4j.Record) (model.HistoryBounds, error) {
		var b model.HistoryBounds
		var errs []error
		if v, _ := rec.Get("last"); v != nil {
			n, ok := v.(int64)
			b.Last, errs = n, append(errs, typeErr("last", ok, v))
		}
		if v, _ := rec.Get("lastAt"); v != nil {
			t, ok := v.(time.Time)
			b.LastAt, errs = t.UTC(), append(errs, typeErr("lastAt", ok, v))
		}
		if v, _ := rec.Get("floor"); v != nil {
			n, ok := v.(int64)
			b.Floor, errs = n, append(errs, typeErr("floor", ok, v))
		}
		if v, _ := rec.Get("floorAt"); v != nil {
			t, ok := v.(time.Time)
			b.FloorAt, errs = t.UTC(), append(errs, typeErr("floorAt", ok, v))
		}
		if v, _ := rec.Get("imports"); v != nil {
			n, ok := v.(int64)
			b.Imports, errs = n, append(errs, typeErr("imports", ok, v))
		}
		if v, _ := rec.Get("importing"); v != nil {
			i, ok := v.(bool)
			b.Importing, errs = i, append(errs, typeErr("importing", ok, v))
		}
		return b, errors.Join(errs...)
	})
}

// typeErr is the error of a column that is not of the type expected (ok false).
func typeErr(key string, ok bool, v any) error {
	if ok {
		return nil
	}
	return fmt.Errorf("record value %q: unexpected %T", key, v)
}

// cypherPruneFloor raises the floor to the newest revision recorded before $before, short of
// the newest of all, and returns the floor: everything at or below it goes. The floor is
// raised before anything is deleted, so a reader that checks it never reads a past that is
// half gone, and a prune that is interrupted is finished by the next.
const cypherPruneFloor = `
MATCH (k:RevisionCounter {key: $key})
CALL (k) {
  MATCH (h:Revision)
  WHERE h.at < $before AND h.number < k.last
  WITH h
  ORDER BY h.number DESC
  LIMIT 1
  RETURN collect(h) AS newest
}
WITH k, newest[0] AS h
WITH k, h, h IS NOT NULL AND coalesce(k.floor, 0) < h.number AS raise
SET k.floor = CASE WHEN raise THEN h.number ELSE k.floor END,
    k.floorAt = CASE WHEN raise THEN h.at ELSE k.floorAt END
RETURN coalesce(k.floor, 0) AS floor`

// cypherPruneChanges deletes up to $n changes of writes at or below the floor.
const cypherPruneChanges = `
MATCH (c:RevisionChange)
WHERE c.number <= $floor
WITH c LIMIT $n
DELETE c
RETURN count(*) AS n`

// cypherPruneImportChanges deletes up to $n changes of imports at or below the floor.
const cypherPruneImportChanges = `
MATCH (h:Revision)
WHERE h.number <= $floor AND h.run IS NOT NULL
MATCH (c:RevisionChange {run: h.run})
WITH c LIMIT $n
DELETE c
RETURN count(*) AS n`

// cypherPruneRevisions deletes up to $n headers at or below the floor, once their changes are
// gone.
const cypherPruneRevisions = `
MATCH (h:Revision)
WHERE h.number <= $floor
WITH h LIMIT $n
DELETE h
RETURN count(*) AS n`

// Prune forgets the revisions recorded before before, keeping the newest whatever its age, in
// transactions of at most historyBatch deletions, and reports how many revisions went. The
// graph is not touched.
func (s *Store) Prune(ctx context.Context, before time.Time) (int, error) {
	const op = "prune history"
	if err := s.writeReady(ctx, op); err != nil {
		return 0, err
	}
	floor, err := rawWriteTx(ctx, s, func(tx neo4j.ManagedTransaction) (int64, error) {
		recs, err := collect(ctx, tx, cypherPruneFloor, map[string]any{"key": revisionCounterKey, "before": before.UTC()})
		if err != nil || len(recs) == 0 {
			return 0, err
		}
		return one(recs, intColumn("floor"))
	})
	if err != nil {
		return 0, wrapErr(ctx, op, err)
	}
	if floor == 0 {
		return 0, nil
	}
	params := map[string]any{"floor": floor, "n": int64(historyBatch)}
	var pruned int64
	for _, stmt := range []string{cypherPruneChanges, cypherPruneImportChanges, cypherPruneRevisions} {
		for {
			n, err := rawWriteTx(ctx, s, func(tx neo4j.ManagedTransaction) (int64, error) {
				return runCount(ctx, tx, stmt, params, "n")
			})
			if err != nil {
				return int(pruned), wrapErr(ctx, op, err)
			}
			if stmt == cypherPruneRevisions {
				pruned += n
			}
			if n == 0 {
				break
			}
		}
	}
	return int(pruned), nil
}
