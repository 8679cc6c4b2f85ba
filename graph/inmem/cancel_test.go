package inmem_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
	"github.com/autograph-kg/autograph/seed/synth"
)

// counts is what a store holds, in numbers.
type counts struct{ Entities, Sources, Relations int }

func countsOf(t *testing.T, s model.Store) counts {
	t.Helper()
	ctx := t.Context()
	e, err := s.Entities(ctx, model.EntityQuery{First: 1})
	if err != nil {
		t.Fatal(err)
	}
	src, err := s.Sources(ctx, model.SourceQuery{First: 1})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Relations(ctx, model.RelationQuery{First: 1})
	if err != nil {
		t.Fatal(err)
	}
	return counts{e.TotalCount, src.TotalCount, r.TotalCount}
}

// TestCancelledImportLeavesTheFileWhole cancels imports of a synthetic dataset at moments
// spread over the import, into an empty data directory (a first start) and into one that
// holds the fixture. Each must stop within storetest.MaxCancelDelay with the context's error,
// and the directory, reopened, must hold what it held before or the whole dataset: never a
// part. Then an import that is left alone finishes.
func TestCancelledImportLeavesTheFileWhole(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a large synthetic dataset")
	}
	ctx := context.Background()
	// Large enough to go through the staging bucket (it has several times stagingChunk
	// records), small enough to import a few times over.
	d := synth.Generate(40_000, 11)
	whole := counts{len(d.Entities()), len(d.Sources), len(d.Relations)}
	for _, start := range []string{"empty", "fixture"} {
		t.Run(start, func(t *testing.T) {
			dir := t.TempDir()
			s, _, err := inmem.Open(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			var before counts
			if start == "fixture" {
				if err := s.Import(ctx, storetest.Fixture()); err != nil {
					t.Fatal(err)
				}
				before = countsOf(t, s)
			}
			for _, after := range []time.Duration{50 * time.Millisecond, 300 * time.Millisecond, 800 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second} {
				cctx, cancel := context.WithCancel(ctx)
				timer := time.AfterFunc(after, cancel)
				t0 := time.Now()
				err := s.Import(cctx, d)
				took := time.Since(t0)
				timer.Stop()
				cancel()
				if err == nil {
					t.Logf("cancel at %v: the import had finished (%v)", after, took.Round(time.Millisecond))
					if got := countsOf(t, s); got != (counts{before.Entities + whole.Entities, before.Sources + whole.Sources, before.Relations + whole.Relations}) {
						t.Errorf("after the import: %+v", got)
					}
					break
				}
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("cancel at %v: %v, want a context error", after, err)
				}
				if late := took - after; late > storetest.MaxCancelDelay {
					t.Errorf("cancel at %v: the import returned %v after the cancel, want at most %v", after, late.Round(time.Millisecond), storetest.MaxCancelDelay)
				}
				t.Logf("cancel at %v: returned after %v: %v", after, took.Round(time.Millisecond), err)
				_ = s.Close(ctx) // UNAVAILABLE when the import closed the store
				s, _, err = inmem.Open(ctx, dir)
				if err != nil {
					t.Fatalf("reopening after the cancel at %v: %v", after, err)
				}
				got := countsOf(t, s)
				full := counts{before.Entities + whole.Entities, before.Sources + whole.Sources, before.Relations + whole.Relations}
				switch got {
				case before:
				case full:
					t.Logf("cancel at %v: the import had been saved whole", after)
				default:
					t.Fatalf("reopened after the cancel at %v: %+v, want %+v (before) or %+v (all of it)", after, got, before, full)
				}
				if got == full {
					break
				}
			}
			noErr := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			noErr(s.Import(ctx, d))
			want := countsOf(t, s)
			noErr(s.Close(ctx))
			s, _, err = inmem.Open(ctx, dir)
			noErr(err)
			defer s.Close(ctx)
			if got := countsOf(t, s); got != want {
				t.Errorf("reopened after the import: %+v, want %+v", got, want)
			}
		})
	}
}
