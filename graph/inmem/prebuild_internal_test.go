package inmem

import (
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
	"github.com/autograph-kg/autograph/seed/synth"
)

// TestAdoptTakesEveryField fails when Store gains a field that adopt does not hand over: a
// graph built on the side (prebuild) would then take the store's place without it.
func TestAdoptTakesEveryField(t *testing.T) {
	n := New()
	if err := n.Import(t.Context(), storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	s := &Store{}
	s.adopt(n)
	// The locks, the state of the store and its file are the store's own, not the graph's;
	// the neighbour cache is dropped (adopt resets it), not handed over.
	own := map[string]bool{"wmu": true, "mu": true, "closed": true, "now": true, "db": true, "hist": true, "nbrs": true}
	st, nt := reflect.ValueOf(s).Elem(), reflect.ValueOf(n).Elem()
	for i := range st.NumField() {
		name := st.Type().Field(i).Name
		if own[name] {
			continue
		}
		if st.Field(i).IsZero() || !reflect.DeepEqual(readable(st.Field(i)), readable(nt.Field(i))) {
			t.Errorf("adopt does not hand over Store.%s", name)
		}
	}
}

// readable is the value of an unexported field of an addressable struct.
func readable(f reflect.Value) any {
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface()
}

// TestPrebuiltImportMatchesApplied imports the same large dataset on top of the fixture into
// a store with a file (built on the side, then adopted) and into one without (applied in
// place), and compares what they hold.
func TestPrebuiltImportMatchesApplied(t *testing.T) {
	ctx := t.Context()
	d := synth.Generate(3000, 5)
	mem := New()
	disk, _, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer disk.Close(ctx)
	for _, s := range []*Store{mem, disk} {
		if err := s.Import(ctx, storetest.Fixture()); err != nil {
			t.Fatal(err)
		}
	}
	c := &change{}
	for _, e := range d.Entities() {
		c.entities = append(c.entities, e)
	}
	if !disk.prebuilds(c) {
		t.Fatal("a large import into the fixture is not built on the side")
	}
	for _, s := range []*Store{mem, disk} {
		if err := s.Import(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	want, got := stateOf(t, mem), stateOf(t, disk)
	// The timestamps differ between the two stores; the content must not.
	for _, st := range []state{want, got} {
		for _, e := range st.Entities {
			e.Common().CreatedAt, e.Common().UpdatedAt = time.Time{}, time.Time{}
		}
		for _, r := range st.Relations {
			r.CreatedAt, r.UpdatedAt = time.Time{}, time.Time{}
		}
		for _, src := range st.Sources {
			src.CreatedAt, src.UpdatedAt = time.Time{}, time.Time{}
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("prebuilt import differs from the applied one (-applied +prebuilt):\n%s", d)
	}
	checkAdjacency(t, disk, "after the prebuilt import")
	hits, err := disk.Search(ctx, model.SearchQuery{Text: "motors"})
	if err != nil || len(hits) == 0 {
		t.Errorf("search after the prebuilt import: %d hits, %v", len(hits), err)
	}
}
