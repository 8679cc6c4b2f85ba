package history_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/history"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/neo4jstore"
	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"
	"github.com/autograph-kg/autograph/graph/storetest"
)

// historyStore is a store that keeps history.
type historyStore interface {
	model.Store
	model.History
}

// eachStore runs f over a fresh store of every backend: the embedded store without and with
// a file, and Neo4j.
func eachStore(t *testing.T, f func(t *testing.T, s historyStore)) {
	t.Run("memory", func(t *testing.T) { f(t, inmem.New()) })
	t.Run("file", func(t *testing.T) {
		s, _, err := inmem.Open(t.Context(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close(context.Background()) })
		f(t, s)
	})
	t.Run("neo4j", func(t *testing.T) {
		srv := neo4jtest.Use(t)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		s, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: srv.URI, Username: srv.Username, Password: srv.Password, Database: srv.Database})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close(context.Background()) })
		var st any = s
		hs, ok := st.(historyStore)
		if !ok {
			t.Fatal("the Neo4j store keeps no history")
		}
		f(t, hs)
	})
}

const pause = 5 * time.Millisecond

// moments makes the curator story on top of the fixture and returns a moment inside each
// state: [0] after the import, [1] after avtotor was renamed, [2] after kia was deleted and
// a relation added, [3] after the relation was corrected.
func moments(t *testing.T, s historyStore) []time.Time {
	ctx := t.Context()
	if err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	var at []time.Time
	mark := func() {
		time.Sleep(pause)
		at = append(at, time.Now())
		time.Sleep(pause)
	}
	mark()
	e, err := s.Entity(ctx, "avtotor")
	if err != nil {
		t.Fatal(err)
	}
	e.Common().Name = "Avtotor Holding"
	if _, err := s.UpsertEntity(ctx, e); err != nil {
		t.Fatal(err)
	}
	mark()
	if _, err := s.DeleteEntity(ctx, "kia"); err != nil {
		t.Fatal(err)
	}
	r := &model.Relation{ID: "r-avtotor-partners-chery", Type: model.RelPartnersWith, FromID: "avtotor", ToID: "chery", Status: model.StatusPlanned, SourceIDs: []string{"kommersant-2022"}}
	if _, err := s.AddRelation(ctx, r); err != nil {
		t.Fatal(err)
	}
	mark()
	r.Status = model.StatusActive
	if _, err := s.UpdateRelation(ctx, r); err != nil {
		t.Fatal(err)
	}
	mark()
	return at
}

func TestPastReads(t *testing.T) {
	eachStore(t, func(t *testing.T, s historyStore) {
		ctx := t.Context()
		at := moments(t, s)
		p := history.NewPasts(s, 0)
		past := func(i int) model.Reader {
			t.Helper()
			n, isPast, err := p.RevisionAt(ctx, at[i])
			if err != nil {
				t.Fatal(err)
			}
			if i == len(at)-1 {
				if isPast {
					t.Errorf("RevisionAt(after the newest) is past (revision %d)", n)
				}
				return s
			}
			if !isPast {
				t.Fatalf("RevisionAt(moment %d) is not past", i)
			}
			return p.At(n)
		}
		name := func(r model.Reader) string {
			e, err := r.Entity(ctx, "avtotor")
			if err != nil {
				t.Fatal(err)
			}
			return e.Common().Name
		}
		for i, want := range []string{"Avtotor", "Avtotor Holding", "Avtotor Holding", "Avtotor Holding"} {
			if got := name(past(i)); got != want {
				t.Errorf("moment %d: avtotor is named %q, want %q", i, got, want)
			}
		}
		// kia is there before its deletion, with its relations, and gone after.
		for i, want := range []bool{true, true, false} {
			_, err := past(i).Entity(ctx, "kia")
			if got := err == nil; got != want {
				t.Errorf("moment %d: kia found = %v (%v), want %v", i, got, err, want)
			}
			g, err := past(i).Neighborhood(ctx, model.NeighborhoodQuery{ID: "avtotor", Depth: 1, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, n := range g.Nodes {
				ids = append(ids, n.GetID())
			}
			if got := slices.Contains(ids, "kia"); got != want {
				t.Errorf("moment %d: kia in avtotor's neighbourhood = %v, want %v", i, got, want)
			}
			if got := slices.Contains(ids, "chery"); got == want {
				t.Errorf("moment %d: chery in avtotor's neighbourhood = %v, want %v", i, got, !want)
			}
		}
		// Search and listings see the names of their moment.
		hits, err := past(0).Search(ctx, model.SearchQuery{Text: "avtotor holding", First: 5})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hits {
			if h.Entity.GetID() == "avtotor" {
				t.Errorf("moment 0: searching the later name finds avtotor")
			}
		}
		brands := func(r model.Reader) int {
			page, err := r.Entities(ctx, model.EntityQuery{Kind: model.KindBrand, First: 1})
			if err != nil {
				t.Fatal(err)
			}
			return page.TotalCount
		}
		if b0, b2 := brands(past(0)), brands(past(2)); b0 != b2+1 {
			t.Errorf("brands at moment 0 = %d, at moment 2 = %d: want one more before kia was deleted", b0, b2)
		}
		// The relation as first added, then as corrected: a bitemporal read.
		rel := func(r model.Reader) model.RelationStatus {
			x, err := r.Relation(ctx, "r-avtotor-partners-chery")
			if err != nil {
				t.Fatal(err)
			}
			return x.Status
		}
		if got := rel(past(2)); got != model.StatusPlanned {
			t.Errorf("moment 2: the relation is %s, want PLANNED", got)
		}
		if got := rel(past(3)); got != model.StatusActive {
			t.Errorf("moment 3: the relation is %s, want ACTIVE", got)
		}
		page, err := past(2).RelationsOf(ctx, []string{"avtotor"}, model.RelationsOfQuery{Filter: model.RelationFilter{Status: []model.RelationStatus{model.StatusPlanned}, Types: []model.RelationType{model.RelPartnersWith}}, First: 10})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(page["avtotor"].Items); n != 1 {
			t.Errorf("moment 2: avtotor's planned partnerships = %d, want 1", n)
		}
		// Timestamps are the stored ones of the moment.
		e0, err := past(0).Entity(ctx, "avtotor")
		if err != nil {
			t.Fatal(err)
		}
		if !e0.Common().UpdatedAt.Equal(e0.Common().CreatedAt) {
			t.Errorf("moment 0: avtotor's updatedAt %v differs from createdAt %v", e0.Common().UpdatedAt, e0.Common().CreatedAt)
		}
		// Before the first revision, the graph was empty.
		n, isPast, err := p.RevisionAt(ctx, at[0].Add(-time.Hour))
		if err != nil || !isPast || n != 0 {
			t.Fatalf("RevisionAt(before everything) = %d, %v, %v; want 0, past", n, isPast, err)
		}
		if _, err := p.At(0).Entity(ctx, "avtotor"); model.ErrorCode(err) != model.CodeNotFound {
			t.Errorf("before the first revision: avtotor = %v, want NOT_FOUND", err)
		}
		if c := brands(p.At(0)); c != 0 {
			t.Errorf("before the first revision: %d brands, want 0", c)
		}
	})
}

func TestPastAfterPruning(t *testing.T) {
	eachStore(t, func(t *testing.T, s historyStore) {
		ctx := t.Context()
		at := moments(t, s)
		if _, err := s.Prune(ctx, at[1]); err != nil {
			t.Fatal(err)
		}
		p := history.NewPasts(s, 0)
		if _, _, err := p.RevisionAt(ctx, at[0]); model.ErrorCode(err) != model.CodeBadUserInput {
			t.Errorf("RevisionAt(a pruned moment) = %v, want BAD_USER_INPUT", err)
		}
		n, _, err := p.RevisionAt(ctx, at[1])
		if err != nil {
			t.Fatal(err)
		}
		e, err := p.At(n).Entity(ctx, "avtotor")
		if err != nil || e.Common().Name != "Avtotor Holding" {
			t.Errorf("at the oldest kept moment: avtotor = %v, %v", e, err)
		}
		if _, err := p.At(n).Entity(ctx, "kia"); err != nil {
			t.Errorf("at the oldest kept moment kia is there: %v", err)
		}
	})
}
