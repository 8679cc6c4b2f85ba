package model

import (
	"context"
	"maps"
)

// MaxNestedLevels bounds how deep a nested read goes: a RelationsTree and its Next, and theirs,
// are at most this many levels. The API's typed relation lists nest far less in practice
// (organization -> brands -> models is two).
const MaxNestedLevels = 4

// RelationsTree is one level of a nested read (NestedReader): Query is asked of every entity
// the level starts from, always with the entities at the other ends of the relations on its
// pages (as RelationsOfWithEnds), and each of Next is asked of those other ends in turn. It is
// the shape of a selection such as Organization.brands { models }, read at once instead of
// level by level.
type RelationsTree struct {
	Query RelationsOfQuery
	// Key is Query.Key() when the caller has computed it (a tree remembered across requests
	// carries it, so that the loaders priming its pages do not compute it again), or "".
	// Stores ignore it.
	Key  RelationsOfKey
	Next []RelationsTree
	// Ends, when not zero, says that the caller reads only these fields of the entities at
	// the other ends (FieldID at least), and of the relations on the level's pages
	// only their id, type, status and ends. A store may then read that much and no more (see
	// Nested.Partial and TreePages.Slim); zero asks for everything.
	Ends EntityFields
}

// EntityFields is a set of the fields of an entity a caller reads. Every set that is not
// empty holds FieldID: the entity's id and kind, which every read carries. AllEntityFields is
// every field.
type EntityFields uint8

const (
	FieldID EntityFields = 1 << iota
	FieldName
	FieldAliases
	FieldDescription
	FieldSources // SourceIDs
	FieldCreatedAt
	FieldUpdatedAt
	// FieldOwn is the fields of the entity's kind (an organization's type, ownership, founded
	// and country, a brand's segment, a plant's opening date, ...).
	FieldOwn

	AllEntityFields = FieldID | FieldName | FieldAliases | FieldDescription | FieldSources | FieldCreatedAt | FieldUpdatedAt | FieldOwn
)

// Has says whether f holds every field of need.
func (f EntityFields) Has(need EntityFields) bool { return f&need == need }

// TreePages is the answer to one RelationsTree.
type TreePages struct {
	// Pages holds one page per entity the level was asked of, keyed by its id: every id asked
	// has one, empty for an unknown id, as in RelationsOf.
	Pages map[string]*RelationPage
	// Slim says that the relations on Pages carry only their id, type, status and ends: the
	// store took the tree's Ends at its word. A page that is not slim is complete.
	Slim bool
	// Next answers the tree's Next, in order; each was asked of the distinct entities at the
	// other end of the relations on Pages (for a self-loop, the entity itself).
	Next []TreePages
}

// Nested is the answer of a nested read.
type Nested struct {
	// Entities holds the entities the read started from that exist and every entity at the
	// other end of a relation on any page, keyed by id.
	Entities map[string]Entity
	// Partial holds the other ends of the levels read with Ends that are not in Entities, of
	// which only PartialFields (the union of those levels' Ends), their id and kind were
	// read; the other fields are their zero values. A store that reads whole entities leaves
	// it empty and puts them in Entities.
	Partial       map[string]Entity
	PartialFields EntityFields
	// Trees answers the read's trees, in order.
	Trees []TreePages
}

// NestedReader is an optional method of a BatchReader, for a selection that follows typed
// relation lists from an entity and on from the entities they reach: a store that can answer
// every level in one round trip (the Neo4j store reads them with one statement) offers it.
// ReadNested gives the same answer for every BatchReader.
type NestedReader interface {
	// ReadNested reads the entities with the given ids and answers each tree of trees for
	// them (see RelationsTree). Its errors are those of RelationsOf; more than MaxNestedLevels
	// levels is BAD_USER_INPUT.
	ReadNested(ctx context.Context, ids []string, trees []RelationsTree) (*Nested, error)
}

// ReadNested answers a nested read through the reader's NestedReader when it has one, else by
// ComposeNested.
func ReadNested(ctx context.Context, r BatchReader, ids []string, trees []RelationsTree) (*Nested, error) {
	if nr, ok := r.(NestedReader); ok {
		return nr.ReadNested(ctx, ids, trees)
	}
	return ComposeNested(ctx, r, ids, trees)
}

// CheckNested refuses trees deeper than MaxNestedLevels, and trees whose queries do not
// normalise.
func CheckNested(trees []RelationsTree) error {
	return checkNested(trees, 1)
}

func checkNested(trees []RelationsTree, level int) error {
	if len(trees) > 0 && level > MaxNestedLevels {
		return Errorf(CodeBadUserInput, "a nested read goes at most %d levels deep", MaxNestedLevels)
	}
	for _, t := range trees {
		if _, err := t.Query.Normalize(); err != nil {
			return err
		}
		if err := checkNested(t.Next, level+1); err != nil {
			return err
		}
	}
	return nil
}

// ComposeNested answers a nested read with a reader's other batch methods: EntitiesByID of the
// ids, then one RelationsOfWithEnds per level of each tree, asked of the other ends the level
// above found. It is the definition of a nested read's answer; a NestedReader gives the same.
func ComposeNested(ctx context.Context, r BatchReader, ids []string, trees []RelationsTree) (*Nested, error) {
	if err := CheckNested(trees); err != nil {
		return nil, err
	}
	ents, err := r.EntitiesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	// The answer's map is its own: a reader's map is copied, except the one sharedBatch
	// makes for this call.
	out := &Nested{Entities: ents}
	if _, fresh := r.(sharedBatch); !fresh {
		out.Entities = maps.Clone(ents)
	}
	if out.Entities == nil {
		out.Entities = map[string]Entity{}
	}
	if out.Trees, err = composeTrees(ctx, r, ids, trees, out.Entities); err != nil {
		return nil, err
	}
	return out, nil
}

// composeTrees answers trees for ids, adding the other ends it reads to ents.
func composeTrees(ctx context.Context, r BatchReader, ids []string, trees []RelationsTree, ents map[string]Entity) ([]TreePages, error) {
	out := make([]TreePages, len(trees))
	for i, t := range trees {
		pages, ends, err := RelationsOfWithEnds(ctx, r, ids, t.Query)
		if err != nil {
			return nil, err
		}
		maps.Copy(ents, ends)
		out[i].Pages = pages
		if len(t.Next) > 0 {
			if out[i].Next, err = composeTrees(ctx, r, OtherEnds(ids, pages), t.Next, ents); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// OtherEnds lists, once each and in the order of ids and then of the pages' relations, the
// entities at the other end of the relations on the pages of ids: the entities the next level
// of a nested read is asked of.
func OtherEnds(ids []string, pages map[string]*RelationPage) []string {
	var out []string
	seen, done := map[string]bool{}, map[string]bool{}
	for _, id := range ids {
		p := pages[id]
		if p == nil || done[id] {
			continue // an id asked twice has its page once
		}
		done[id] = true
		for _, r := range p.Items {
			if o := r.Other(id); !seen[o] {
				seen[o] = true
				out = append(out, o)
			}
		}
	}
	return out
}
