package inmem_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
)

func TestConformance(t *testing.T) {
	t.Run("Memory", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) model.Store { return inmem.New() })
	})
	t.Run("File", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) model.Store { return openTemp(t) })
	})
}

// openTemp opens a file-backed store in a fresh temporary directory, closed at the end of the
// test unless the test closed it.
func openTemp(t *testing.T) *inmem.Store {
	t.Helper()
	s, empty, err := inmem.Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	if !empty {
		t.Fatalf("Open of a new directory reports a non-empty store")
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

// loaded returns a store holding the conformance fixture.
func loaded(t testing.TB) *inmem.Store {
	t.Helper()
	s := inmem.New()
	if err := s.Import(context.Background(), storetest.Fixture()); err != nil {
		t.Fatalf("Import(Fixture()) = %v", err)
	}
	return s
}

func TestCloseTwice(t *testing.T) {
	s := inmem.New()
	if err := s.Close(t.Context()); err != nil {
		t.Fatalf("Close = %v", err)
	}
	if err := s.Close(t.Context()); model.ErrorCode(err) != model.CodeUnavailable {
		t.Errorf("second Close = %v, want UNAVAILABLE", err)
	}
}

// synthetic builds a deterministic automotive-looking graph of about n entities: places in a
// tree, organizations owning brands, brands with models, plants located in places, operated by
// organizations and assembling models, and some partnerships. Names are made of syllables so
// that searches hit a realistic spread of scores.
func synthetic(n int) *model.Dataset {
	rng := rand.New(rand.NewPCG(1, 2))
	syll := []string{"ka", "vel", "mo", "tor", "ri", "an", "ba", "zu", "len", "ko", "dar", "is", "ne", "gra", "sol", "vi"}
	name := func() string {
		var b strings.Builder
		for w := range 1 + rng.IntN(2) {
			if w > 0 {
				b.WriteByte(' ')
			}
			for range 2 + rng.IntN(2) {
				b.WriteString(syll[rng.IntN(len(syll))])
			}
		}
		s := b.String()
		return strings.ToUpper(s[:1]) + s[1:]
	}
	d := &model.Dataset{Sources: []*model.Source{{ID: "src", Title: "Synthetic", PublishedOn: model.MustDate("2024")}}}
	rels := 0
	link := func(t model.RelationType, from, to string) {
		rels++
		r := &model.Relation{ID: fmt.Sprintf("rel-%06d", rels), Type: t, FromID: from, ToID: to, Status: model.StatusActive, SourceIDs: []string{"src"}}
		if rels%3 == 0 {
			y := model.Date{Year: 1990 + rels%35}
			r.ValidFrom = &y
		}
		d.Relations = append(d.Relations, r)
	}
	places, orgs, brands, models, plants := n/20, n/10, n/5, n/2, n/10
	for i := range places {
		id := fmt.Sprintf("place-%d", i)
		d.Places = append(d.Places, &model.Place{EntityBase: model.EntityBase{ID: id, Name: name()}, Type: model.PlaceRegion})
		if i > 0 {
			link(model.RelLocatedIn, id, fmt.Sprintf("place-%d", rng.IntN(i)))
		}
	}
	for i := range orgs {
		id := fmt.Sprintf("org-%d", i)
		d.Organizations = append(d.Organizations, &model.Organization{EntityBase: model.EntityBase{ID: id, Name: name() + " Group", Aliases: []string{name()}}, Type: model.OrgManufacturer})
		link(model.RelLocatedIn, id, fmt.Sprintf("place-%d", rng.IntN(places)))
		if i > 0 && rng.IntN(2) == 0 {
			link(model.RelPartnersWith, id, fmt.Sprintf("org-%d", rng.IntN(i)))
		}
	}
	for i := range brands {
		id := fmt.Sprintf("brand-%d", i)
		d.Brands = append(d.Brands, &model.Brand{EntityBase: model.EntityBase{ID: id, Name: name()}})
		link(model.RelOwnsBrand, fmt.Sprintf("org-%d", rng.IntN(orgs)), id)
	}
	for i := range plants {
		id := fmt.Sprintf("plant-%d", i)
		d.Plants = append(d.Plants, &model.Plant{EntityBase: model.EntityBase{ID: id, Name: name() + " Plant"}})
		link(model.RelLocatedIn, id, fmt.Sprintf("place-%d", rng.IntN(places)))
		link(model.RelOperates, fmt.Sprintf("org-%d", rng.IntN(orgs)), id)
	}
	for i := range models {
		id := fmt.Sprintf("model-%d", i)
		d.VehicleModels = append(d.VehicleModels, &model.VehicleModel{EntityBase: model.EntityBase{ID: id, Name: name()}})
		link(model.RelHasModel, fmt.Sprintf("brand-%d", rng.IntN(brands)), id)
		link(model.RelAssembles, fmt.Sprintf("plant-%d", rng.IntN(plants)), id)
	}
	return d
}

// benchStore is a store over a synthetic graph of a few thousand entities.
func benchStore(b *testing.B) *inmem.Store {
	b.Helper()
	s := inmem.New()
	d := synthetic(4000)
	if err := d.Validate(); err != nil {
		b.Fatal(err)
	}
	if err := s.Import(context.Background(), d); err != nil {
		b.Fatal(err)
	}
	return s
}
