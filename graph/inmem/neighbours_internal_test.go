package inmem

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
)

// endpointNeighborhood is Neighborhood as it was before the neighbour index: every layer walks
// each frontier node's endpoint lists whole, and the second pass walks the skipped node's
// outgoing list for its self-loops. It answers with ids, from the store's current lists; the
// caller holds no lock (tests only).
func endpointNeighborhood(s *Store, q model.NeighborhoodQuery) (nodes, rels []string, truncated bool, err error) {
	q, err = q.Normalize()
	if err != nil {
		return nil, nil, false, err
	}
	if _, ok := s.entities[q.ID]; !ok {
		return nil, nil, false, model.NotFound("entity", q.ID)
	}
	f := compileRelFilter(model.RelationFilter{Types: q.Types, AsOf: q.AsOf})
	kept := map[string]bool{q.ID: true}
	order := []string{q.ID}
	frontier := []string{q.ID}
	for d := 1; d <= q.Depth && len(frontier) > 0 && !truncated; d++ {
		layer := smallestIDs{k: q.Limit - len(order)}
		for _, u := range frontier {
			s.adjacent(u, func(r *model.Relation) {
				if v := r.Other(u); !layer.beyond(v) && !kept[v] && f.match(r) {
					layer.offer(v)
				}
			})
		}
		next := layer.sorted()
		truncated = layer.cut
		for _, v := range next {
			kept[v] = true
		}
		order = append(order, next...)
		frontier = next
	}
	var found []*model.Relation
	skip := ""
	if len(order) > 1 {
		most := -1
		for _, u := range order {
			if n := len(s.byFrom[u]) + len(s.byTo[u]); n > most {
				skip, most = u, n
			}
		}
		for _, r := range s.byFrom[skip] {
			if r.FromID == r.ToID && f.match(r) {
				found = append(found, r)
			}
		}
	}
	for _, u := range order {
		if u == skip {
			continue
		}
		s.adjacent(u, func(r *model.Relation) {
			if kept[r.Other(u)] && f.match(r) {
				found = append(found, r)
			}
		})
	}
	slices.SortFunc(found, byRelationID)
	found = slices.Compact(found)
	if len(found) > model.MaxSubgraphRelations {
		found, truncated = found[:model.MaxSubgraphRelations], true
	}
	for _, r := range found {
		rels = append(rels, r.ID)
	}
	return order, rels, truncated, nil
}

// nbGraph is a random graph for the neighbour index's tests: organizations and places, a few
// hubs joined to most of them in both directions (so well over neighbourMin relations), other
// relations at random, parallel relations, three types, dates on some.
type nbGraph struct {
	rng    *rand.Rand
	orgs   []string
	places []string
	hubs   []string // organizations
	n      int      // relations made, for fresh ids
}

var nbTypes = []model.RelationType{model.RelPartnersWith, model.RelJointVentureOf, model.RelLocatedIn}

// relation is a random relation between from and to (an organization, and an organization or
// a place), typed to fit them.
func (g *nbGraph) relation(from, to string, place bool) *model.Relation {
	g.n++
	typ := model.RelLocatedIn
	if !place {
		typ = nbTypes[g.rng.IntN(2)]
	}
	// Ids are not in the order of the relations' ends, and some sort before all others.
	r := &model.Relation{ID: fmt.Sprintf("r%05d-%d", g.rng.IntN(100_000), g.n), Type: typ, FromID: from, ToID: to, Status: model.StatusActive, SourceIDs: []string{"src"}}
	if g.rng.IntN(3) == 0 {
		d := model.Date{Year: 2000 + g.rng.IntN(25)}
		r.ValidFrom = &d
	}
	if g.rng.IntN(4) == 0 {
		d := model.Date{Year: 2005 + g.rng.IntN(25)}
		r.ValidTo = &d
		if r.ValidFrom != nil && r.ValidFrom.Year > d.Year {
			r.ValidFrom = nil
		}
	}
	return r
}

// pair is a random pair of ends for a relation touching hub (when not ""): an organization
// first, and whether the second end is a place.
func (g *nbGraph) pair(hub string) (from, to string, place bool) {
	other := func() (string, bool) {
		if g.rng.IntN(5) == 0 {
			return g.places[g.rng.IntN(len(g.places))], true
		}
		for {
			if o := g.orgs[g.rng.IntN(len(g.orgs))]; o != hub {
				return o, false
			}
		}
	}
	if hub == "" {
		hub = g.orgs[g.rng.IntN(len(g.orgs))]
	}
	o, place := other()
	if place || g.rng.IntN(2) == 0 {
		return hub, o, place
	}
	return o, hub, false
}

func newNBGraph(seed uint64) (*nbGraph, *model.Dataset) {
	g := &nbGraph{rng: rand.New(rand.NewPCG(seed, 17))}
	d := &model.Dataset{Sources: []*model.Source{{ID: "src", Title: "Synthetic", PublishedOn: model.MustDate("2024")}}}
	// Ids of varied length and prefix, so that a hub's ends interleave with its id order.
	for i := range 300 {
		id := fmt.Sprintf("o%d", (i*7919)%1000)
		g.orgs = append(g.orgs, id)
		d.Organizations = append(d.Organizations, &model.Organization{EntityBase: model.EntityBase{ID: id, Name: id}, Type: model.OrgOther})
	}
	for i := range 20 {
		id := fmt.Sprintf("p%02d", i)
		g.places = append(g.places, id)
		d.Places = append(d.Places, &model.Place{EntityBase: model.EntityBase{ID: id, Name: id}, Type: model.PlaceCity})
	}
	g.hubs = []string{g.orgs[0], g.orgs[5], g.orgs[150], g.orgs[299]}
	seen := map[string]bool{}
	add := func(r *model.Relation) {
		if !seen[r.ID] {
			seen[r.ID] = true
			d.Relations = append(d.Relations, r)
		}
	}
	for _, h := range g.hubs {
		for range 150 + g.rng.IntN(150) {
			from, to, place := g.pair(h)
			r := g.relation(from, to, place)
			add(r)
			if g.rng.IntN(10) == 0 { // a parallel relation
				add(g.relation(from, to, place))
			}
		}
	}
	for range 700 {
		from, to, place := g.pair("")
		add(g.relation(from, to, place))
	}
	return g, d
}

// checkNeighborhoods asks s for the neighbourhood q, through the neighbour index at the
// default threshold and at a threshold that puts almost every entity on it, and holds the
// answers to endpointNeighborhood's.
func checkNeighborhoods(t *testing.T, s *Store, qs []model.NeighborhoodQuery) {
	t.Helper()
	ctx := t.Context()
	for _, q := range qs {
		wn, wr, wt, werr := endpointNeighborhood(s, q)
		for _, min := range []int{0, 3} {
			s.nbrs.min = min
			g, err := s.Neighborhood(ctx, q)
			if werr != nil || err != nil {
				if (werr == nil) != (err == nil) {
					t.Fatalf("Neighborhood(%+v), threshold %d: error %v, want %v", q, min, err, werr)
				}
				continue
			}
			var nodes, rels []string
			for _, e := range g.Nodes {
				nodes = append(nodes, e.GetID())
			}
			for _, r := range g.Relations {
				rels = append(rels, r.ID)
				if !reflect.DeepEqual(r, s.relations[r.ID]) {
					t.Fatalf("Neighborhood(%+v), threshold %d: relation %+v, stored %+v", q, min, r, s.relations[r.ID])
				}
			}
			if !slices.Equal(nodes, wn) || !slices.Equal(rels, wr) || g.Truncated != wt {
				t.Fatalf("Neighborhood(%+v), threshold %d:\n got %d nodes, %d relations, truncated %v\nwant %d nodes, %d relations, truncated %v\nnodes differ from %s, relations from %s",
					q, min, len(nodes), len(rels), g.Truncated, len(wn), len(wr), wt, firstDiff(nodes, wn), firstDiff(rels, wr))
			}
		}
	}
	s.nbrs.min = 0
}

// firstDiff describes where got and want part: "#i: x, want y", or "nowhere".
func firstDiff(got, want []string) string {
	for i := range max(len(got), len(want)) {
		g, w := "(none)", "(none)"
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			return fmt.Sprintf("#%d: %s, want %s", i, g, w)
		}
	}
	return "nowhere"
}

var (
	nbLimits = []int{1, 2, 3, 5, 17, 50, 100, 149, 150, 151, 199, 200, 201, 320, 500, model.MaxNeighborhoodLimit}
	nbAsOf   = []*model.Date{nil, {Year: 2004}, {Year: 2012}, {Year: 2020, Month: 6}}
	nbTypeS  = [][]model.RelationType{nil, {model.RelPartnersWith}, {model.RelJointVentureOf, model.RelLocatedIn}, {model.RelLocatedIn}}
)

// randomQuery is a neighbourhood query about one of ids.
func randomQuery(rng *rand.Rand, ids []string) model.NeighborhoodQuery {
	return model.NeighborhoodQuery{
		ID:    ids[rng.IntN(len(ids))],
		Depth: rng.IntN(model.MaxNeighborhoodDepth + 1),
		Limit: nbLimits[rng.IntN(len(nbLimits))],
		Types: nbTypeS[rng.IntN(len(nbTypeS))],
		AsOf:  nbAsOf[rng.IntN(len(nbAsOf))],
	}
}

// TestNeighborhoodIndexMatchesEndpointWalk holds Neighborhood, which walks hubs through the
// neighbour index, to the walk of the endpoint lists it replaces: on random graphs with hubs,
// self-loops (which the rules refuse, but a file may hold), parallel relations, types and
// dates, for every depth, limits that cut a layer or not, each filter; and again after each of
// a series of writes through the Store's methods that add, change and remove relations of the
// hubs, delete their neighbours, and import a batch large enough to rebuild the indexes, with
// the hubs' lists built before each write, so that a list a write should have dropped shows.
func TestNeighborhoodIndexMatchesEndpointWalk(t *testing.T) {
	ctx := t.Context()
	for seed := range uint64(2) {
		g, d := newNBGraph(seed)
		s := New()
		if err := s.Import(ctx, d); err != nil {
			t.Fatal(err)
		}
		// Self-loops on two hubs and an ordinary organization, below the rules.
		var loops []*model.Relation
		for i, id := range []string{g.hubs[0], g.hubs[2], g.orgs[10]} {
			for j := range 2 {
				loops = append(loops, &model.Relation{ID: fmt.Sprintf("loop-%d-%d", i, j), Type: nbTypes[j], FromID: id, ToID: id, Status: model.StatusActive, SourceIDs: []string{"src"}})
			}
		}
		s.apply(&change{relations: loops})

		ids := append(slices.Clone(g.hubs), g.orgs[10], g.orgs[11], g.orgs[200], g.places[0], g.places[7], "missing")
		// Every combination for the hubs, once.
		var qs []model.NeighborhoodQuery
		for _, id := range g.hubs[seed%2 : seed%2+1] {
			for depth := 1; depth <= model.MaxNeighborhoodDepth; depth++ {
				for _, limit := range nbLimits {
					for _, types := range nbTypeS {
						for _, asOf := range nbAsOf {
							qs = append(qs, model.NeighborhoodQuery{ID: id, Depth: depth, Limit: limit, Types: types, AsOf: asOf})
						}
					}
				}
			}
		}
		checkNeighborhoods(t, s, qs)
		if len(s.nbrs.m) == 0 {
			t.Fatal("no neighbour index was built")
		}

		// touched reports an entity whose list a write should have dropped and did not.
		touched := func(what string, ids ...string) {
			t.Helper()
			for _, id := range ids {
				if _, ok := s.nbrs.m[id]; ok {
					t.Fatalf("%s: %s keeps its neighbour index", what, id)
				}
			}
		}
		warm := func() {
			for _, h := range g.hubs {
				s.nbrs.min = 3
				if _, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: h, Depth: 2, Limit: 50}); err != nil && !model.IsNotFound(err) {
					t.Fatal(err)
				}
			}
			s.nbrs.min = 0
		}
		hubRelation := func(h string) *model.Relation {
			rows := s.endsOf(h, model.DirectionBoth).merged()
			for {
				if r := rows[g.rng.IntN(len(rows))]; r.FromID != r.ToID {
					return r
				}
			}
		}
		for round := range 28 {
			warm()
			h := g.hubs[g.rng.IntN(len(g.hubs))]
			switch op := round % 7; op {
			case 0, 1: // a new relation of the hub, sometimes parallel to one it has
				from, to, place := g.pair(h)
				if op == 1 {
					r := hubRelation(h)
					from, to, place = r.FromID, r.ToID, r.Type == model.RelLocatedIn
				}
				r := g.relation(from, to, place)
				if _, err := s.AddRelation(ctx, r); err != nil {
					t.Fatal(err)
				}
				touched("AddRelation", from, to)
			case 2: // a relation of the hub changes type or dates, keeping its ends
				r := hubRelation(h).Clone()
				if r.Type != model.RelLocatedIn {
					r.Type = nbTypes[1-slices.Index(nbTypes, r.Type)]
				}
				d := model.Date{Year: 2000 + g.rng.IntN(25)}
				r.ValidFrom, r.ValidTo = &d, nil
				if _, err := s.UpdateRelation(ctx, r); err != nil {
					t.Fatal(err)
				}
				touched("UpdateRelation", r.FromID, r.ToID)
			case 3: // a relation of the hub moves to other ends
				r := hubRelation(h).Clone()
				oldFrom, oldTo := r.FromID, r.ToID
				from, to, place := g.pair("")
				r.FromID, r.ToID, r.Type = from, to, g.relation(from, to, place).Type
				if _, err := s.UpdateRelation(ctx, r); err != nil {
					t.Fatal(err)
				}
				touched("UpdateRelation (moved)", oldFrom, oldTo, r.FromID, r.ToID)
			case 4: // a relation of the hub goes
				r := hubRelation(h)
				if err := s.RemoveRelation(ctx, r.ID); err != nil {
					t.Fatal(err)
				}
				touched("RemoveRelation", r.FromID, r.ToID)
			case 5: // a neighbour of the hub goes, with its relations
				r := hubRelation(h)
				v := r.Other(h)
				if slices.Contains(g.hubs, v) {
					continue
				}
				if _, err := s.DeleteEntity(ctx, v); err != nil {
					t.Fatal(err)
				}
				touched("DeleteEntity", h, v)
				g.orgs = slices.DeleteFunc(g.orgs, func(id string) bool { return id == v })
				g.places = slices.DeleteFunc(g.places, func(id string) bool { return id == v })
			case 6: // a batch past patchLimit, which rebuilds the endpoint index
				// A dataset holds the entities its relations join: the same ones again.
				batch := &model.Dataset{Sources: d.Sources}
				in := map[string]bool{}
				for range patchLimit + 10 {
					from, to, place := g.pair(h)
					batch.Relations = append(batch.Relations, g.relation(from, to, place))
					for _, id := range []string{from, to} {
						switch {
						case in[id]:
						case slices.Contains(g.places, id):
							batch.Places = append(batch.Places, &model.Place{EntityBase: model.EntityBase{ID: id, Name: id}, Type: model.PlaceCity})
						default:
							batch.Organizations = append(batch.Organizations, &model.Organization{EntityBase: model.EntityBase{ID: id, Name: id}, Type: model.OrgOther})
						}
						in[id] = true
					}
				}
				if err := s.Import(ctx, batch); err != nil {
					t.Fatal(err)
				}
				if len(s.nbrs.m) != 0 {
					t.Fatalf("Import of %d relations keeps %d neighbour indexes", len(batch.Relations), len(s.nbrs.m))
				}
			}
			qs := qs[:0]
			for range 60 {
				qs = append(qs, randomQuery(g.rng, ids))
			}
			checkNeighborhoods(t, s, qs)
		}
	}
}

// TestNeighbourIndexOrder checks a hub's list: every relation of the hub once (a self-loop
// too), each with its other end, ordered by other end and then relation id.
func TestNeighbourIndexOrder(t *testing.T) {
	g, d := newNBGraph(7)
	s := New()
	if err := s.Import(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	h := g.hubs[1]
	s.apply(&change{relations: []*model.Relation{{ID: "a-loop", Type: model.RelPartnersWith, FromID: h, ToID: h, Status: model.StatusActive, SourceIDs: []string{"src"}}}})
	list := s.neighbours(h)
	rows := s.endsOf(h, model.DirectionBoth).merged()
	if len(list) != len(rows) || len(rows) < neighbourMin {
		t.Fatalf("%s: %d entries for %d relations (threshold %d)", h, len(list), len(rows), neighbourMin)
	}
	if !slices.IsSortedFunc(list, byNeighbour) {
		t.Fatalf("%s: entries out of order", h)
	}
	for _, r := range rows {
		found := withOther(list, r.Other(h))
		if !slices.ContainsFunc(found, func(n neighbour) bool { return n.rel == r }) {
			t.Fatalf("%s: relation %s to %s not among the %d entries for it", h, r.ID, r.Other(h), len(found))
		}
	}
	if got := s.neighbours(h); &got[0] != &list[0] {
		t.Fatal("a second call built the list again")
	}
	if s.neighbours(g.orgs[200]) != nil {
		t.Fatalf("%s, with %d relations, has a neighbour index", g.orgs[200], len(s.byFrom[g.orgs[200]])+len(s.byTo[g.orgs[200]]))
	}
}

// TestNeighbourIndexConcurrent runs neighbourhoods of the hubs on several goroutines while
// relations of the hubs are added and removed, for the race detector: the lists are built
// under the read lock by whichever reader comes first, and dropped under the write lock.
func TestNeighbourIndexConcurrent(t *testing.T) {
	ctx := t.Context()
	g, d := newNBGraph(3)
	s := New()
	if err := s.Import(ctx, d); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(i), 3))
			for {
				select {
				case <-done:
					return
				default:
				}
				q := randomQuery(rng, g.hubs)
				if _, err := s.Neighborhood(ctx, q); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for range 30 {
		from, to, place := g.pair(g.hubs[g.rng.IntN(len(g.hubs))])
		r, err := s.AddRelation(ctx, g.relation(from, to, place))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveRelation(context.Background(), r.ID); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	wg.Wait()
	var qs []model.NeighborhoodQuery
	for range 100 {
		qs = append(qs, randomQuery(g.rng, g.hubs))
	}
	checkNeighborhoods(t, s, qs)
}

// withOther returns the entries of list whose other end is id, by binary search.
func withOther(list []neighbour, id string) []neighbour {
	i, _ := slices.BinarySearchFunc(list, id, func(n neighbour, id string) int { return strings.Compare(n.other, id) })
	j := i
	for j < len(list) && list[j].other == id {
		j++
	}
	return list[i:j]
}
