package neo4jstore

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/autograph-kg/autograph/graph/model"
)

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

// optionalNode reads a node column that may be null.
func optionalNode(rec *neo4j.Record, key string) (dbtype.Node, bool, error) {
	v, isNil, err := neo4j.GetRecordValue[dbtype.Node](rec, key)
	if err != nil {
		return v, false, fmt.Errorf("record value %q: %w", key, err)
	}
	return v, !isNil, nil
}
