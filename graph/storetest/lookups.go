package storetest

import (
	"maps"
	"slices"
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
)

// testLookups checks the single and batch lookups: every fixture item comes back whole, and
// unknown ids are NOT_FOUND (single) or absent (batch).
func testLookups(t *testing.T, s model.Store) {
	ctx := t.Context()
	fx := Fixture()

	t.Run("EveryEntity", func(t *testing.T) {
		for _, want := range fx.Entities() {
			got, err := s.Entity(ctx, want.GetID())
			if err != nil {
				t.Errorf("Entity(%q) error = %v", want.GetID(), err)
				continue
			}
			if got.Kind() != want.Kind() {
				t.Errorf("Entity(%q).Kind() = %s, want %s", want.GetID(), got.Kind(), want.Kind())
			}
			diff(t, "Entity("+want.GetID()+")", want, got, contentOpts())
		}
	})
	t.Run("EverySource", func(t *testing.T) {
		for _, want := range fx.Sources {
			got, err := s.Source(ctx, want.ID)
			if err != nil {
				t.Errorf("Source(%q) error = %v", want.ID, err)
				continue
			}
			diff(t, "Source("+want.ID+")", want, got, contentOpts())
		}
	})
	t.Run("EveryRelation", func(t *testing.T) {
		for _, want := range fx.Relations {
			got, err := s.Relation(ctx, want.ID)
			if err != nil {
				t.Errorf("Relation(%q) error = %v", want.ID, err)
				continue
			}
			diff(t, "Relation("+want.ID+")", want, got, contentOpts())
		}
	})
	t.Run("Timestamps", func(t *testing.T) {
		e, err := s.Entity(ctx, "avtotor")
		noErr(t, "Entity(avtotor)", err)
		if b := e.Common(); b.CreatedAt.IsZero() || b.UpdatedAt.IsZero() {
			t.Errorf("Entity(avtotor) CreatedAt, UpdatedAt = %v, %v, want both set by Import", b.CreatedAt, b.UpdatedAt)
		}
		r, err := s.Relation(ctx, "r-tula-in-russia")
		noErr(t, "Relation(r-tula-in-russia)", err)
		if r.CreatedAt.IsZero() || r.UpdatedAt.IsZero() {
			t.Errorf("Relation(r-tula-in-russia) CreatedAt, UpdatedAt = %v, %v, want both set by Import", r.CreatedAt, r.UpdatedAt)
		}
		src, err := s.Source(ctx, "kommersant-2022")
		noErr(t, "Source(kommersant-2022)", err)
		if src.CreatedAt.IsZero() || src.UpdatedAt.IsZero() {
			t.Errorf("Source(kommersant-2022) CreatedAt, UpdatedAt = %v, %v, want both set by Import", src.CreatedAt, src.UpdatedAt)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		cases := []struct {
			name string
			call func() (any, error)
		}{
			{"Entity unknown", func() (any, error) { return s.Entity(ctx, "no-such-entity") }},
			{"Entity empty id", func() (any, error) { return s.Entity(ctx, "") }},
			{"Entity with a source id", func() (any, error) { return s.Entity(ctx, "kommersant-2022") }},
			{"Entity with a relation id", func() (any, error) { return s.Entity(ctx, "r-tula-in-russia") }},
			{"Source unknown", func() (any, error) { return s.Source(ctx, "no-such-source") }},
			{"Source with an entity id", func() (any, error) { return s.Source(ctx, "interfax") }},
			{"Relation unknown", func() (any, error) { return s.Relation(ctx, "no-such-relation") }},
			{"Relation with an entity id", func() (any, error) { return s.Relation(ctx, "avtotor") }},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := c.call()
				if !model.IsNotFound(err) {
					t.Errorf("error = %v (code %s), want NOT_FOUND", err, model.ErrorCode(err))
				}
			})
		}
	})

	t.Run("EntitiesByID", func(t *testing.T) {
		cases := []struct {
			name string
			ids  []string
			want []string
		}{
			{"mixed known, unknown and repeated", []string{"avtotor", "no-such-entity", "skoda", "avtotor", "kaliningrad"}, []string{"avtotor", "kaliningrad", "skoda"}},
			{"only unknown", []string{"no-such-entity", "r-tula-in-russia"}, nil},
			{"none", nil, nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got, err := s.EntitiesByID(ctx, c.ids)
				noErr(t, "EntitiesByID", err)
				diff(t, "keys", c.want, slices.Sorted(maps.Keys(got)))
				for id, e := range got {
					if e == nil || e.GetID() != id {
						t.Errorf("EntitiesByID()[%q] = %v, want the entity with that id", id, e)
					}
				}
			})
		}
		got, err := s.EntitiesByID(ctx, []string{"skoda-auto"})
		noErr(t, "EntitiesByID", err)
		diff(t, "EntitiesByID(skoda-auto)", fx.Organizations[22], got["skoda-auto"], contentOpts())
	})

	t.Run("SourcesByID", func(t *testing.T) {
		got, err := s.SourcesByID(ctx, []string{"kommersant-2022", "no-such-source", "avtotor", "vedomosti-2019"})
		noErr(t, "SourcesByID", err)
		diff(t, "keys", []string{"kommersant-2022", "vedomosti-2019"}, slices.Sorted(maps.Keys(got)))
		diff(t, "SourcesByID()[kommersant-2022]", fx.Sources[2], got["kommersant-2022"], contentOpts())
	})
}
