package history

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/autograph-kg/autograph/graph/dataset"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
)

// Store is what reading the past needs of a store: its reads and its history.
type Store interface {
	model.Reader
	model.History
}

// Pasts reads the graph as it stood at past moments (knownAt), over one store. A lookup by id
// is answered from the revisions directly (ItemsAt); every other read (listings, search,
// exploring, timelines) from a picture of the whole graph at that revision: the graph as it
// is now, with every item changed since put back as it was (PriorStates). A picture is built
// on the first read of its revision, which costs about an export of the graph, and the most
// recent ones are kept (a past revision never changes), so following reads of that moment
// cost what reads of the embedded store cost.
//
// A Pasts is safe for concurrent use.
type Pasts struct {
	store Store
	keep  int

	mu    sync.Mutex
	snaps []*snapshot // most recently used last
}

type snapshot struct {
	n     int64
	ready chan struct{}
	r     model.Reader
	err   error
}

// DefaultKeep is how many pictures of the past a Pasts keeps.
const DefaultKeep = 2

// NewPasts reads the past of s, keeping up to keep pictures (DefaultKeep when keep <= 0).
func NewPasts(s Store, keep int) *Pasts {
	if keep <= 0 {
		keep = DefaultKeep
	}
	return &Pasts{store: s, keep: keep}
}

// RevisionAt is the number of the newest revision recorded at or before t, and whether t
// is past at all: false when t is at or after the newest revision, so that the graph as it
// is now answers. A t before the oldest moment history still reaches is BAD_USER_INPUT.
func (p *Pasts) RevisionAt(ctx context.Context, t time.Time) (int64, bool, error) {
	b, err := p.store.HistoryBounds(ctx)
	if err != nil {
		return 0, false, err
	}
	if b.Last == 0 || !t.Before(b.LastAt) {
		return b.Last, false, nil
	}
	if b.Floor > 0 && t.Before(b.FloorAt) {
		return 0, false, model.Errorf(model.CodeBadUserInput, "knownAt %s is before %s, the oldest moment the server's history still reaches (older revisions were pruned)", t.UTC().Format(time.RFC3339Nano), b.FloorAt.UTC().Format(time.RFC3339Nano))
	}
	n, err := p.store.RevisionAt(ctx, t)
	if err != nil {
		return 0, false, err
	}
	return n, true, nil
}

// At is a reader of the graph as it stood right after revision n.
func (p *Pasts) At(n int64) model.Reader { return &pastReader{p: p, n: n} }

// picture is the whole graph at revision n, built once.
func (p *Pasts) picture(ctx context.Context, n int64) (model.Reader, error) {
	p.mu.Lock()
	for i, s := range p.snaps {
		if s.n == n {
			p.snaps = append(slices.Delete(p.snaps, i, i+1), s)
			p.mu.Unlock()
			select {
			case <-s.ready:
				return s.r, s.err
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	}
	s := &snapshot{n: n, ready: make(chan struct{})}
	p.snaps = append(p.snaps, s)
	if len(p.snaps) > p.keep {
		p.snaps = slices.Delete(p.snaps, 0, len(p.snaps)-p.keep)
	}
	p.mu.Unlock()
	// The picture is built for every reader of n, so no one request's deadline ends it; it
	// keeps the context's values (the request's store-call counter).
	go func() {
		defer close(s.ready)
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Minute)
		defer cancel()
		s.r, s.err = p.build(bctx, n)
		if s.err != nil {
			p.forget(s)
		}
	}()
	select {
	case <-s.ready:
		return s.r, s.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// forget drops a picture that failed, so that the next read tries again.
func (p *Pasts) forget(s *snapshot) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if i := slices.Index(p.snaps, s); i >= 0 {
		p.snaps = slices.Delete(p.snaps, i, i+1)
	}
}

// build reads the graph as it is now, then puts back every item changed after n as it was.
// Reading the changes after the graph makes the picture right even when writes land while
// the graph is read: whatever changed after n, whenever, is put back.
func (p *Pasts) build(ctx context.Context, n int64) (model.Reader, error) {
	d, _, err := dataset.Collect(ctx, p.store, dataset.Selection{})
	if err != nil {
		return nil, fmt.Errorf("reading the graph to rebuild revision %d: %w", n, err)
	}
	prior, err := p.store.PriorStates(ctx, n, nil)
	if err != nil {
		return nil, err
	}
	out := &model.Dataset{}
	for _, s := range d.Sources {
		if _, changed := prior[s.ID]; !changed {
			out.Sources = append(out.Sources, s)
		}
	}
	for _, e := range d.Entities() {
		if _, changed := prior[e.GetID()]; !changed {
			out.Add(e)
		}
	}
	for _, r := range d.Relations {
		if _, changed := prior[r.ID]; !changed {
			out.Relations = append(out.Relations, r)
		}
	}
	for _, it := range prior {
		switch {
		case it.Entity != nil:
			out.Add(it.Entity)
		case it.Source != nil:
			out.Sources = append(out.Sources, it.Source)
		case it.Relation != nil:
			out.Relations = append(out.Relations, it.Relation)
		}
	}
	return inmem.Restore(ctx, out)
}

// pastReader is model.Reader at revision n: lookups by id from the revisions, the rest from
// the picture.
type pastReader struct {
	p *Pasts
	n int64
}

var _ model.Reader = (*pastReader)(nil)

func (r *pastReader) items(ctx context.Context, ids []string) (map[string]model.Item, error) {
	return ItemsAt(ctx, r.p.store, r.p.store, r.n, ids)
}

func (r *pastReader) pic(ctx context.Context) (model.Reader, error) { return r.p.picture(ctx, r.n) }

func (r *pastReader) EntitiesByID(ctx context.Context, ids []string) (map[string]model.Entity, error) {
	its, err := r.items(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]model.Entity, len(its))
	for id, it := range its {
		if it.Entity != nil {
			out[id] = it.Entity
		}
	}
	return out, nil
}

func (r *pastReader) SourcesByID(ctx context.Context, ids []string) (map[string]*model.Source, error) {
	its, err := r.items(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*model.Source, len(its))
	for id, it := range its {
		if it.Source != nil {
			out[id] = it.Source
		}
	}
	return out, nil
}

func (r *pastReader) Entity(ctx context.Context, id string) (model.Entity, error) {
	m, err := r.EntitiesByID(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if e, ok := m[id]; ok {
		return e, nil
	}
	return nil, model.NotFound("entity", id)
}

func (r *pastReader) Source(ctx context.Context, id string) (*model.Source, error) {
	m, err := r.SourcesByID(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if s, ok := m[id]; ok {
		return s, nil
	}
	return nil, model.NotFound("source", id)
}

func (r *pastReader) Relation(ctx context.Context, id string) (*model.Relation, error) {
	its, err := r.items(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if it := its[id]; it.Relation != nil {
		return it.Relation, nil
	}
	return nil, model.NotFound("relation", id)
}

func (r *pastReader) RelationsOf(ctx context.Context, ids []string, q model.RelationsOfQuery) (map[string]*model.RelationPage, error) {
	s, err := r.pic(ctx)
	if err != nil {
		return nil, err
	}
	return s.RelationsOf(ctx, ids, q)
}

func (r *pastReader) Entities(ctx context.Context, q model.EntityQuery) (*model.EntityPage, error) {
	s, err := r.pic(ctx)
	if err != nil {
		return nil, err
	}
	return s.Entities(ctx, q)
}

func (r *pastReader) Sources(ctx context.Context, q model.SourceQuery) (*model.SourcePage, error) {
	s, err := r.pic(ctx)
	if err != nil {
		return nil, err
	}
	return s.Sources(ctx, q)
}

func (r *pastReader) Relations(ctx context.Context, q model.RelationQuery) (*model.RelationPage, error) {
	s, err := r.pic(ctx)
	if err != nil {
		return nil, err
	}
	return s.Relations(ctx, q)
}

func (r *pastReader) Search(ctx context.Context, q model.SearchQuery) ([]model.SearchHit, error) {
	s, err := r.pic(ctx)
	if err != nil {
		return nil, err
	}
	return s.Search(ctx, q)
}

func (r *pastReader) Neighborhood(ctx context.Context, q model.NeighborhoodQuery) (*model.Subgraph, error) {
	s, err := r.pic(ctx)
	if err != nil {
		return nil, err
	}
	return s.Neighborhood(ctx, q)
}

func (r *pastReader) Paths(ctx context.Context, q model.PathQuery) ([]*model.Path, error) {
	s, err := r.pic(ctx)
	if err != nil {
		return nil, err
	}
	return s.Paths(ctx, q)
}
