package graph

import (
	"context"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/autograph-kg/autograph/graph/gqlmodel"
	"github.com/autograph-kg/autograph/graph/loader"
	"github.com/autograph-kg/autograph/graph/model"
)

// NewDirectFields makes a field interceptor (handler.Server.AroundFields) that writes the answer of
// a relation-valued field (a relation connection, a list of relations, a relation, a
// neighbourhood, a list of paths, a timeline), of a search, or of an entity or a list of
// entities as JSON in one pass, instead of letting the generated executor resolve every field
// below it. The executor spends about a dozen allocations on each field it resolves, and a
// goroutine on every field with a resolver and every list element; an explorer page of
// relations with their endpoints and sources has some 360 fields. The writer loads the
// endpoints, sources, publishers and countries the selection asks for with one batch call per
// kind and level, through the request's loaders, so the store sees the same batches as before.
//
// The answer is the same, byte for byte: the fields come in the executor's order (gqlgen's
// own field collection, fragments, aliases, @skip and @include included), and every scalar is
// written as its marshaller writes it (see TestDirectFieldsMatchTheExecutor). The writer
// handles only selections that cannot fail: a field it does not know (one that follows
// relations, such as Entity.relations, any field with arguments, @defer), a typed relation
// list the request's loaders do not hold yet (see typedList), an endpoint that is missing,
// a store error or an invalid value hands the field back to the executor, which resolves it
// as before, errors and all; the fields below it come back to the writer one by one.
//
// Each interceptor NewDirectFields makes keeps the field collections of the queries it has
// written (see fieldCollections), for one server's queries.
func NewDirectFields() graphql.FieldMiddleware {
	shared := newFieldCollections()
	return func(ctx context.Context, next graphql.Resolver) (any, error) {
		return directFields(ctx, next, shared)
	}
}

func directFields(ctx context.Context, next graphql.Resolver, shared *fieldCollections) (any, error) {
	res, err := next(ctx)
	if err != nil || res == nil {
		return res, err
	}
	switch res.(type) {
	case *gqlmodel.RelationConnection, []*model.Relation, *model.Relation, *model.Subgraph, []*model.Path,
		[]*model.TimelineEntry, []*model.SearchHit,
		model.Entity, []model.Entity, []*model.Organization, []*model.Brand, []*model.VehicleModel, []*model.Plant, []*model.Place, []*model.Agreement:
	default:
		return res, nil
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Object == "Mutation" || fc.Field.Field == nil {
		return res, nil
	}
	if out := writeDirect(ctx, graphql.GetOperationContext(ctx), shared, fc.Field.Selections, res); out != nil {
		return out, nil
	}
	return res, nil
}

// rawJSON is an answer already written.
type rawJSON []byte

// MarshalGQL writes the answer.
func (j rawJSON) MarshalGQL(w io.Writer) { _, _ = w.Write(j) }

// maxDirectRounds bounds the load-and-rewrite rounds of one field: each round loads what the
// previous one found missing (endpoints and sources, then publishers), so three suffice for
// every selection the writer handles; the bound only guards against a loop.
const maxDirectRounds = 6

// writeDirect writes res under sel, loading what it refers to; nil when the executor has to
// resolve it instead.
func writeDirect(ctx context.Context, oc *graphql.OperationContext, shared *fieldCollections, sel ast.SelectionSet, res any) rawJSON {
	// A page of relations is a few KiB; a single entity is often handed back (its selection
	// follows relations), so it starts small. The maps are made when something is loaded.
	size := 4096
	if _, one := res.(model.Entity); one {
		size = 256
	}
	bufs := BuffersFrom(ctx)
	ld := loader.For(ctx)
	w := &directWriter{oc: oc, bufs: bufs, buf: bufs.Get(size), shared: shared, ld: ld, grouped: inAList(ctx)}
	w.fields = w.fields0[:0]
	w.knownEnds(res)
	for round := range maxDirectRounds {
		w.buf, w.needEnts, w.needSrcs, w.pubSrcs, w.bad = w.buf[:0], w.needEnts[:0], w.needSrcs[:0], w.pubSrcs[:0], false
		w.value(sel, res)
		if w.bad {
			return nil
		}
		if len(w.needEnts) == 0 && len(w.needSrcs) == 0 {
			return rawJSON(w.buf)
		}
		if round == 0 {
			// Sibling fields of the same object (aliased relation lists, say) load their
			// pages concurrently, and each page announces its endpoints to the loaders; a
			// batch sent before a sibling's announcement lands leaves that sibling a batch
			// of its own. The executor leaves them that moment while it starts a goroutine
			// per list element; the writer yields for it.
			runtime.Gosched()
		}
		if len(w.needEnts) > 0 && !w.loadEntities(ctx, ld, dedupe(w.needEnts)) {
			return nil
		}
		if len(w.needSrcs) > 0 {
			ids := dedupe(w.needSrcs)
			load := ld.SourcesAsked
			if w.grouped {
				load = ld.Sources
			}
			srcs, err := load(ctx, ids)
			if err != nil {
				return nil
			}
			if w.srcs == nil {
				w.srcs = make(map[string]*model.Source, len(ids))
			}
			for _, id := range ids {
				w.srcs[id] = nil
			}
			for _, s := range srcs {
				w.srcs[s.ID] = s
			}
			if !w.publishersAhead(ctx, ld) {
				return nil
			}
		}
	}
	return nil
}

// inAList reports whether the field is inside a list the executor resolves (an element of
// the edges of a connection it handed back, or a field of such an element), where the
// writers of the other elements load concurrently.
func inAList(ctx context.Context) bool {
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		if fc.Index != nil {
			return true
		}
	}
	return false
}

// knownEnds gives the writer the entities that res holds besides its relations, which are
// the ends of those relations: a neighbourhood's relations are among its nodes, a path's
// between its nodes. The executor would load each end through the entity loader, from the
// same store; here the store's answer already has them, and the neighbourhood of a hub
// (200 nodes) then asks it for none of them again. An end that is not among them (none, by
// the contract of Neighborhood and Paths) is loaded as before.
func (w *directWriter) knownEnds(res any) {
	add := func(nodes []model.Entity) {
		if w.ents == nil {
			w.ents = make(map[string]model.Entity, len(nodes))
		}
		for _, e := range nodes {
			if e != nil {
				w.ents[e.GetID()] = e
			}
		}
	}
	switch v := res.(type) {
	case *model.Subgraph:
		if v != nil && len(v.Relations) > 0 {
			add(v.Nodes)
		}
	case []*model.Path:
		for _, p := range v {
			if p != nil && len(p.Relations) > 0 {
				add(p.Nodes)
			}
		}
	}
}

// publishersAhead loads, right after the sources, the publishers that the next round would
// find missing: those of the sources just loaded whose selection asks for the publisher
// (pubSrcs). The store sees the same batch of publishers as it would a round later, and the
// answer is written one time fewer (a neighbourhood's 68 KB, a hub's page). It reports false
// on a store error, on which the field goes back to the executor as it would have.
func (w *directWriter) publishersAhead(ctx context.Context, ld *loader.Loaders) bool {
	if len(w.pubSrcs) == 0 {
		return true
	}
	ids := make([]string, 0, len(w.pubSrcs))
	for _, id := range w.pubSrcs {
		if s := w.srcs[id]; s != nil && s.PublisherID != "" {
			if _, ok := w.ents[s.PublisherID]; !ok {
				ids = append(ids, s.PublisherID)
			}
		}
	}
	w.pubSrcs = w.pubSrcs[:0]
	if len(ids) == 0 {
		return true
	}
	slices.Sort(ids) // the ids are this function's: deduplicated in place
	return w.loadEntities(ctx, ld, slices.Compact(ids))
}

// loadEntities loads ids (distinct) into w.ents, nil for those the store does not know; false
// on a store error, on which the field goes back to the executor.
func (w *directWriter) loadEntities(ctx context.Context, ld *loader.Loaders, ids []string) bool {
	load := ld.EntitiesAsked
	if w.grouped {
		load = ld.Entities
	}
	ents, err := load(ctx, ids)
	if err != nil {
		return false
	}
	if w.ents == nil {
		w.ents = make(map[string]model.Entity, len(ids))
	}
	for _, id := range ids {
		w.ents[id] = nil
	}
	for _, e := range ents {
		w.ents[e.GetID()] = e
	}
	return true
}

// dedupe sorts ids and leaves each once, in place: they are the writer's own list of what a
// round found missing, which the loaders copy what they keep of, and which the next round
// writes anew.
func dedupe(ids []string) []string {
	slices.Sort(ids)
	return slices.Compact(ids)
}

// missing adds id to list, one of the writer's lists of what a round found missing (needEnts,
// needSrcs, pubSrcs), which starts at room for a page's worth: a page of twenty relations
// misses some forty endpoints and as many sources, and growing the lists to them one doubling
// at a time was a dozen allocations.
func missing(list []string, id string) []string {
	if list == nil {
		list = make([]string, 0, missingRoom)
	}
	return append(list, id)
}

// missingRoom is the room a list of missing ids starts with.
const missingRoom = 32

// directWriter writes one field's answer. An entity or source it has not loaded yet is noted
// in needEnts or needSrcs and written as null, and the round is written again once they are
// loaded; ents and srcs hold nil for ids the store does not know.
type directWriter struct {
	oc       *graphql.OperationContext
	bufs     *RequestBuffers // where buf comes from; nil: new buffers
	buf      []byte
	ents     map[string]model.Entity
	srcs     map[string]*model.Source
	needEnts []string
	needSrcs []string
	// pubSrcs are the missing sources (of needSrcs) whose selection asks for the publisher.
	pubSrcs []string
	// bad is set on anything the executor has to handle.
	bad    bool
	fields []collected
	// fields0 is room for the selection sets of a usual answer (an explorer page walks six),
	// so that fields grows without allocating until then.
	fields0 [8]collected
	// ld is the request's loaders, which typed relation lists are written from; nil: none.
	ld *loader.Loaders
	// argQueries are the relation list fields' queries read so far (relationListQuery).
	argQueries []argQuery
	// vars is the operation's VariablesKey (varsOK: it has one), read once varsRead.
	vars             string
	varsOK, varsRead bool
	// shared keeps field collections across requests; nil keeps them for this field only.
	shared *fieldCollections
	// grouped is set when the field is inside a list the executor resolves: what it misses
	// is loaded with what was announced with it (Entities, Sources), so that the first
	// element's writer fetches for all of them and the others find it cached. The writer of
	// a whole list asks for exactly its keys instead (EntitiesAsked, SourcesAsked): it has
	// them all, and grouping hundreds of announced keys only to find them among its own was
	// most of a load's time; an element's writer asking for exactly its own would wait for
	// its siblings' in the loaders' window.
	grouped bool
}

// collected caches gqlgen's field collection of one selection set for one type, which the
// writer asks for once per object.
type collected struct {
	sel    *ast.Selection
	n      int
	impl   *string
	fields []graphql.CollectedField
	bad    bool
}

// collect is graphql.CollectFields, cached per selection set and type, for the request and
// (w.shared) across requests, refusing @defer and fields with arguments.
func (w *directWriter) collect(sel ast.SelectionSet, impl []string) []graphql.CollectedField {
	if len(sel) == 0 {
		w.bad = true
		return nil
	}
	for _, c := range w.fields {
		if c.sel == &sel[0] && c.n == len(sel) && c.impl == &impl[0] {
			w.bad = w.bad || c.bad
			return c.fields
		}
	}
	e, ok := w.shared.get(sel, impl)
	if !ok {
		e = collection{sel: sel, fields: graphql.CollectFields(w.oc, sel, impl)}
		for _, f := range e.fields {
			if f.IsDeferred() || !argumentsWritten(impl[0], f) {
				e.bad = true
			}
		}
		w.shared.put(w.oc.Doc, impl, e)
	}
	w.bad = w.bad || e.bad
	w.fields = append(w.fields, collected{sel: &sel[0], n: len(sel), impl: &impl[0], fields: e.fields, bad: e.bad})
	return e.fields
}

// argumentsWritten says whether the writer knows every argument of a field of object: none,
// or those of a relation list (status, asOf; see relationList) or of a typed relation list
// that takes a date (asOf; see typedList). Any other argument is the executor's to read.
func argumentsWritten(object string, f graphql.CollectedField) bool {
	if len(f.Arguments) == 0 {
		return true
	}
	_, rel := relationListOf(object, f.Name)
	tl, typed := typedListOf(object, f.Name)
	for _, a := range f.Arguments {
		switch {
		case rel && (a.Name == "status" || a.Name == "asOf"):
		case typed && tl.asOf && a.Name == "asOf":
		default:
			return false
		}
	}
	return true
}

func (w *directWriter) value(sel ast.SelectionSet, res any) {
	switch v := res.(type) {
	case *gqlmodel.RelationConnection:
		w.relationConnection(sel, v)
	case []*model.Relation:
		w.list(len(v), func(i int) { w.relation(sel, v[i]) })
	case *model.Relation:
		w.relation(sel, v)
	case *model.Subgraph:
		w.subgraph(sel, v)
	case []*model.Path:
		w.list(len(v), func(i int) { w.path(sel, v[i]) })
	case []*model.TimelineEntry:
		w.list(len(v), func(i int) { w.timelineEntry(sel, v[i]) })
	case []*model.SearchHit:
		w.list(len(v), func(i int) { w.searchHit(sel, v[i]) })
	case model.Entity:
		w.entity(sel, v)
	case []model.Entity:
		w.list(len(v), func(i int) { w.entity(sel, v[i]) })
	case []*model.Organization:
		w.list(len(v), func(i int) { w.entity(sel, v[i]) })
	case []*model.Brand:
		w.list(len(v), func(i int) { w.entity(sel, v[i]) })
	case []*model.VehicleModel:
		w.list(len(v), func(i int) { w.entity(sel, v[i]) })
	case []*model.Plant:
		w.list(len(v), func(i int) { w.entity(sel, v[i]) })
	case []*model.Place:
		w.list(len(v), func(i int) { w.entity(sel, v[i]) })
	case []*model.Agreement:
		w.list(len(v), func(i int) { w.entity(sel, v[i]) })
	default:
		w.bad = true
	}
}

// list writes n elements. Between two it sizes the buffer for the rest (roomFor), and in a
// round that has to be written again (something is missing) it drops what the round wrote
// so far: that round is only looking for what to load, and its output is never used.
func (w *directWriter) list(n int, each func(i int)) {
	w.buf = append(w.buf, '[')
	start := len(w.buf)
	for i := range n {
		if w.bad {
			return
		}
		if i > 0 {
			if w.missing() {
				w.buf = w.buf[:0]
			} else {
				w.roomFor(start, i, n)
			}
			w.buf = append(w.buf, ',')
		}
		each(i)
	}
	w.buf = append(w.buf, ']')
}

// missing says whether the round found something to load, so that it will be written again.
func (w *directWriter) missing() bool { return len(w.needEnts) > 0 || len(w.needSrcs) > 0 }

// projectAfter is how many elements of a list roomFor waits for before it sizes the buffer
// for the rest by them: fewer are no measure (a neighbourhood's centre is a shorter node than
// the others, its first relations cite more sources than most).
const projectAfter = 4

// roomFor grows the buffer, once done of n elements of a list that starts at start are
// written, when it cannot hold the rest at the size of those, to hold them and a quarter
// more for the variation: the buffer then grows once or twice for a long answer (the 68 KB
// of a hub's neighbourhood) instead of a quarter at a time from 4 KiB, which allocated five
// times the answer.
func (w *directWriter) roomFor(start, done, n int) {
	written := len(w.buf) - start
	if done < projectAfter || written <= 0 {
		return
	}
	rest := written / done * (n - done)
	if cap(w.buf)-len(w.buf) >= rest {
		return
	}
	// A short list inside a long one (an entity's aliases) asks for little: it then grows as
	// append would, by a quarter, not by a copy of the whole buffer for a few bytes.
	grown := w.bufs.Get(max(len(w.buf)+rest+rest/4, cap(w.buf)+cap(w.buf)/4))[:len(w.buf)]
	copy(grown, w.buf)
	w.buf = grown
}

// key starts field i of an object.
func (w *directWriter) key(i int, f *graphql.CollectedField) {
	if i == 0 {
		w.buf = append(w.buf, '{')
	} else {
		w.buf = append(w.buf, ',')
	}
	w.str(f.Alias)
	w.buf = append(w.buf, ':')
}

// end closes an object of n fields.
func (w *directWriter) end(n int) {
	if n == 0 {
		w.buf = append(w.buf, '{')
	}
	w.buf = append(w.buf, '}')
}

func (w *directWriter) relationConnection(sel ast.SelectionSet, c *gqlmodel.RelationConnection) {
	if c == nil {
		w.bad = true
		return
	}
	fs := w.collect(sel, relationConnectionImplementors)
	for i := range fs {
		f := &fs[i]
		w.key(i, f)
		switch f.Name {
		case "__typename":
			w.str("RelationConnection")
		case "totalCount":
			w.int(c.TotalCount)
		case "pageInfo":
			w.pageInfo(f.Selections, c.PageInfo)
		case "edges":
			w.list(len(c.Edges), func(j int) { w.relationEdge(f.Selections, c.Edges[j]) })
		default:
			w.bad = true
		}
		if w.bad {
			return
		}
	}
	w.end(len(fs))
}

func (w *directWriter) relationEdge(sel ast.SelectionSet, e *gqlmodel.RelationEdge) {
	if e == nil {
		w.bad = true
		return
	}
	fs := w.collect(sel, relationEdgeImplementors)
	for i := range fs {
		f := &fs[i]
		w.key(i, f)
		switch f.Name {
		case "__typename":
			w.str("RelationEdge")
		case "cursor":
			w.str(e.Cursor)
		case "node":
			w.relation(f.Selections, e.Node)
		default:
			w.bad = true
		}
		if w.bad {
			return
		}
	}
	w.end(len(fs))
}

func (w *directWriter) pageInfo(sel ast.SelectionSet, p *gqlmodel.PageInfo) {
	if p == nil {
		w.bad = true
		return
	}
	fs := w.collect(sel, pageInfoImplementors)
	for i := range fs {
		f := &fs[i]
		w.key(i, f)
		switch f.Name {
		case "__typename":
			w.str("PageInfo")
		case "hasNextPage":
			w.bool(p.HasNextPage)
		case "hasPreviousPage":
			w.bool(p.HasPreviousPage)
		case "startCursor":
			w.optStr(p.StartCursor)
		case "endCursor":
			w.optStr(p.EndCursor)
		default:
			w.bad = true
		}
		if w.bad {
			return
		}
	}
	w.end(len(fs))
}

func (w *directWriter) subgraph(sel ast.SelectionSet, g *model.Subgraph) {
	fs := w.collect(sel, subgraphImplementors)
	for i := range fs {
		f := &fs[i]
		w.key(i, f)
		switch f.Name {
		case "__typename":
			w.str("Subgraph")
		case "truncated":
			w.bool(g.Truncated)
		case "nodes":
			w.list(len(g.Nodes), func(j int) { w.entity(f.Selections, g.Nodes[j]) })
		case "relations":
			w.list(len(g.Relations), func(j int) { w.relation(f.Selections, g.Relations[j]) })
		default:
			w.bad = true
		}
		if w.bad {
			return
		}
	}
	w.end(len(fs))
}

func (w *directWriter) path(sel ast.SelectionSet, p *model.Path) {
	if p == nil {
		w.bad = true
		return
	}
	fs := w.collect(sel, pathImplementors)
	for i := range fs {
		f := &fs[i]
		w.key(i, f)
		switch f.Name {
		case "__typename":
			w.str("Path")
		case "length":
			w.int(p.Length())
		case "nodes":
			w.list(len(p.Nodes), func(j int) { w.entity(f.Selections, p.Nodes[j]) })
		case "relations":
			w.list(len(p.Relations), func(j int) { w.relation(f.Selections, p.Relations[j]) })
		default:
			w.bad = true
		}
		if w.bad {
			return
		}
	}
	w.end(len(fs))
}

func (w *directWriter) relation(sel ast.SelectionSet, r *model.Relation) {
	if r == nil {
		w.bad = true
		return
	}
	fs := w.collect(sel, relationImplementors)
	for i := range fs {
		f := &fs[i]
		w.key(i, f)
		switch f.Name {
		case "__typename":
			w.str("Relation")
		case "id":
			w.str(r.ID)
		case "type":
			w.quote(string(r.Type))
		case "status":
			w.quote(string(r.Status))
		case "from":
			w.endpoint(f.Selections, r.FromID)
		case "to":
			w.endpoint(f.Selections, r.ToID)
		case "validFrom":
			w.optDate(r.ValidFrom)
		case "validTo":
			w.optDate(r.ValidTo)
		case "quantity":
			if r.Quantity == nil {
				w.null()
			} else {
				w.int(*r.Quantity)
			}
		case "note":
			w.optStr(r.NoteOrNull())
		case "sources":
			w.sources(f.Selections, r.SourceIDs)
		case "createdAt":
			w.time(r.CreatedAt)
		case "updatedAt":
			w.time(r.UpdatedAt)
		default:
			w.bad = true
		}
		if w.bad {
			return
		}
	}
	w.end(len(fs))
}

func (w *directWriter) timelineEntry(sel ast.SelectionSet, e *model.TimelineEntry) {
	if e == nil {
		w.bad = true
		return
	}
	fs := w.collect(sel, timelineEntryImplementors)
	for i := range fs {
		f := &fs[i]
		w.key(i, f)
		switch f.Name {
		case "__typename":
			w.str("TimelineEntry")
		case "date":
			w.date(e.Date)
		case "kind":
			w.quote(string(e.Kind))
		case "summary":
			w.str(e.Summary)
		case "entity":
			if e.Entity == nil {
				w.null()
			} else {
				w.entity(f.Selections, e.Entity)
			}
		case "relation":
			if e.Relation == nil {
				w.null()
			} else {
				w.relation(f.Selections, e.Relation)
			}
		default:
			w.bad = true
		}
		if w.bad {
			return
		}
	}
	w.end(len(fs))
}

func (w *directWriter) searchHit(sel ast.SelectionSet, h *model.SearchHit) {
	if h == nil || h.Entity == nil {
		w.bad = true
		return
	}
	fs := w.collect(sel, searchHitImplementors)
	for i := range fs {
		f := &fs[i]
		w.key(i, f)
		switch f.Name {
		case "__typename":
			w.str("SearchHit")
		case "score":
			w.float(h.Score)
		case "entity":
			w.entity(f.Selections, h.Entity)
		default:
			w.bad = true
		}
		if w.bad {
			return
		}
	}
	w.end(len(fs))
}

// endpoint writes a relation's non-null end; an unknown one is the executor's to report.
func (w *directWriter) endpoint(sel ast.SelectionSet, id string) {
	e, ok := w.ents[id]
	switch {
	case !ok:
		w.needEnts = missing(w.needEnts, id)
		w.null()
	case e == nil:
		w.bad = true
	default:
		w.entity(sel, e)
	}
}

// sources writes the known sources among ids, in order, as Relation.sources and
// Entity.sources do (graph/loader leaves unknown ids out).
func (w *directWriter) sources(sel ast.SelectionSet, ids []string) {
	w.buf = append(w.buf, '[')
	first := true
	for _, id := range ids {
		s, ok := w.srcs[id]
		if !ok {
			w.needSrcs = missing(w.needSrcs, id)
			if w.asksPublisher(sel) {
				w.pubSrcs = missing(w.pubSrcs, id)
			}
			continue
		}
		if s == nil {
			continue
		}
		if !first {
			w.buf = append(w.buf, ',')
		}
		first = false
		w.source(sel, s)
		if w.bad {
			return
		}
	}
	w.buf = append(w.buf, ']')
}

func (w *directWriter) source(sel ast.SelectionSet, s *model.Source) {
	fs := w.collect(sel, sourceImplementors)
	for i := range fs {
		f := &fs[i]
		w.key(i, f)
		switch f.Name {
		case "__typename":
			w.str("Source")
		case "id":
			w.str(s.ID)
		case "title":
			w.str(s.Title)
		case "publishedOn":
			w.date(s.PublishedOn)
		case "dateline":
			w.optStr(s.DatelineOrNull())
		case "url":
			w.optStr(s.URLOrNull())
		case "language":
			w.optStr(s.LanguageOrNull())
		case "publisher":
			w.publisher(f.Selections, s.PublisherID)
		case "createdAt":
			w.time(s.CreatedAt)
		case "updatedAt":
			w.time(s.UpdatedAt)
		default:
			w.bad = true
		}
		if w.bad {
			return
		}
	}
	w.end(len(fs))
}

// asksPublisher reports whether a selection of sources has a publisher field (after
// fragments, aliases and @skip / @include), which publishersAhead then loads with them.
func (w *directWriter) asksPublisher(sel ast.SelectionSet) bool {
	if len(sel) == 0 {
		return false
	}
	for _, f := range w.collect(sel, sourceImplementors) {
		if f.Name == "publisher" {
			return true
		}
	}
	return false
}

// publisher writes a source's publisher: null when there is none, or when the id is not an
// organization in the graph (as Source.publisher resolves it).
func (w *directWriter) publisher(sel ast.SelectionSet, id string) {
	w.ref(sel, id, func(e model.Entity) bool { o, ok := e.(*model.Organization); return ok && o != nil })
}

// entity writes an entity's fields: those every entity has, and the kind's own (kindField).
func (w *directWriter) entity(sel ast.SelectionSet, e model.Entity) {
	typename := typenameOf(e)
	impl := implementorsOf(typename)
	if impl == nil {
		w.bad = true
		return
	}
	c := e.Common()
	fs := w.collect(sel, impl)
	for i := range fs {
		f := &fs[i]
		w.key(i, f)
		switch f.Name {
		case "__typename":
			w.str(typename)
		case "id":
			w.str(c.ID)
		case "name":
			w.str(c.Name)
		case "kind":
			w.quote(string(e.Kind()))
		case "description":
			w.optStr(c.DescriptionOrNull())
		case "aliases":
			w.list(len(c.Aliases), func(j int) { w.str(c.Aliases[j]) })
		case "sources":
			w.sources(f.Selections, c.SourceIDs)
		case "createdAt":
			w.time(c.CreatedAt)
		case "updatedAt":
			w.time(c.UpdatedAt)
		default:
			if tl, ok := typedListOf(typename, f.Name); ok {
				w.typedList(f, c.ID, tl)
			} else if dir, ok := relationListOf(typename, f.Name); ok {
				w.relationList(f, c.ID, dir)
			} else {
				w.kindField(f, e)
			}
		}
		if w.bad {
			return
		}
	}
	w.end(len(fs))
}

// typedList writes a typed relation list of the entity id (typedListOf: its resolver is
// related), or the entity of a field that shows the first of them (relatedOne), from what
// the request's loaders hold already: the page a nested read (readAhead) or a resolver
// fetched, and the entities at its other ends, in related's order and read as listedReads
// reads them. A list of several parts, of an interface, or anything not held yet goes back
// to the executor, whose resolver asks the store as it would have: the store sees the same
// calls either way. An organization's brands with their models (13 brands, 207 models) were
// 13 goroutines and some 60 resolved fields of the executor's for what the loaders held.
func (w *directWriter) typedList(f *graphql.CollectedField, id string, tl typedList) {
	if w.ld == nil || len(tl.parts) != 1 || tl.object == "" || f.Definition == nil {
		w.bad = true
		return
	}
	var asOf *model.Date
	if tl.asOf && len(f.Arguments) > 0 {
		var ok bool
		if asOf, ok = dateArgument(f.ArgumentMap(w.oc.Variables)); !ok {
			w.bad = true // the resolver reports it
			return
		}
	}
	page, ok := w.ld.HeldRelatedPage(id, relatedQuery(tl.parts[0], asOf))
	if !ok {
		w.bad = true
		return
	}
	reads := listReads(w.oc, f.Selections, tl.object)
	if reads == 0 {
		reads = model.AllEntityFields
	}
	ents, ok := w.ld.HeldEntitiesReading(relatedIDs(id, page.Items), reads)
	if !ok {
		w.bad = true
		return
	}
	// Only the entities of the list's type, as related keeps them.
	kept := ents[:0]
	for _, e := range ents {
		if typenameOf(e) == tl.object {
			kept = append(kept, e)
		}
	}
	if f.Definition.Type.Elem == nil {
		switch {
		case len(kept) > 0:
			w.entity(f.Selections, kept[0])
		case f.Definition.Type.NonNull:
			w.bad = true
		default:
			w.null()
		}
		return
	}
	w.list(len(kept), func(i int) { w.entity(f.Selections, kept[i]) })
}

// relationList writes a relation list field of the entity id (relationListOf: Organization
// and Plant assembles, Brand and VehicleModel assemblers) from the page the request's loaders
// hold already under the query its resolver asks (relationListQuery), which a nested read
// (readAhead) fetched with the entity. The relations' ends and sources are loaded as for any
// list of relations. A page not held yet, or an argument that does not read, goes back to the
// executor, whose resolver asks the store (or reports the argument) as it would have.
func (w *directWriter) relationList(f *graphql.CollectedField, id string, dir model.Direction) {
	if w.ld == nil {
		w.bad = true
		return
	}
	k, ok := w.relationListKey(f, dir)
	if !ok {
		w.bad = true
		return
	}
	page, ok := w.ld.HeldRelationsPage(id, k)
	if !ok {
		w.bad = true
		return
	}
	w.list(len(page.Items), func(i int) { w.relation(f.Selections, page.Items[i]) })
}

// relationListKey is the key of relationListQuery of the field, read once per writer: the
// arguments are the same for every entity the field is written for and in every round (a
// brand's models and their assemblers), and reading them is a map and a value per argument.
func (w *directWriter) relationListKey(f *graphql.CollectedField, dir model.Direction) (model.RelationsOfKey, bool) {
	for _, a := range w.argQueries {
		if a.f == f {
			return a.key, a.ok
		}
	}
	if !w.varsRead {
		if w.oc.Operation != nil {
			w.vars, w.varsOK = VariablesKey(w.oc.Operation, w.oc.Variables, maxPlanVars)
		}
		w.varsRead = true
	}
	a := argQuery{f: f}
	a.key, a.ok = w.shared.listKey(w.oc, *f, dir, w.vars, w.varsOK)
	w.argQueries = append(w.argQueries, a)
	return a.key, a.ok
}

// argQuery is the key of the query a relation list field's arguments read to (ok false:
// they do not).
type argQuery struct {
	f   *graphql.CollectedField
	key model.RelationsOfKey
	ok  bool
}

// typenameOf is the GraphQL object type of an entity, "" for none or a nil one.
func typenameOf(e model.Entity) string {
	switch v := e.(type) {
	case *model.Organization:
		if v != nil {
			return "Organization"
		}
	case *model.Brand:
		if v != nil {
			return "Brand"
		}
	case *model.VehicleModel:
		if v != nil {
			return "VehicleModel"
		}
	case *model.Plant:
		if v != nil {
			return "Plant"
		}
	case *model.Place:
		if v != nil {
			return "Place"
		}
	case *model.Agreement:
		if v != nil {
			return "Agreement"
		}
	}
	return ""
}

// kindField writes a field of one kind of entity: its own scalars and its country; anything
// that follows relations (a parent, brands, parties, relations) is the executor's.
func (w *directWriter) kindField(f *graphql.CollectedField, e model.Entity) {
	switch v := e.(type) {
	case *model.Organization:
		switch f.Name {
		case "type":
			w.quote(string(v.Type))
		case "ownership":
			if v.Ownership == nil {
				w.null()
			} else {
				w.quote(string(*v.Ownership))
			}
		case "founded":
			w.optDate(v.Founded)
		case "country":
			w.place(f.Selections, v.CountryID)
		default:
			w.bad = true
		}
	case *model.Brand:
		switch f.Name {
		case "segment":
			if v.Segment == nil {
				w.null()
			} else {
				w.quote(string(*v.Segment))
			}
		case "founded":
			w.optDate(v.Founded)
		case "country":
			w.place(f.Selections, v.CountryID)
		default:
			w.bad = true
		}
	case *model.VehicleModel:
		if f.Name != "powertrain" {
			w.bad = true
		} else if v.Powertrain == nil {
			w.null()
		} else {
			w.quote(string(*v.Powertrain))
		}
	case *model.Plant:
		if f.Name != "opened" {
			w.bad = true
		} else {
			w.optDate(v.Opened)
		}
	case *model.Place:
		switch f.Name {
		case "type":
			// Place.type shows an unknown level (the empty string) as null.
			if v.Type == "" {
				w.null()
			} else {
				w.quote(string(v.Type))
			}
		case "countryCode":
			w.optStr(v.CountryCodeOrNull())
		default:
			w.bad = true
		}
	case *model.Agreement:
		switch f.Name {
		case "signedOn":
			w.optDate(v.SignedOn)
		case "announcedOn":
			w.optDate(v.AnnouncedOn)
		case "provisions":
			w.list(len(v.Provisions), func(j int) { w.provision(f.Selections, &v.Provisions[j]) })
		default:
			w.bad = true
		}
	default:
		w.bad = true
	}
}

func (w *directWriter) provision(sel ast.SelectionSet, p *model.Provision) {
	fs := w.collect(sel, provisionImplementors)
	for i := range fs {
		f := &fs[i]
		w.key(i, f)
		switch f.Name {
		case "__typename":
			w.str("Provision")
		case "summary":
			w.str(p.Summary)
		case "due":
			w.optDate(p.Due)
		default:
			w.bad = true
		}
		if w.bad {
			return
		}
	}
	w.end(len(fs))
}

// place writes an organization's or a brand's country: null when there is none, or when the
// id is not a place in the graph (as their country fields resolve it).
func (w *directWriter) place(sel ast.SelectionSet, id string) {
	w.ref(sel, id, func(e model.Entity) bool { p, ok := e.(*model.Place); return ok && p != nil })
}

// ref writes the entity id names when it is of the kind is asks for, null otherwise.
func (w *directWriter) ref(sel ast.SelectionSet, id string, is func(model.Entity) bool) {
	if id == "" {
		w.null()
		return
	}
	e, ok := w.ents[id]
	if !ok {
		w.needEnts = missing(w.needEnts, id)
		w.null()
		return
	}
	if e != nil && is(e) {
		w.entity(sel, e)
		return
	}
	w.null()
}

func (w *directWriter) null() { w.buf = append(w.buf, "null"...) }

func (w *directWriter) bool(b bool) { w.buf = strconv.AppendBool(w.buf, b) }

func (w *directWriter) int(n int) { w.buf = strconv.AppendInt(w.buf, int64(n), 10) }

// float writes a Float! as graphql.MarshalFloatContext does (fmt's %g, the shortest form);
// infinities and NaN, which it refuses with an error, are handed back.
func (w *directWriter) float(f float64) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		w.bad = true
		return
	}
	w.buf = strconv.AppendFloat(w.buf, f, 'g', -1, 64)
}

// quote writes an enum value or a date as their MarshalGQL methods do (strconv.Quote),
// directly when it is all capitals, digits and underscores, as every enum value is.
func (w *directWriter) quote(s string) {
	if w.missing() {
		return // this round is written again (see str)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' {
			w.buf = strconv.AppendQuote(w.buf, s)
			return
		}
	}
	w.buf = append(w.buf, '"')
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, '"')
}

func (w *directWriter) optDate(d *model.Date) {
	if d == nil {
		w.null()
		return
	}
	w.date(*d)
}

// date writes a date as its MarshalGQL does (strconv.Quote of its String, which holds only
// digits and dashes, so the quotes are all that quoting adds).
func (w *directWriter) date(d model.Date) {
	if w.missing() {
		return // this round is written again (see str)
	}
	w.buf = append(w.buf, '"')
	w.buf, _ = d.AppendText(w.buf)
	w.buf = append(w.buf, '"')
}

// time writes a Time! as graphql.MarshalTime does; the zero time would be a null, which the
// executor reports, so it is handed back.
func (w *directWriter) time(t time.Time) {
	if t.IsZero() {
		w.bad = true
		return
	}
	if w.missing() {
		return // this round is written again (see str)
	}
	w.buf = append(w.buf, '"')
	w.buf = t.AppendFormat(w.buf, time.RFC3339Nano)
	w.buf = append(w.buf, '"')
}

func (w *directWriter) optStr(s *string) {
	if s == nil {
		w.null()
		return
	}
	w.str(*s)
}

// str writes a String or ID as graphql.MarshalString does: quoted, with control characters,
// backslashes and double quotes escaped and every other byte as it is. Once the round has
// found something to load, nothing it writes is used (the round is written again when that
// is loaded), so the strings, dates and enum values of the rest of it are left out: on an
// explorer page the first round's strings were a twentieth of the request's CPU.
func (w *directWriter) str(s string) {
	if w.missing() {
		return
	}
	w.buf = appendGQLString(w.buf, s)
}

const hexDigits = "0123456789ABCDEF"

func appendGQLString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '\\' && c != '"' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '\t':
			b = append(b, '\\', 't')
		case '\r':
			b = append(b, '\\', 'r')
		case '\n':
			b = append(b, '\\', 'n')
		case '\\', '"':
			b = append(b, '\\', c)
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
