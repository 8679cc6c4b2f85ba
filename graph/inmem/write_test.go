package inmem_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
)

// TestBadInputIsRefused checks what the Writer methods get from careless callers: nil values
// and entity types the store does not know are BAD_USER_INPUT, not panics.
func TestBadInputIsRefused(t *testing.T) {
	ctx := t.Context()
	s := loaded(t)
	var nilBrand *model.Brand
	calls := map[string]func() error{
		"UpsertEntity(nil)":         func() error { _, err := s.UpsertEntity(ctx, nil); return err },
		"UpsertEntity(nil pointer)": func() error { _, err := s.UpsertEntity(ctx, nilBrand); return err },
		"UpsertEntity(other type)": func() error {
			_, err := s.UpsertEntity(ctx, foreign{&model.EntityBase{ID: "x", Name: "X"}})
			return err
		},
		"UpsertSource(nil)":   func() error { _, err := s.UpsertSource(ctx, nil); return err },
		"AddRelation(nil)":    func() error { _, err := s.AddRelation(ctx, nil); return err },
		"UpdateRelation(nil)": func() error { _, err := s.UpdateRelation(ctx, nil); return err },
	}
	for name, call := range calls {
		if err := call(); model.ErrorCode(err) != model.CodeBadUserInput {
			t.Errorf("%s = %v, want BAD_USER_INPUT", name, err)
		}
	}
}

// foreign is an Entity implementation from outside the model package.
type foreign struct{ *model.EntityBase }

func (foreign) Kind() model.EntityKind { return model.KindPlace }

func (f foreign) Clone() model.Entity { b := *f.EntityBase; return foreign{&b} }

// TestCuratorMessages pins the wording of the refusals a curator meets most, since the
// GraphQL layer shows these messages as they are.
func TestCuratorMessages(t *testing.T) {
	ctx := t.Context()
	s := loaded(t)
	rel := func(typ model.RelationType, from, to string, sources ...string) *model.Relation {
		return &model.Relation{ID: "r-new", Type: typ, FromID: from, ToID: to, Status: model.StatusActive, SourceIDs: sources}
	}
	message := func(err error) string {
		var de *model.Error
		if !errors.As(err, &de) {
			return fmt.Sprintf("not a domain error: %v", err)
		}
		return string(de.Code) + ": " + de.Message
	}
	add := func(r *model.Relation) error { _, err := s.AddRelation(ctx, r); return err }
	upsert := func(e model.Entity) error { _, err := s.UpsertEntity(ctx, e); return err }
	for _, tc := range []struct {
		err  error
		want string
	}{
		{add(rel(model.RelAssembles, "avtotor", "no-such-brand", "kommersant-2022")),
			`NOT_FOUND: the relation ends at "no-such-brand", but there is no entity with that id`},
		{add(rel(model.RelAssembles, "avtotor", "kia", "no-such-source")),
			`NOT_FOUND: the relation cites source "no-such-source", but there is no source with that id`},
		{add(rel(model.RelOwnsBrand, "kia", "haval", "kommersant-2022")),
			`BAD_USER_INPUT: a OWNS_BRAND relation goes from [ORGANIZATION] to [BRAND], not from BRAND to BRAND`},
		{add(func() *model.Relation { r := storetest.Fixture().Relations[0]; r.Note = "x"; return r }()),
			`BAD_USER_INPUT: relation id "r-avtotor-assembles-baic" already exists with different content; use updateRelation to change it`},
		{upsert(&model.Brand{EntityBase: model.EntityBase{ID: "avtotor", Name: "Avtotor"}}),
			`BAD_USER_INPUT: id "avtotor" already belongs to an organization, which cannot become a brand (its relations and references would no longer fit); choose another id`},
		{upsert(&model.Place{EntityBase: model.EntityBase{ID: "kommersant-2022", Name: "X"}}),
			`BAD_USER_INPUT: id "kommersant-2022" already belongs to a source; choose another id for the entity`},
		{upsert(&model.Brand{EntityBase: model.EntityBase{ID: "new-brand", Name: "New"}, CountryID: "avtotor"}),
			`BAD_USER_INPUT: the country of "new-brand" is "avtotor", which is an organization, not a place`},
		{upsert(&model.Brand{EntityBase: model.EntityBase{ID: "new-brand", Name: "New"}, CountryID: "atlantis"}),
			`NOT_FOUND: the country of "new-brand" is "atlantis", but there is no entity with that id`},
		{func() error {
			_, err := s.UpsertSource(ctx, &model.Source{ID: "s", Title: "S", PublishedOn: model.Date{Year: 2024}, PublisherID: "evolute"})
			return err
		}(), `NOT_FOUND: the publisher of source "s" is "evolute", but there is no entity with that id`},
	} {
		if got := message(tc.err); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}

// TestConcurrentReadsDuringWrites runs readers against a file-backed store while a writer
// goes through every write method. Under -race it proves the two locks; the readers check
// that a relation they see always has both its endpoints (a delete takes its relations along
// in the same step).
func TestConcurrentReadsDuringWrites(t *testing.T) {
	ctx := t.Context()
	s := openDir(t, t.TempDir())
	if err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				g, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "kaliningrad", Depth: 2})
				if err != nil {
					t.Errorf("Neighborhood: %v", err)
					return
				}
				nodes := map[string]bool{}
				for _, n := range g.Nodes {
					nodes[n.GetID()] = true
				}
				for _, r := range g.Relations {
					if !nodes[r.FromID] || !nodes[r.ToID] {
						t.Errorf("Neighborhood has relation %s without both of its ends", r.ID)
						return
					}
				}
				if _, err := s.Search(ctx, model.SearchQuery{Text: "writer"}); err != nil {
					t.Errorf("Search: %v", err)
					return
				}
			}
		})
	}
	for i := range 40 {
		id := fmt.Sprintf("writer-%d", i)
		if _, err := s.UpsertEntity(ctx, &model.Plant{EntityBase: model.EntityBase{ID: id, Name: "Writer plant " + id}}); err != nil {
			t.Fatal(err)
		}
		r := &model.Relation{ID: "r-" + id, Type: model.RelLocatedIn, FromID: id, ToID: "kaliningrad", Status: model.StatusActive, SourceIDs: []string{"zavod-digest-2023"}}
		if _, err := s.AddRelation(ctx, r); err != nil {
			t.Fatal(err)
		}
		r.ToID = "kaliningrad-oblast"
		if _, err := s.UpdateRelation(ctx, r); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if err := s.RemoveRelation(ctx, r.ID); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.DeleteEntity(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
}
