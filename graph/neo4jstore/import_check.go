package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/model"
)

// importCheckParams are the parameters of cypherImportCheck for a dataset.
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
		"sourceIds":   nonNil(sourceIDs),
		"entityIds":   nonNil(entityIDs),
		"relationIds": nonNil(relationIDs),
		"nodeIds":     nonNil(append(slices.Clone(sourceIDs), entityIDs...)),
		"kinds":       nonNil(kinds),
	}
}

// nonNil sends an empty list rather than null, which UNWIND would also accept but reads worse.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// storedRelation is a stored relation touching an entity whose kind an import changes.
type storedRelation struct {
	id, typ, fromID, fromKind, toID, toKind string
}

// retypedEntity is what the graph holds about an entity whose kind an import changes.
type retypedEntity struct {
	id          string
	rels        []storedRelation
	countryOf   []string // entities whose countryId is this entity
	publisherOf []string // sources whose publisherId is this entity
}

// importClashes is the answer of cypherImportCheck.
type importClashes struct {
	sourceIDsOfEntities, entityIDsOfSources     map[string]bool
	relationIDsOfEntities, relationIDsOfSources map[string]bool
	nodeIDsOfRelations                          map[string]bool
	retyped                                     []retypedEntity
}

// checkImport refuses, with BAD_USER_INPUT, a dataset that would clash with the stored
// graph, in the same cases as the embedded store.
func checkImport(ctx context.Context, tx neo4j.ManagedTransaction, d *model.Dataset) error {
	res, err := tx.Run(ctx, importCheckQuery(), importCheckParams(d))
	if err != nil {
		return err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return err
	}
	c, err := clashesFromRecord(rec)
	if err != nil {
		return fmt.Errorf("import check: %w", err)
	}
	return c.verdict(d)
}

// verdict turns what the graph holds into the first reason to refuse the dataset, or nil.
func (c *importClashes) verdict(d *model.Dataset) error {
	bad := func(format string, args ...any) error {
		return model.Errorf(model.CodeBadUserInput, format, args...)
	}
	for _, s := range d.Sources {
		if c.sourceIDsOfEntities[s.ID] {
			return bad("source %q: the id is already used by an entity", s.ID)
		}
		if c.nodeIDsOfRelations[s.ID] {
			return bad("source %q: the id is already used by a relation", s.ID)
		}
	}
	newKind := map[string]model.EntityKind{}
	for _, e := range d.Entities() {
		id := e.GetID()
		newKind[id] = e.Kind()
		if c.entityIDsOfSources[id] {
			return bad("entity %q: the id is already used by a source", id)
		}
		if c.nodeIDsOfRelations[id] {
			return bad("entity %q: the id is already used by a relation", id)
		}
	}
	replaced := map[string]bool{}
	for _, r := range d.Relations {
		replaced[r.ID] = true
		if c.relationIDsOfEntities[r.ID] {
			return bad("relation %q: the id is already used by an entity", r.ID)
		}
		if c.relationIDsOfSources[r.ID] {
			return bad("relation %q: the id is already used by a source", r.ID)
		}
	}
	replacedSources := map[string]bool{}
	for _, s := range d.Sources {
		replacedSources[s.ID] = true
	}
	kindOf := func(id, stored string) model.EntityKind {
		if k, ok := newKind[id]; ok {
			return k
		}
		return model.EntityKind(stored)
	}
	for _, e := range c.retyped {
		kind := newKind[e.id]
		for _, r := range e.rels {
			if replaced[r.id] {
				continue
			}
			if err := model.CheckEndpoints(model.RelationType(r.typ), kindOf(r.fromID, r.fromKind), kindOf(r.toID, r.toKind)); err != nil {
				return bad("entity %q: changing its kind to %s breaks stored relation %q: %s", e.id, kind, r.id, err)
			}
		}
		for _, x := range e.countryOf {
			if _, ok := newKind[x]; !ok && kind != model.KindPlace {
				return bad("entity %q: changing its kind to %s breaks the countryId of stored entity %q", e.id, kind, x)
			}
		}
		for _, x := range e.publisherOf {
			if !replacedSources[x] && kind != model.KindOrganization {
				return bad("entity %q: changing its kind to %s breaks the publisherId of stored source %q", e.id, kind, x)
			}
		}
	}
	return nil
}

// clashesFromRecord maps the one record of cypherImportCheck.
func clashesFromRecord(rec *neo4j.Record) (*importClashes, error) {
	c := &importClashes{}
	for _, col := range []struct {
		key string
		set *map[string]bool
	}{
		{"sourceIdsOfEntities", &c.sourceIDsOfEntities},
		{"entityIdsOfSources", &c.entityIDsOfSources},
		{"relationIdsOfEntities", &c.relationIDsOfEntities},
		{"relationIdsOfSources", &c.relationIDsOfSources},
		{"nodeIdsOfRelations", &c.nodeIDsOfRelations},
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
		e := retypedEntity{id: mapString(m, "id")}
		for _, x := range mapList(m, "rels") {
			r, _ := x.(map[string]any)
			e.rels = append(e.rels, storedRelation{
				id: mapString(r, "id"), typ: mapString(r, "type"),
				fromID: mapString(r, "fromId"), fromKind: mapString(r, "fromKind"),
				toID: mapString(r, "toId"), toKind: mapString(r, "toKind"),
			})
		}
		for _, x := range mapList(m, "countryOf") {
			s, _ := x.(string)
			e.countryOf = append(e.countryOf, s)
		}
		for _, x := range mapList(m, "publisherOf") {
			s, _ := x.(string)
			e.publisherOf = append(e.publisherOf, s)
		}
		c.retyped = append(c.retyped, e)
	}
	// Check in id order, so the same clash gives the same message every time.
	slices.SortFunc(c.retyped, func(a, b retypedEntity) int { return strings.Compare(a.id, b.id) })
	return c, nil
}

func mapString(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func mapList(m map[string]any, key string) []any {
	l, _ := m[key].([]any)
	return l
}
