package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/autograph-kg/autograph/graph/model"
)

// Compile-time check that Store implements the write half of the storage contract.
var _ model.Writer = (*Store)(nil)

// Every Writer method is one managed write transaction (neo4j.ExecuteWrite) on the configured
// database, in a session that shares ExecuteQuery's bookmark manager, so the reads that follow
// see the write (see the package comment). Each method checks its input on its own, builds
// everything it will send (an entityWrite, sourceWrite or relationWrite: statement,
// parameters, timestamp), and hands writeTx a transaction function (their work methods,
// removeRelationWork, deleteEntityWork) that reads what the write depends on
// (cypherWriteLookup: the model.WriteFacts of the write's keys), lets the write rules of
// graph/model decide, and writes: one or two statements that change the graph and return
// what is now stored, with the rows and properties Import writes (params.go). A refusal is
// returned from the function, so the transaction rolls back and nothing is written.
//
// The driver runs the function again on transient errors, so it depends on nothing that a
// failed attempt leaves behind: what it sends is built once, before the first attempt, and
// never changed (a parameter map that varies is a copy), and the timestamp is taken once too,
// so every attempt writes the same values.

// stamp is the time to record as createdAt or updatedAt (model.Timestamp).
func (s *Store) stamp() time.Time { return model.Timestamp(s.now()) }

// writeReady is the first thing every write does: a done context or a closed store ends it
// before any work.
func (s *Store) writeReady(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return wrapErr(ctx, op, err)
	}
	if s.closed.Load() {
		return errClosed(op)
	}
	return nil
}

// writeTx runs work as one managed write transaction and classifies its error. A write that
// changes nothing ends its transaction with errNoChange, so that it rolls back (giving back
// the revision number it took), and its value is returned as the write's.
func writeTx[T any](ctx context.Context, s *Store, op string, work neo4j.ManagedTransactionWorkT[T]) (T, error) {
	var zero T
	session := s.session(ctx, neo4j.AccessModeWrite)
	v, err := neo4j.ExecuteWrite(ctx, session, work, txTimeout(ctx)...)
	var same *errNoChange
	if errors.As(err, &same) {
		if err := session.Close(ctx); err != nil {
			s.logger.WarnContext(ctx, "neo4j: closing a session", "op", op, "err", err)
		}
		if v, ok := same.value.(T); ok {
			return v, nil
		}
		return zero, fmt.Errorf("neo4j: %s: the stored value is a %T", op, same.value)
	}
	if err = joinClose(ctx, err, session); err != nil {
		return zero, wrapErr(ctx, op, err)
	}
	return v, nil
}

// opErr names the operation in an error found before the transaction.
func opErr(op string, err error) error {
	return fmt.Errorf("neo4j: %s: %w", op, err)
}

// cypherWriteLookup reads, in one round trip, everything a write is checked against:
// the entity, source and relation that already hold the id $id (ids are unique across
// the three), which of the cited sources $sourceIds exist, and the kinds of the entities
// the write refers to ($refIds: a country, a publisher, a relation's endpoints). Every
// part is an aggregating or OPTIONAL subquery, so the statement always returns exactly
// one row. %s is the union of relByIDBranch over every relationship type.
const cypherWriteLookup = `
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

// writeLookupQuery is cypherWriteLookup over every relationship type.
func writeLookupQuery() string {
	return fmt.Sprintf(cypherWriteLookup, unionPerType(relByIDBranch))
}

// lookupParams are the parameters of cypherWriteLookup for a write's keys.
func lookupParams(k model.WriteKeys) map[string]any {
	return map[string]any{"id": k.ID, "sourceIds": nonNil(k.SourceIDs), "refIds": nonNil(k.RefIDs)}
}

// lookUp runs cypherWriteLookup in the write's transaction: the facts the write rules of
// graph/model decide on, in one round trip.
func lookUp(ctx context.Context, tx neo4j.ManagedTransaction, params map[string]any) (*model.WriteFacts, error) {
	res, err := tx.Run(ctx, writeLookupQuery(), params)
	if err != nil {
		return nil, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return nil, err
	}
	lk, err := lookupFromRecord(rec)
	if err != nil {
		return nil, fmt.Errorf("write lookup: %w", err)
	}
	return lk, nil
}

// lookupFromRecord maps the one record of cypherWriteLookup.
func lookupFromRecord(rec *neo4j.Record) (*model.WriteFacts, error) {
	lk := &model.WriteFacts{Sources: map[string]bool{}, Kinds: map[string]model.EntityKind{}}
	if n, ok, err := optionalNode(rec, "entity"); err != nil {
		return nil, err
	} else if ok {
		if lk.Entity, err = entityFromNode(n); err != nil {
			return nil, err
		}
	}
	if n, ok, err := optionalNode(rec, "source"); err != nil {
		return nil, err
	} else if ok {
		if lk.Source, err = sourceFromNode(n); err != nil {
			return nil, err
		}
	}
	rels, err := listOf[any](rec, "relations")
	if err != nil {
		return nil, err
	}
	switch len(rels) {
	case 0:
	case 1:
		if lk.Relation, err = relationFromMap(rels[0]); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%d relationships have the id of one relation", len(rels))
	}
	known, err := listOf[string](rec, "knownSources")
	if err != nil {
		return nil, err
	}
	for _, id := range known {
		lk.Sources[id] = true
	}
	refs, err := listOf[map[string]any](rec, "refs")
	if err != nil {
		return nil, err
	}
	for _, m := range refs {
		lk.Kinds[mapString(m, "id")] = model.EntityKind(mapString(m, "kind"))
	}
	return lk, nil
}

// cypherUpsertEntity writes one entity of a kind that the lookup allowed: %[1]s is the
// kind's label, %[2]s the other kinds' labels (an entity never changes kind through a
// write, but its labels are set in full all the same). SET n = $props replaces every
// property, so a field left out of the new value is removed from the node; createdAt is
// carried over from the stored node.
const cypherUpsertEntity = `
MERGE (n:Entity {id: $id})
WITH n, coalesce(n.createdAt, $now) AS createdAt
SET n = $props,
    n.contentHash = $hash,
    n.createdAt = createdAt,
    n.updatedAt = $now
REMOVE n:%[2]s
SET n:%[1]s
RETURN n`

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

// entityWrite is everything an upsert of an entity sends, built before the transaction.
type entityWrite struct {
	e      model.Entity
	rev    revisionFor
	lookup map[string]any
	cypher string
	params map[string]any
}

// entityWriteFor builds the upsert of e (which passed model.CheckEntity) at time now.
func entityWriteFor(e model.Entity, now time.Time) (*entityWrite, error) {
	cypher, err := upsertEntityQuery(e.Kind())
	if err != nil {
		return nil, err
	}
	row, err := entityRow(e)
	if err != nil {
		return nil, err
	}
	return &entityWrite{
		e:      e.Clone(),
		rev:    revisionFor{at: now, op: model.OpUpsertEntity},
		lookup: lookupParams(model.EntityWriteKeys(e)),
		cypher: cypher,
		params: map[string]any{"id": e.GetID(), "props": row["props"], "hash": row["hash"], "now": now},
	}, nil
}

// UpsertEntity creates the entity, or replaces the stored one with the same id and kind:
// every property is rewritten, so fields left out are cleared. When the stored entity already
// has the same content nothing is written and it comes back as it is, timestamps included;
// otherwise createdAt is kept and updatedAt set. model.CheckEntity and model.CheckEntityWrite
// say what is refused.
func (s *Store) UpsertEntity(ctx context.Context, e model.Entity) (model.Entity, error) {
	const op = "upsert entity"
	if err := s.writeReady(ctx, op); err != nil {
		return nil, err
	}
	w, err := prepareEntityWrite(e, s.stamp())
	if err != nil {
		return nil, opErr(op, err)
	}
	return writeTx(ctx, s, op, w.work(ctx))
}

// prepareEntityWrite checks e on its own, before any round trip, and builds its upsert.
func prepareEntityWrite(e model.Entity, now time.Time) (*entityWrite, error) {
	if err := model.CheckEntity(e); err != nil {
		return nil, err
	}
	return entityWriteFor(e, now)
}

// work is the transaction function of the upsert.
func (w *entityWrite) work(ctx context.Context) neo4j.ManagedTransactionWorkT[model.Entity] {
	return func(tx neo4j.ManagedTransaction) (model.Entity, error) {
		number, err := w.rev.take(ctx, tx)
		if err != nil {
			return nil, err
		}
		f, err := lookUp(ctx, tx, w.lookup)
		if err != nil {
			return nil, err
		}
		same, err := model.CheckEntityWrite(w.e, f)
		if err != nil {
			return nil, err
		}
		if same {
			return unchanged(f.Entity)
		}
		recs, err := collect(ctx, tx, w.cypher, w.params)
		if err != nil {
			return nil, err
		}
		stored, err := one(recs, entityFromRecord)
		if err != nil {
			return nil, err
		}
		id := stored.GetID()
		return stored, w.rev.record(ctx, tx, number, []model.Change{{ID: id, Before: entityItem(f.Entity)}},
			map[string]model.Item{id: {Entity: stored}})
	}
}

// cypherUpsertSource writes one source, like cypherUpsertEntity.
const cypherUpsertSource = `
MERGE (n:Source {id: $id})
WITH n, coalesce(n.createdAt, $now) AS createdAt
SET n = $props,
    n.contentHash = $hash,
    n.createdAt = createdAt,
    n.updatedAt = $now
RETURN n`

// sourceWrite is everything an upsert of a source sends, built before the transaction.
type sourceWrite struct {
	src    *model.Source
	rev    revisionFor
	lookup map[string]any
	params map[string]any
}

// sourceWriteFor builds the upsert of src (which passed model.CheckSource) at time now.
func sourceWriteFor(src *model.Source, now time.Time) *sourceWrite {
	row := sourceRow(src)
	return &sourceWrite{
		src:    src.Clone(),
		rev:    revisionFor{at: now, op: model.OpUpsertSource},
		lookup: lookupParams(model.SourceWriteKeys(src)),
		params: map[string]any{"id": src.ID, "props": row["props"], "hash": row["hash"], "now": now},
	}
}

// UpsertSource creates or replaces a source like UpsertEntity; model.CheckSource and
// model.CheckSourceWrite say what is refused.
func (s *Store) UpsertSource(ctx context.Context, src *model.Source) (*model.Source, error) {
	const op = "upsert source"
	if err := s.writeReady(ctx, op); err != nil {
		return nil, err
	}
	w, err := prepareSourceWrite(src, s.stamp())
	if err != nil {
		return nil, opErr(op, err)
	}
	return writeTx(ctx, s, op, w.work(ctx))
}

// prepareSourceWrite checks src on its own and builds its upsert.
func prepareSourceWrite(src *model.Source, now time.Time) (*sourceWrite, error) {
	if err := model.CheckSource(src); err != nil {
		return nil, err
	}
	return sourceWriteFor(src, now), nil
}

// work is the transaction function of the upsert.
func (w *sourceWrite) work(ctx context.Context) neo4j.ManagedTransactionWorkT[*model.Source] {
	return func(tx neo4j.ManagedTransaction) (*model.Source, error) {
		number, err := w.rev.take(ctx, tx)
		if err != nil {
			return nil, err
		}
		f, err := lookUp(ctx, tx, w.lookup)
		if err != nil {
			return nil, err
		}
		same, err := model.CheckSourceWrite(w.src, f)
		if err != nil {
			return nil, err
		}
		if same {
			return unchanged(f.Source)
		}
		recs, err := collect(ctx, tx, cypherUpsertSource, w.params)
		if err != nil {
			return nil, err
		}
		stored, err := one(recs, sourceFromRecord)
		if err != nil {
			return nil, err
		}
		return stored, w.rev.record(ctx, tx, number, []model.Change{{ID: stored.ID, Before: sourceItem(f.Source)}},
			map[string]model.Item{stored.ID: {Source: stored}})
	}
}

// cypherPutRelation writes one relation of type %s between its endpoints: it creates the
// relationship, or replaces the properties of the one with the same id, type and
// endpoints. $createdAt is the createdAt of a relation that moved (deleted just before by
// cypherDeleteRelation), null otherwise. No row comes back when an endpoint is missing.
const cypherPutRelation = `
MATCH (a:Entity {id: $from})
MATCH (b:Entity {id: $to})
MERGE (a)-[r:%s {id: $id}]->(b)
WITH a, r, b, coalesce(r.createdAt, $createdAt, $now) AS createdAt
SET r = $props,
    r.contentHash = $hash,
    r.createdAt = createdAt,
    r.updatedAt = $now
RETURN r, a.id AS fromId, b.id AS toId`

// putRelationQuery is cypherPutRelation for one type; an unknown type is BAD_USER_INPUT.
func putRelationQuery(t model.RelationType) (string, error) {
	if !t.IsValid() {
		return "", model.Errorf(model.CodeBadUserInput, "unknown relation type %q", t)
	}
	return fmt.Sprintf(cypherPutRelation, t), nil
}

// relationWrite is everything an add or update of a relation sends, built before the
// transaction.
type relationWrite struct {
	r *model.Relation
	// rule is model.CheckRelationAdd or model.CheckRelationUpdate.
	rule   func(*model.Relation, *model.WriteFacts) (bool, error)
	rev    revisionFor
	lookup map[string]any
	cypher string
	// params are cypherPutRelation's, with a null createdAt: a relation that moves gets the
	// stored one, on a copy of params.
	params map[string]any
}

// relationWriteFor builds the add (update false) or update of r (which passed
// model.CheckRelation) at time now.
func relationWriteFor(r *model.Relation, update bool, now time.Time) (*relationWrite, error) {
	rule, op := model.CheckRelationAdd, model.OpAddRelation
	if update {
		rule, op = model.CheckRelationUpdate, model.OpUpdateRelation
	}
	cypher, err := putRelationQuery(r.Type)
	if err != nil {
		return nil, err
	}
	row := relationRow(r)
	return &relationWrite{
		r:      r.Clone(),
		rule:   rule,
		rev:    revisionFor{at: now, op: op},
		lookup: lookupParams(model.RelationWriteKeys(r)),
		cypher: cypher,
		params: map[string]any{
			"id": r.ID, "from": r.FromID, "to": r.ToID,
			"props": row["props"], "hash": row["hash"], "now": now, "createdAt": nil,
		},
	}, nil
}

// AddRelation creates a relation with the id r.ID. Adding the same relation again returns the
// stored one unchanged; model.CheckRelation, model.CheckRelationAdd and model.CheckNoCycle
// say what is refused.
func (s *Store) AddRelation(ctx context.Context, r *model.Relation) (*model.Relation, error) {
	return s.putRelation(ctx, "add relation", r, false)
}

// UpdateRelation replaces the relation with id r.ID, which may move to another type or other
// endpoints (the relationship is then deleted and created anew, keeping createdAt). An update
// to the same content changes nothing; model.CheckRelation, model.CheckRelationUpdate and
// model.CheckNoCycle say what is refused.
func (s *Store) UpdateRelation(ctx context.Context, r *model.Relation) (*model.Relation, error) {
	return s.putRelation(ctx, "update relation", r, true)
}

// putRelation is AddRelation (update false) and UpdateRelation (update true).
func (s *Store) putRelation(ctx context.Context, op string, r *model.Relation, update bool) (*model.Relation, error) {
	if err := s.writeReady(ctx, op); err != nil {
		return nil, err
	}
	w, err := prepareRelationWrite(r, update, s.stamp())
	if err != nil {
		return nil, opErr(op, err)
	}
	return writeTx(ctx, s, op, w.work(ctx))
}

// prepareRelationWrite checks r on its own and builds its add or update.
func prepareRelationWrite(r *model.Relation, update bool, now time.Time) (*relationWrite, error) {
	if err := model.CheckRelation(r); err != nil {
		return nil, err
	}
	return relationWriteFor(r, update, now)
}

// work is the transaction function of the add or update.
func (w *relationWrite) work(ctx context.Context) neo4j.ManagedTransactionWorkT[*model.Relation] {
	return func(tx neo4j.ManagedTransaction) (*model.Relation, error) {
		number, err := w.rev.take(ctx, tx)
		if err != nil {
			return nil, err
		}
		f, err := lookUp(ctx, tx, w.lookup)
		if err != nil {
			return nil, err
		}
		same, err := w.rule(w.r, f)
		if err != nil {
			return nil, err
		}
		if same {
			return unchanged(f.Relation)
		}
		params := w.params
		if old := f.Relation; old != nil && (old.Type != w.r.Type || old.FromID != w.r.FromID || old.ToID != w.r.ToID) {
			// MERGE cannot move a relationship: delete the stored one, and create the new one
			// with its createdAt.
			recs, err := collect(ctx, tx, deleteRelationQuery(), map[string]any{"id": w.r.ID})
			if err != nil {
				return nil, err
			}
			if _, err := one(recs, intColumn("removed")); err != nil {
				return nil, err
			}
			params = maps.Clone(w.params)
			params["createdAt"] = f.Relation.CreatedAt
		}
		recs, err := collect(ctx, tx, w.cypher, params)
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			// An endpoint that the lookup saw was deleted by a transaction that committed
			// since: refuse, so the transaction rolls back.
			return nil, model.Errorf(model.CodeNotFound, "an endpoint of relation %q was deleted meanwhile", w.r.ID)
		}
		stored, err := one(recs, relationFromRecord)
		if err != nil {
			return nil, err
		}
		// A hierarchical relation that closes a cycle is refused, which rolls the write back.
		if err := checkWrittenCycle(ctx, tx, w.r); err != nil {
			return nil, err
		}
		return stored, w.rev.record(ctx, tx, number, []model.Change{{ID: stored.ID, Before: relationItem(f.Relation)}},
			map[string]model.Item{stored.ID: {Relation: stored}})
	}
}

// cypherDeleteRelation deletes the relation with id $id, whatever its type, and says how
// many relationships went (0 or 1). %s is the union of relByIDBranch over every type.
const cypherDeleteRelation = `
CALL () {%s
}
WITH r
DELETE r
RETURN count(*) AS removed`

// deleteRelationQuery is cypherDeleteRelation over every relationship type.
func deleteRelationQuery() string {
	return fmt.Sprintf(cypherDeleteRelation, unionPerType(relByIDBranch))
}

// RemoveRelation deletes the relation with the given id; NOT_FOUND when there is none.
func (s *Store) RemoveRelation(ctx context.Context, id string) error {
	const op = "remove relation"
	if err := s.writeReady(ctx, op); err != nil {
		return err
	}
	_, err := writeTx(ctx, s, op, removeRelationWork(ctx, id, revisionFor{at: s.stamp(), op: model.OpRemoveRelation}))
	return err
}

// removeRelationWork is the transaction function of RemoveRelation: it reads the relation
// (what its revision keeps), then deletes it.
func removeRelationWork(ctx context.Context, id string, rev revisionFor) neo4j.ManagedTransactionWorkT[struct{}] {
	return func(tx neo4j.ManagedTransaction) (struct{}, error) {
		number, err := rev.take(ctx, tx)
		if err != nil {
			return struct{}{}, err
		}
		recs, err := collect(ctx, tx, relationByIDQuery(), map[string]any{"id": id})
		if err != nil {
			return struct{}{}, err
		}
		if len(recs) == 0 {
			return struct{}{}, model.NotFound("relation", id)
		}
		before, err := one(recs, relationFromRecord)
		if err != nil {
			return struct{}{}, err
		}
		recs, err = collect(ctx, tx, deleteRelationQuery(), map[string]any{"id": id})
		if err != nil {
			return struct{}{}, err
		}
		n, err := one(recs, intColumn("removed"))
		if err != nil {
			return struct{}{}, err
		}
		if n == 0 {
			return struct{}{}, model.NotFound("relation", id)
		}
		return struct{}{}, rev.record(ctx, tx, number, []model.Change{{ID: id, Before: relationItem(before)}}, nil)
	}
}

// cypherDeleteEntity deletes an entity with every relation that starts or ends at it and
// returns how many relations went (a self-loop counts once). No row comes back when there
// is no such entity.
const cypherDeleteEntity = `
MATCH (n:Entity {id: $id})
CALL (n) {
  OPTIONAL MATCH (n)-[r]-()
  RETURN count(DISTINCT r) AS relations
}
DETACH DELETE n
RETURN relations`

// cypherDeleteEntityPrior reads an entity and every relation that starts or ends at it,
// before DeleteEntity deletes them: what its revision keeps.
const cypherDeleteEntityPrior = `
MATCH (n:Entity {id: $id})
CALL (n) {
  MATCH (n)-[r]-()
  WITH DISTINCT r
  RETURN collect({rel: r, fromId: startNode(r).id, toId: endNode(r).id}) AS relations
}
RETURN n, relations`

// DeleteEntity deletes an entity and every relation that starts or ends at it, and reports how
// many relations went (a self-loop counts once); NOT_FOUND when there is none. References to
// it by id (a countryId, a source's publisherId) are left as they are and resolve to nothing.
// Its revision keeps the entity and every relation that went with it.
func (s *Store) DeleteEntity(ctx context.Context, id string) (int, error) {
	const op = "delete entity"
	if err := s.writeReady(ctx, op); err != nil {
		return 0, err
	}
	return writeTx(ctx, s, op, deleteEntityWork(ctx, id, revisionFor{at: s.stamp(), op: model.OpDeleteEntity}))
}

// deleteEntityWork is the transaction function of DeleteEntity.
func deleteEntityWork(ctx context.Context, id string, rev revisionFor) neo4j.ManagedTransactionWorkT[int] {
	return func(tx neo4j.ManagedTransaction) (int, error) {
		number, err := rev.take(ctx, tx)
		if err != nil {
			return 0, err
		}
		recs, err := collect(ctx, tx, cypherDeleteEntityPrior, map[string]any{"id": id})
		if err != nil {
			return 0, err
		}
		if len(recs) == 0 {
			return 0, model.NotFound("entity", id)
		}
		changes, err := one(recs, deletedItems)
		if err != nil {
			return 0, err
		}
		recs, err = collect(ctx, tx, cypherDeleteEntity, map[string]any{"id": id})
		if err != nil {
			return 0, err
		}
		if len(recs) == 0 {
			return 0, model.NotFound("entity", id)
		}
		n, err := one(recs, intColumn("relations"))
		if err != nil {
			return 0, err
		}
		if int(n) != len(changes)-1 {
			return 0, fmt.Errorf("delete entity %q: %d relations went, %d were read before", id, n, len(changes)-1)
		}
		return int(n), rev.record(ctx, tx, number, changes, nil)
	}
}

// deletedItems maps the record of cypherDeleteEntityPrior: the entity and its relations as
// the changes of its deletion.
func deletedItems(rec *neo4j.Record) ([]model.Change, error) {
	n, err := recordValue[dbtype.Node](rec, "n")
	if err != nil {
		return nil, err
	}
	e, err := entityFromNode(n)
	if err != nil {
		return nil, err
	}
	list, err := listOf[any](rec, "relations")
	if err != nil {
		return nil, err
	}
	rels, err := relationsFromList(list)
	if err != nil {
		return nil, err
	}
	changes := []model.Change{{ID: e.GetID(), Before: model.Item{Entity: e}}}
	for _, r := range rels {
		changes = append(changes, model.Change{ID: r.ID, Before: model.Item{Relation: r}})
	}
	return changes, nil
}
