package inmem_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
)

// TestSearchPrefixWalkStops holds the prefix walk, which stops reading names once none can
// make the cut, to the full scan, on names built to crowd it: a few syllables make many names
// share a prefix, many entities share a name (the tie is broken by id), some names are the
// query itself (exact hits before prefix hits), and aliases that start with the query belong
// to entities whose names sort anywhere, before the prefix or far after it, or start with it
// too. Every prefix of every name and alias is asked, of every kind and of one, for small
// pages (the walk stops early) and large ones (it reads the whole range), before and after
// writes that rename, add aliases to and delete entities.
func TestSearchPrefixWalkStops(t *testing.T) {
	ctx := t.Context()
	rng := rand.New(rand.NewPCG(3, 5))
	syl := []string{"ka", "r", "ra", "kar", "a", " ", "b"}
	word := func() string {
		var b strings.Builder
		for range 1 + rng.IntN(4) {
			b.WriteString(syl[rng.IntN(len(syl))])
		}
		return strings.TrimSpace(b.String())
	}
	var names []string
	for range 40 {
		if w := word(); w != "" {
			names = append(names, w)
		}
	}
	names = append(names, "Kar", "Kara", "KARA", "Zebra", "Aaa")
	ents := map[string]model.Entity{}
	d := &model.Dataset{}
	for i := range 600 {
		base := model.EntityBase{ID: fmt.Sprintf("e%03d", (i*337)%600), Name: names[rng.IntN(len(names))]}
		if rng.IntN(6) == 0 {
			base.Aliases = []string{names[rng.IntN(len(names))], word()}
		}
		var e model.Entity
		if i%3 == 0 {
			e = &model.Organization{EntityBase: base, Type: model.OrgGroup}
		} else {
			e = &model.Brand{EntityBase: base}
		}
		d.Add(e)
		ents[e.GetID()] = e
	}
	st := inmem.New()
	t.Cleanup(func() { _ = st.Close(ctx) })
	if err := st.Import(ctx, d); err != nil {
		t.Fatal(err)
	}
	queries := func() []model.SearchQuery {
		var texts []string
		for _, e := range ents {
			for _, k := range model.SearchKeys(e) {
				for n := 1; n <= min(len(k), 5); n++ {
					texts = append(texts, k[:n])
				}
			}
		}
		slices.Sort(texts)
		texts = slices.Compact(texts)
		var qs []model.SearchQuery
		for i, t := range texts {
			if strings.TrimSpace(t) == "" {
				continue
			}
			for _, first := range []int{1, 2, 3, 8, 25, 1000} {
				var kinds []model.EntityKind
				if (i+first)%3 == 0 {
					kinds = []model.EntityKind{model.KindOrganization}
				}
				qs = append(qs, model.SearchQuery{Text: t, Kinds: kinds, First: first})
			}
		}
		return qs
	}
	compareSearch(t, st, ents, queries())

	// Small writes: the arrays are patched entry by entry.
	for i := range 60 {
		id := fmt.Sprintf("e%03d", rng.IntN(600))
		e, ok := ents[id]
		if !ok {
			continue
		}
		e = e.Clone()
		switch i % 3 {
		case 0:
			e.Common().Name = names[rng.IntN(len(names))]
		case 1:
			e.Common().Aliases = []string{"Kar " + word(), names[rng.IntN(len(names))]}
		case 2:
			if _, err := st.DeleteEntity(ctx, id); err != nil {
				t.Fatal(err)
			}
			delete(ents, id)
			continue
		}
		got, err := st.UpsertEntity(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		ents[id] = got
	}
	compareSearch(t, st, ents, queries())
}
