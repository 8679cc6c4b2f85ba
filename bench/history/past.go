//go:build !baseline

package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"time"

	"github.com/autograph-kg/autograph/graph/history"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed/synth"
)

// hotEntities is the size of the graph the history is filled on: a write costs the embedded
// store time in proportion to its entities (its sorted views are patched), so the revisions
// are made on a small graph first, and the full dataset is imported over it afterwards.
const hotEntities = 1000

// more builds a second data directory with a large history: revisions upserts on a small
// synthetic graph (written without syncing, only to be fast), then the full dataset d
// imported over it, then the store reopened as the server opens it; and times writes and
// knownAt lookups there.
func more(ctx context.Context, s *inmem.Store, dir string, ids []string, revisions, writes, lookups int, rng *rand.Rand) error {
	if err := s.Close(ctx); err != nil {
		return err
	}
	d := synth.Generate(len(ids), 1)
	dir = filepath.Join(dir, "large")
	start := time.Now()
	u, _, err := inmem.OpenWith(ctx, dir, inmem.Options{Unsynced: true})
	if err != nil {
		return err
	}
	hot := synth.Generate(hotEntities, 2)
	if err := u.Import(ctx, hot); err != nil {
		return err
	}
	var hotIDs []string
	for _, e := range hot.Entities() {
		hotIDs = append(hotIDs, e.GetID())
	}
	for i := range revisions {
		e, err := u.Entity(ctx, hotIDs[rng.IntN(len(hotIDs))])
		if err != nil {
			return err
		}
		e.Common().Description = fmt.Sprintf("revision filler %d", i)
		if _, err := u.UpsertEntity(ctx, e); err != nil {
			return err
		}
		if (i+1)%100_000 == 0 {
			fmt.Printf("fill: %d revisions in %v\n", i+1, time.Since(start).Round(time.Second))
		}
	}
	if err := u.Import(ctx, d); err != nil {
		return fmt.Errorf("importing the full dataset over the filled history: %w", err)
	}
	if err := u.Close(ctx); err != nil {
		return err
	}
	fmt.Printf("fill: %d revisions on %d entities, then %d entities imported over them, in %v\n", revisions, hotEntities, len(ids), time.Since(start).Round(time.Second))
	start = time.Now()
	s, _, err = inmem.Open(ctx, dir)
	if err != nil {
		return err
	}
	defer s.Close(ctx)
	b, err := s.HistoryBounds(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("reopen with %d revisions: %v\n", b.Last, time.Since(start).Round(time.Millisecond))
	if err := timeWrites(ctx, s, ids, writes, rng, "writes (large history)"); err != nil {
		return err
	}
	first, err := s.Revisions(ctx, model.RevisionQuery{First: 1})
	if err != nil {
		return err
	}
	b, err = s.HistoryBounds(ctx)
	if err != nil {
		return err
	}
	// The lookups ask for the entities with long histories, at moments spread over the
	// history: the hard case (every other entity has one revision, the import).
	from, span := first.Items[0].At, b.LastAt.Sub(first.Items[0].At)
	p := history.NewPasts(s, 0)
	lat := make([]time.Duration, 0, lookups)
	found := 0
	for range lookups {
		t := from.Add(time.Duration(rng.Int64N(int64(span))))
		id := hotIDs[rng.IntN(len(hotIDs))]
		t0 := time.Now()
		n, past, err := p.RevisionAt(ctx, t)
		if err != nil {
			return err
		}
		r := model.Reader(s)
		if past {
			r = p.At(n)
		}
		_, err = r.Entity(ctx, id)
		lat = append(lat, time.Since(t0))
		switch {
		case err == nil:
			found++
		case model.ErrorCode(err) != model.CodeNotFound:
			return fmt.Errorf("%s known at %v (revision %d): %w", id, t, n, err)
		}
	}
	report(fmt.Sprintf("knownAt lookups (%d found)", found), lat)

	// A listing at a past moment: the first read builds the picture of that revision, the
	// second reads it. The moment is halfway through the history, so that half of the
	// revisions lie after it.
	n, _, err := p.RevisionAt(ctx, from.Add(span/2))
	if err != nil {
		return err
	}
	for _, label := range []string{"first (builds the picture)", "second"} {
		t0 := time.Now()
		page, err := p.At(n).Entities(ctx, model.EntityQuery{First: 20})
		if err != nil {
			return err
		}
		fmt.Printf("knownAt listing at revision %d, %s: %v (%d entities)\n", n, label, time.Since(t0).Round(time.Millisecond), page.TotalCount)
	}
	return nil
}
