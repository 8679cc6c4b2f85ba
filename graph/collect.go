package graph

import (
	"slices"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/autograph-kg/autograph/graph/model"
)

// fieldCollections keeps gqlgen's field collection (graphql.CollectFields) of the selection
// sets the direct writer walks from one request to the next. gqlgen caches a parsed query
// (handler.Server's query cache), so a query asked again brings the same syntax nodes, and
// collecting the fields of the same nodes for the same type gives the same fields, unless a
// directive decides which are in (@skip and @include read the request's variables, @defer is
// the executor's): a selection with a directive anywhere in it, its fragments included, is
// collected anew every time. An explorer page of relations collects some twenty selection
// sets, an eighth of the request's CPU before this cache.
//
// A selection set is known by the nodes it holds, not by where its slice lives: the executor
// makes a new slice of a field's selections for every request (merging the selections of the
// fields an answer key is asked under), and only the nodes are the cached query's. The cache
// holds on to the nodes it has seen; it starts afresh when it holds maxCollections sets, which
// only a stream of queries never asked before reaches.
type fieldCollections struct {
	mu sync.RWMutex
	m  map[collectionKey][]collection
	n  int
	// lists are the queries' keys of the relation list fields written (listKey).
	lists map[listField]listQuery
}

// listField is a relation list field's node, which way its relations go, and the values of
// the operation's variables (VariablesKey): what its query is a function of.
type listField struct {
	field *ast.Field
	dir   model.Direction
	vars  string
}

// listQuery is the key of a relation list field's query; ok false when its arguments do not
// read as one (the executor's to report).
type listQuery struct {
	key model.RelationsOfKey
	ok  bool
}

// maxListFields bounds the relation list fields a fieldCollections keeps the keys of; it
// starts afresh past it.
const maxListFields = 4096

// listKey is the key of relationListQuery(oc, f, dir), kept across requests under vars (the
// operation's VariablesKey, computed by the caller; varsOK false: not kept). The arguments
// are the field node's, the same in every request of a cached document, so a relation list
// asked again is not read into a map of arguments and a key again (four of a load mix
// request's allocations).
func (c *fieldCollections) listKey(oc *graphql.OperationContext, f graphql.CollectedField, dir model.Direction, vars string, varsOK bool) (model.RelationsOfKey, bool) {
	compute := func() listQuery {
		q, ok := relationListQuery(oc, f, dir)
		if !ok {
			return listQuery{}
		}
		return listQuery{key: q.Key(), ok: true}
	}
	if c == nil || !varsOK || f.Field == nil {
		lq := compute()
		return lq.key, lq.ok
	}
	k := listField{field: f.Field, dir: dir, vars: vars}
	c.mu.RLock()
	lq, kept := c.lists[k]
	c.mu.RUnlock()
	if kept {
		return lq.key, lq.ok
	}
	lq = compute()
	c.mu.Lock()
	if c.lists == nil || len(c.lists) >= maxListFields {
		c.lists = make(map[listField]listQuery, 64)
	}
	c.lists[k] = lq
	c.mu.Unlock()
	return lq.key, lq.ok
}

// maxCollections bounds the selection sets a fieldCollections holds.
const maxCollections = 4096

// collectionKey narrows a selection set down to the few that start with the same node, have
// as many and are collected for the same type (the generated list of the type's interfaces).
type collectionKey struct {
	first ast.Selection
	n     int
	impl  *string
}

// collection is one selection set's fields; bad when the direct writer cannot write them.
type collection struct {
	sel    ast.SelectionSet
	fields []graphql.CollectedField
	bad    bool
}

func newFieldCollections() *fieldCollections {
	return &fieldCollections{m: map[collectionKey][]collection{}}
}

// get is the collection of sel for impl, if kept.
func (c *fieldCollections) get(sel ast.SelectionSet, impl []string) (collection, bool) {
	if c == nil {
		return collection{}, false
	}
	k := collectionKey{first: sel[0], n: len(sel), impl: &impl[0]}
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, e := range c.m[k] {
		if slices.Equal(e.sel, sel) {
			return e, true
		}
	}
	return collection{}, false
}

// put keeps e, the collection of e.sel for impl, if no directive can change it.
func (c *fieldCollections) put(doc *ast.QueryDocument, impl []string, e collection) {
	if c == nil || !withoutDirectives(doc, e.sel, 0) {
		return
	}
	k := collectionKey{first: e.sel[0], n: len(e.sel), impl: &impl[0]}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, old := range c.m[k] {
		if slices.Equal(old.sel, e.sel) {
			return
		}
	}
	if c.n >= maxCollections {
		c.m, c.n = map[collectionKey][]collection{}, 0
	}
	c.m[k] = append(c.m[k], e)
	c.n++
}

// maxFragmentDepth bounds the fragments within fragments withoutDirectives follows; the
// validator has refused cycles already, and a deeper nest is collected anew each time.
const maxFragmentDepth = 32

// withoutDirectives says whether no selection of sel, nor of the inline fragments and named
// fragments it spreads (their definitions too), carries a directive, and every fragment it
// spreads is in doc: then collecting sel's fields depends on nothing but the nodes and the
// type.
func withoutDirectives(doc *ast.QueryDocument, sel ast.SelectionSet, depth int) bool {
	if depth > maxFragmentDepth {
		return false
	}
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if len(s.Directives) > 0 {
				return false
			}
		case *ast.InlineFragment:
			if len(s.Directives) > 0 || !withoutDirectives(doc, s.SelectionSet, depth+1) {
				return false
			}
		case *ast.FragmentSpread:
			if len(s.Directives) > 0 || doc == nil {
				return false
			}
			def := doc.Fragments.ForName(s.Name)
			if def == nil || len(def.Directives) > 0 || !withoutDirectives(doc, def.SelectionSet, depth+1) {
				return false
			}
		default:
			return false
		}
	}
	return true
}
