package inmem

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	bolt "go.etcd.io/bbolt"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
	"github.com/autograph-kg/autograph/seed/synth"
)

// TestStagedImportHistoryIsTheSame imports a dataset large enough to be staged, into an empty
// file and into one that holds the fixture's revision (the history buckets are staged with the
// data in both), then, in the second, the dataset again with every entity changed (its history
// rows go in its last transaction, the history being larger than it), and holds the file's
// history, read after a reopen, to the answers of a store without a file given the same
// imports: the revision's header and what it touched, each item's prior content, the
// revisions of an id, and the prior states.
func TestStagedImportHistoryIsTheSame(t *testing.T) {
	ctx := context.Background()
	// Half as many entities as a staged import's chunk: with their relations and sources,
	// more items than a chunk, so the import is staged.
	const n = stagingChunk / 2
	d := synth.Generate(n, 5)
	if size := len(d.Entities()) + len(d.Sources) + len(d.Relations); size <= stagingChunk || len(d.Entities())+len(d.Relations) <= stagingChunk {
		t.Fatalf("the dataset has %d items, too few to be staged", size)
	}
	for _, start := range []string{"empty", "fixture"} {
		t.Run(start, func(t *testing.T) {
			dir := t.TempDir()
			s, _, err := Open(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			mem := New()
			for _, st := range []*Store{s, mem} {
				if start == "fixture" {
					if err := st.Import(ctx, storetest.Fixture()); err != nil {
						t.Fatal(err)
					}
				}
				if err := st.Import(ctx, synth.Generate(n, 5)); err != nil {
					t.Fatal(err)
				}
				if start == "fixture" {
					// Again, every entity and relation changed: a staged import into a file
					// with more history than it changes (so its rows go in its last
					// transaction), whose prior contents are not null.
					again := synth.Generate(n, 5)
					for _, e := range again.Entities() {
						e.Common().Description = "Changed by the import."
					}
					for _, r := range again.Relations {
						r.Note = "Changed by the import."
					}
					if err := st.Import(ctx, again); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := s.Close(ctx); err != nil {
				t.Fatal(err)
			}
			if s, _, err = Open(ctx, dir); err != nil {
				t.Fatal(err)
			}
			defer s.Close(ctx)
			if start == "empty" {
				assertStagedRowsCount(t, s, len(d.Entities())+len(d.Sources)+len(d.Relations))
			}
			fb, err := s.HistoryBounds(ctx)
			if err != nil {
				t.Fatal(err)
			}
			mb, _ := mem.HistoryBounds(ctx)
			if fb.Last != mb.Last || fb.Floor != mb.Floor {
				t.Fatalf("bounds: file %+v, memory %+v", fb, mb)
			}
			noTimes := cmpopts.IgnoreFields(model.Revision{}, "At")
			ignoreStamps := cmp.Transformer("stamps", func(it model.Item) model.Item { return withoutStamps(it) })
			for n := int64(1); n <= fb.Last; n++ {
				fh, err1 := s.headers([]int64{n})
				mh, err2 := mem.headers([]int64{n})
				if err1 != nil || err2 != nil {
					t.Fatal(err1, err2)
				}
				// cmp.Diff over tens of thousands of entries is slow under the race detector:
				// it runs only when a cheap comparison finds a difference.
				if !sameHeaders(mh, fh) {
					t.Errorf("revision %d's header (-memory +file):\n%s", n, cmp.Diff(mh, fh, noTimes))
				}
				fc, err1 := s.Changes(ctx, n, nil)
				mc, err2 := mem.Changes(ctx, n, nil)
				if err1 != nil || err2 != nil {
					t.Fatal(err1, err2)
				}
				if len(fc) != len(mc) {
					t.Errorf("revision %d: %d changes in the file, %d in memory", n, len(fc), len(mc))
					continue
				}
				// Likewise, cmp.Diff looks only at an item that differs.
				for i := range fc {
					if fc[i].ID != mc[i].ID || !sameItem(fc[i].Before, mc[i].Before) {
						t.Errorf("revision %d, change %d (-memory +file):\n%s", n, i, cmp.Diff(mc[i], fc[i], ignoreStamps))
						break
					}
				}
			}
			ids := []string{d.Entities()[0].GetID(), d.Entities()[3].GetID(), d.Entities()[len(d.Entities())-1].GetID(), d.Relations[len(d.Relations)/2].ID, d.Sources[0].ID, storetest.Fixture().Organizations[0].ID, "no-such-id"}
			for _, id := range ids {
				for _, desc := range []bool{false, true} {
					q := model.RevisionQuery{ID: id, Desc: desc, First: 10}
					fp, err1 := s.Revisions(ctx, q)
					mp, err2 := mem.Revisions(ctx, q)
					if err1 != nil || err2 != nil {
						t.Fatal(err1, err2)
					}
					if diff := cmp.Diff(mp, fp, noTimes); diff != "" {
						t.Errorf("revisions of %q (desc %v) (-memory +file):\n%s", id, desc, diff)
					}
				}
			}
			for n := int64(0); n <= fb.Last; n++ {
				fp, err1 := s.PriorStates(ctx, n, ids)
				mp, err2 := mem.PriorStates(ctx, n, ids)
				if err1 != nil || err2 != nil {
					t.Fatal(err1, err2)
				}
				if diff := cmp.Diff(mp, fp, ignoreStamps); diff != "" {
					t.Errorf("prior states after %d (-memory +file):\n%s", n, diff)
				}
			}
		})
	}
}

// sameHeaders reports whether two lists of revision headers are the same, times aside.
func sameHeaders(a, b []*model.Revision) bool {
	return slices.EqualFunc(a, b, func(x, y *model.Revision) bool {
		return x.Number == y.Number && x.Operation == y.Operation && x.Actor == y.Actor &&
			slices.EqualFunc(x.Touched, y.Touched, func(p, q model.Touched) bool {
				return p.ID == q.ID && p.Sort == q.Sort && p.Kind == q.Kind && p.Type == q.Type && slices.Equal(p.Ends, q.Ends)
			})
	})
}

// sameItem reports whether a and b are the same item, timestamps aside.
func sameItem(a, b model.Item) bool {
	ja, err1 := json.Marshal(withoutStamps(a))
	jb, err2 := json.Marshal(withoutStamps(b))
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}

// withoutStamps is it with its timestamps cleared: the two stores stamp at their own times.
func withoutStamps(it model.Item) model.Item {
	it = it.Clone()
	switch {
	case it.Entity != nil:
		c := it.Entity.Common()
		c.CreatedAt, c.UpdatedAt = time.Time{}, time.Time{}
	case it.Source != nil:
		it.Source.CreatedAt, it.Source.UpdatedAt = time.Time{}, time.Time{}
	case it.Relation != nil:
		it.Relation.CreatedAt, it.Relation.UpdatedAt = time.Time{}, time.Time{}
	}
	return it
}

// assertStagedRowsCount checks that each history bucket of rows holds want rows, one per item
// of the only revision, and that no staging bucket is left.
func assertStagedRowsCount(t *testing.T, s *Store, want int) {
	t.Helper()
	err := s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket([]byte(bucketStaging)) != nil {
			t.Error("the staging bucket is still there")
		}
		for _, name := range []string{bucketRevisionChanges, bucketRevisionItems} {
			if n := tx.Bucket([]byte(name)).Stats().KeyN; n != want {
				t.Errorf("%s holds %d rows, want %d", name, n, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCancelledStagedImportLeavesNoHistory cancels a staged first import after its history
// rows have begun to be staged: reopened, the file has no revision and no history rows.
func TestCancelledStagedImportLeavesNoHistory(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	d := synth.Generate(stagingChunk+5000, 7)
	c := &change{operation: model.OpImport}
	now := s.stamp()
	for _, e := range d.Entities() {
		if n, ok := s.nextEntity(e, now); ok {
			c.entities = append(c.entities, n)
		}
	}
	c.rev = s.revisionFor(ctx, c.operation, c)
	// A context that is done once the staging has gone past the data buckets: the history
	// rows are then being staged.
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := &cancelAfterStaging{Context: cctx, s: s, cancel: cancel}
	if err := s.persistStaged(stop, c); err == nil {
		t.Fatal("the cancelled import succeeded")
	}
	if !stop.sawHistory {
		t.Fatal("the cancel came before the history rows were staged")
	}
	s.abandon()
	_ = s.Close(ctx)
	if s, _, err = Open(ctx, dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	b, err := s.HistoryBounds(ctx)
	if err != nil || b.Last != 0 {
		t.Fatalf("history after the cancel: %+v, %v", b, err)
	}
	assertStagedRowsCount(t, s, 0)
	if n := len(stateOf(t, s).Entities); n != 0 {
		t.Errorf("%d entities after the cancel", n)
	}
}

// cancelAfterStaging is a context that cancels itself when asked for its error once the
// staging bucket holds history rows.
type cancelAfterStaging struct {
	context.Context
	s          *Store
	cancel     context.CancelFunc
	sawHistory bool
	calls      int
}

func (c *cancelAfterStaging) Err() error {
	if c.calls++; !c.sawHistory && c.calls%64 == 0 {
		// Err is called inside the staging transactions; a read of the file from outside
		// would wait for them, so the bucket is looked at through the last committed state.
		_ = c.s.db.View(func(tx *bolt.Tx) error {
			if st := tx.Bucket([]byte(bucketStaging)); st != nil {
				if h := st.Bucket([]byte(bucketRevisionChanges)); h != nil && !atMost(h, 0) {
					c.sawHistory = true
					c.cancel()
				}
			}
			return nil
		})
	}
	return c.Context.Err()
}

// TestRevisionForIsNewRevision holds revisionFor to model.NewRevision, which it does without
// a map: for a change that creates, replaces and drops items of every sort, in no order.
func TestRevisionForIsNewRevision(t *testing.T) {
	ctx := context.Background()
	s := New()
	fx := storetest.Fixture()
	if err := s.Import(ctx, fx); err != nil {
		t.Fatal(err)
	}
	d := synth.Generate(300, 9)
	c := &change{operation: model.OpImport, sources: d.Sources, relations: d.Relations}
	for _, e := range d.Entities() {
		c.entities = append(c.entities, e)
	}
	o := *fx.Organizations[0]
	o.Description = "Changed."
	c.entities = append([]model.Entity{&o}, c.entities...)
	c.sources = append(c.sources, fx.Sources[1])
	c.relations = append(c.relations, fx.Relations[2])
	// fx.Relations[2] is both written and dropped: listed twice, the drop last.
	c.dropRelations = []string{fx.Relations[3].ID, fx.Relations[2].ID, fx.Relations[0].ID}
	c.dropEntities = []string{fx.Organizations[2].ID}
	got := s.revisionFor(ctx, c.operation, c)

	after := map[string]model.Item{}
	var changes []model.Change
	add := func(id string, now model.Item) {
		after[id] = now
		changes = append(changes, model.Change{ID: id, Before: s.storedItem(id)})
	}
	for _, e := range c.entities {
		add(e.GetID(), model.Item{Entity: e})
	}
	for _, src := range c.sources {
		add(src.ID, model.Item{Source: src})
	}
	for _, r := range c.relations {
		add(r.ID, model.Item{Relation: r})
	}
	for _, id := range c.dropEntities {
		add(id, model.Item{})
	}
	for _, id := range c.dropRelations {
		add(id, model.Item{})
	}
	slices.SortFunc(changes, func(a, b model.Change) int { return strings.Compare(a.ID, b.ID) })
	want := model.NewRevision(ctx, got.rev.Number, got.rev.At, c.operation, changes, after)
	if diff := cmp.Diff(want, got.rev); diff != "" {
		t.Errorf("revision (-NewRevision +revisionFor):\n%s", diff)
	}
	if diff := cmp.Diff(changes, got.changes); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if len(changes) < 400 {
		t.Errorf("only %d changes", len(changes))
	}
}
