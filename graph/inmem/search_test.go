package inmem_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed/synth"
)

// referenceSearch is Search written the obvious way, the way the store did it before it had
// an index: score every entity, filter by kind, sort with model.SortHits, keep First.
func referenceSearch(ents map[string]model.Entity, q model.SearchQuery) []model.SearchHit {
	text, err := model.PrepareSearch(q.Text)
	if err != nil {
		return nil
	}
	var hits []model.SearchHit
	for _, e := range ents {
		if len(q.Kinds) > 0 && !slices.Contains(q.Kinds, e.Kind()) {
			continue
		}
		if sc := model.ScoreMatch(text, model.SearchKeys(e)); sc > 0 {
			hits = append(hits, model.SearchHit{Entity: e, Score: sc})
		}
	}
	model.SortHits(hits)
	first := q.First
	if first <= 0 {
		first = model.DefaultPageSize
	}
	return hits[:min(len(hits), first)]
}

// searchQueries builds the queries the comparison asks: random substrings of names and
// aliases of 1 to 12 runes, prefixes, whole names, the same in upper case and with accents
// and punctuation added, and text that matches nothing; each with no kind filter, with each
// kind, and with two kinds, and with the default page size and a large one.
func searchQueries(rng *rand.Rand, ents map[string]model.Entity, n int) []model.SearchQuery {
	var keys []string
	for _, id := range slices.Sorted(func(yield func(string) bool) {
		for id := range ents {
			if !yield(id) {
				return
			}
		}
	}) {
		b := ents[id].Common()
		keys = append(keys, b.Name)
		keys = append(keys, b.Aliases...)
	}
	accent := strings.NewReplacer("a", "á", "e", "é", "o", "ö", "u", "ü", "c", "ç", "n", "ñ", " ", " - ")
	var texts []string
	for range n {
		k := []rune(keys[rng.IntN(len(keys))])
		var t string
		switch rng.IntN(4) {
		case 0: // a substring of 1–12 runes
			l := 1 + rng.IntN(min(12, len(k)))
			i := rng.IntN(len(k) - l + 1)
			t = string(k[i : i+l])
		case 1: // a prefix
			t = string(k[:1+rng.IntN(len(k))])
		case 2: // the whole name or alias
			t = string(k)
		case 3: // a substring with a letter that makes it unlikely to match
			l := 1 + rng.IntN(min(6, len(k)))
			i := rng.IntN(len(k) - l + 1)
			t = string(k[i:i+l]) + "qx"
		}
		switch rng.IntN(4) {
		case 1:
			t = strings.ToUpper(t)
		case 2:
			t = accent.Replace(t)
		case 3:
			t = strings.ToUpper(accent.Replace(t))
		}
		texts = append(texts, t)
	}
	texts = append(texts, "qqxj", "zzzzzz", "a", "e", "1", "0", "ra", "u5", "mo", "tor", "motors", "benz", "é", "Ö", "ß", "北京", "x y", "  a  ")
	var qs []model.SearchQuery
	kindSets := [][]model.EntityKind{nil}
	for _, k := range model.AllEntityKinds() {
		kindSets = append(kindSets, []model.EntityKind{k})
	}
	kindSets = append(kindSets, []model.EntityKind{model.KindBrand, model.KindPlace})
	for i, t := range texts {
		first := 0
		if i%3 == 0 {
			first = 100_000
		}
		qs = append(qs, model.SearchQuery{Text: t, Kinds: kindSets[i%len(kindSets)], First: first})
		if i%5 == 0 {
			qs = append(qs, model.SearchQuery{Text: t, First: 7})
		}
	}
	return qs
}

// compareSearch runs every query against the store and the reference and fails on the first
// difference in ids, order or scores.
func compareSearch(t *testing.T, st *inmem.Store, ents map[string]model.Entity, qs []model.SearchQuery) {
	t.Helper()
	nonEmpty := 0
	for _, q := range qs {
		got, err := st.Search(t.Context(), q)
		want := referenceSearch(ents, q)
		if _, perr := model.PrepareSearch(q.Text); perr != nil {
			// Text without a letter or digit (a substring of punctuation): both refuse it.
			if err == nil {
				t.Fatalf("Search(%q) = %d hits, want the error %v", q.Text, len(got), perr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("Search(%q, %v): %v", q.Text, q.Kinds, err)
		}
		if g, w := describeHits(got), describeHits(want); g != w {
			t.Fatalf("Search(%q, kinds %v, first %d):\n got %s\nwant %s", q.Text, q.Kinds, q.First, g, w)
		}
		if len(want) > 0 {
			nonEmpty++
		}
	}
	// A comparison where nothing matches would prove nothing.
	if nonEmpty < len(qs)/3 {
		t.Fatalf("only %d of %d queries had hits", nonEmpty, len(qs))
	}
}

func describeHits(hits []model.SearchHit) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d hits:", len(hits))
	for _, h := range hits {
		fmt.Fprintf(&b, " %s/%.1f", h.Entity.GetID(), h.Score)
	}
	return b.String()
}

// TestSearchIndexMatchesScan compares the indexed Search with a full scan over synthetic
// data, after the import, after a batch of small writes (renames, new aliases, new entities,
// kind changes, deletes: the index's patch path), after a large import that changes many
// names (its rebuild path), and after reopening a file-backed store.
func TestSearchIndexMatchesScan(t *testing.T) {
	ctx := t.Context()
	d := synth.Generate(5000, 1)
	dir := t.TempDir()
	st, _, err := inmem.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close(context.Background()) })
	if err := st.Import(ctx, d); err != nil {
		t.Fatal(err)
	}
	ents := map[string]model.Entity{}
	for _, e := range d.Entities() {
		ents[e.GetID()] = e
	}
	rng := rand.New(rand.NewPCG(7, 11))
	compareSearch(t, st, ents, searchQueries(rng, ents, 600))

	// Small writes, each its own change, so the index is patched entry by entry.
	ids := slices.Sorted(func(yield func(string) bool) {
		for id := range ents {
			if !yield(id) {
				return
			}
		}
	})
	upsert := func(e model.Entity) {
		t.Helper()
		got, err := st.UpsertEntity(ctx, e)
		if err != nil {
			t.Fatalf("UpsertEntity(%s): %v", e.GetID(), err)
		}
		ents[got.GetID()] = got
	}
	for i := range 150 {
		id := ids[rng.IntN(len(ids))]
		e, ok := ents[id]
		if !ok {
			continue
		}
		e = e.Clone()
		b := e.Common()
		switch i % 5 {
		case 0: // rename to another entity's name: same keys, different ids
			b.Name = ents[ids[rng.IntN(len(ids))]].Common().Name
			if b.Name == "" {
				b.Name = "Fallback"
			}
		case 1: // rename to something new, with accents
			b.Name = fmt.Sprintf("Zéta Rénamed %d Motors", i)
		case 2: // new aliases
			b.Aliases = []string{fmt.Sprintf("ALIAS-%d", i), "Qwérty Ra"}
		case 3: // aliases dropped
			b.Aliases = nil
		case 4: // delete
			if _, err := st.DeleteEntity(ctx, id); err != nil {
				t.Fatalf("DeleteEntity(%s): %v", id, err)
			}
			delete(ents, id)
			continue
		}
		upsert(e)
	}
	// New entities, then a kind change for some of them (nothing depends on them), and
	// deleted slots reused by later inserts.
	for i := range 20 {
		upsert(&model.Brand{EntityBase: model.EntityBase{ID: fmt.Sprintf("new-brand-%d", i), Name: fmt.Sprintf("Nouveau Ra %d", i), Aliases: []string{"u5 x"}}})
	}
	for i := range 5 {
		p := &model.Place{EntityBase: model.EntityBase{ID: fmt.Sprintf("new-brand-%d", i), Name: fmt.Sprintf("Nouveau Place %d", i)}, Type: model.PlaceCity}
		if err := st.Import(ctx, &model.Dataset{Places: []*model.Place{p}}); err != nil {
			t.Fatalf("Import(kind change): %v", err)
		}
		got, err := st.Entity(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		ents[p.ID] = got
	}
	compareSearch(t, st, ents, searchQueries(rng, ents, 600))

	// A large import (past the patch limit), so the index is rebuilt: the whole dataset again
	// (which brings back what was deleted and undoes the renames) with one model in seven
	// renamed.
	for i, m := range d.VehicleModels {
		if i%7 == 0 {
			m.Name = "Bulk " + m.Name
		}
	}
	if err := st.Import(ctx, d); err != nil {
		t.Fatal(err)
	}
	for _, e := range d.Entities() {
		got, err := st.Entity(ctx, e.GetID())
		if err != nil {
			t.Fatal(err)
		}
		ents[e.GetID()] = got
	}
	compareSearch(t, st, ents, searchQueries(rng, ents, 600))

	// Reopened from the file: the index is built by the load.
	if err := st.Close(ctx); err != nil {
		t.Fatal(err)
	}
	st, _, err = inmem.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	compareSearch(t, st, ents, searchQueries(rng, ents, 300))
}

// TestSearchIndexSmallStore covers the index on a store small enough that every write is
// patched, from empty, including multi-byte keys whose byte trigrams cross rune boundaries.
func TestSearchIndexSmallStore(t *testing.T) {
	ctx := t.Context()
	st := inmem.New()
	ents := map[string]model.Entity{}
	names := []string{"Škoda", "Škoda Auto", "Москвич", "北京汽车", "Ra", "ra ra", "Ürümqi", "ab", "a", "Mercedes-Benz", "BENZ", "Zabenza"}
	for i, n := range names {
		e := &model.Brand{EntityBase: model.EntityBase{ID: fmt.Sprintf("b%02d", i), Name: n, Aliases: []string{strings.ToUpper(n) + " X"}}}
		got, err := st.UpsertEntity(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		ents[got.GetID()] = got
	}
	var qs []model.SearchQuery
	for _, n := range names {
		r := []rune(n)
		for l := 1; l <= len(r); l++ {
			for i := 0; i+l <= len(r); i++ {
				qs = append(qs, model.SearchQuery{Text: string(r[i : i+l])})
			}
		}
	}
	qs = append(qs, model.SearchQuery{Text: "москвич x"}, model.SearchQuery{Text: "汽"}, model.SearchQuery{Text: "x"})
	for _, q := range qs {
		got, err := st.Search(ctx, q)
		if _, perr := model.PrepareSearch(q.Text); perr != nil {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if g, w := describeHits(got), describeHits(referenceSearch(ents, q)); g != w {
			t.Fatalf("Search(%q):\n got %s\nwant %s", q.Text, g, w)
		}
	}
}

// TestSearchOrderMatchesSortHits holds the store's search order (computed with precomputed
// sort keys) to model.SortHits over a broad query on synthetic data.
func TestSearchOrderMatchesSortHits(t *testing.T) {
	s := inmem.New()
	if err := s.Import(t.Context(), synthetic(2000)); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"a", "ko", "vel", "mo"} {
		hits, err := s.Search(t.Context(), model.SearchQuery{Text: q, First: 100000})
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) < 50 {
			t.Fatalf("Search(%q) = %d hits; the check needs a broad query", q, len(hits))
		}
		want := slices.Clone(hits)
		model.SortHits(want)
		for i := range hits {
			if hits[i].Entity.GetID() != want[i].Entity.GetID() {
				t.Fatalf("Search(%q) hit %d = %s, model.SortHits puts %s there", q, i, hits[i].Entity.GetID(), want[i].Entity.GetID())
			}
		}
	}
}

func BenchmarkSearch(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	for _, q := range []string{"ka", "velmo", "torri plant"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Search(ctx, model.SearchQuery{Text: q}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
