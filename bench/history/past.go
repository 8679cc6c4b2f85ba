//go:build !baseline

package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/autograph-kg/autograph/graph/history"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
)

// more fills the history, then times writes and knownAt lookups with it behind them.
func more(ctx context.Context, s *inmem.Store, dir string, ids []string, revisions, writes, lookups int, rng *rand.Rand) error {
	if err := s.Close(ctx); err != nil {
		return err
	}
	start := time.Now()
	u, _, err := inmem.OpenWith(ctx, dir, inmem.Options{Unsynced: true})
	if err != nil {
		return err
	}
	for i := range revisions {
		e, err := u.Entity(ctx, ids[rng.IntN(len(ids))])
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
	if err := u.Close(ctx); err != nil {
		return err
	}
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
	from, span := first.Items[0].At, b.LastAt.Sub(first.Items[0].At)
	p := history.NewPasts(s, 0)
	lat := make([]time.Duration, 0, lookups)
	for range lookups {
		t := from.Add(time.Duration(rng.Int64N(int64(span))))
		id := ids[rng.IntN(len(ids))]
		t0 := time.Now()
		n, past, err := p.RevisionAt(ctx, t)
		if err != nil {
			return err
		}
		r := model.Reader(s)
		if past {
			r = p.At(n)
		}
		if _, err := r.Entity(ctx, id); err != nil {
			return fmt.Errorf("%s known at %v (revision %d): %w", id, t, n, err)
		}
		lat = append(lat, time.Since(t0))
	}
	report("knownAt lookups", lat)
	return nil
}
