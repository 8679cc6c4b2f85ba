// Command history measures what keeping history costs the embedded store at scale: the
// latency of a write with a large history behind it, and of reading the past (knownAt). It
// works on the store in process, with its file and its syncs, and prints figures; it asserts
// nothing about speed.
//
//	go run ./bench/history -n 100000 -revisions 1000000
//
// Phases, in order:
//
//	import     a fresh data directory: the synthetic dataset of -n entities (seed/synth)
//	writes     -writes upserts, one at a time, each a real change: p50, p90, p99, max
//	fill       -revisions more single-entity upserts, written without syncing the file (only to
//	           build the history fast), then the store is reopened as the server opens it
//	writes     again, now with the large history behind each write
//	lookups    -lookups knownAt lookups of random entities at random past moments, through
//	           graph/history as the API reads them: p50, p90, p99, max
//	listing    one listing at a moment halfway through the history, twice: the first read
//	           builds the picture of the graph at that revision, the second reads it
//
// With -tags baseline the tool has only the import and the first writes, through the API that
// predates history, so that the same loop can be compiled against an older commit (copy this
// directory into a checkout of it): the "today" the history's cost is compared with.
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed/synth"
)

func main() {
	n := flag.Int("n", 100_000, "entities in the synthetic dataset")
	revisions := flag.Int("revisions", 1_000_000, "revisions to fill the history with")
	writes := flag.Int("writes", 2000, "writes to time in each writes phase")
	lookups := flag.Int("lookups", 2000, "knownAt lookups to time")
	dir := flag.String("dir", "", "data directory (default: a new temporary one, removed at the end)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "history:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*n, *revisions, *writes, *lookups, *dir); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "history:", err)
		os.Exit(1)
	}
}

func run(n, revisions, writes, lookups int, dir string) error {
	ctx := context.Background()
	if dir == "" {
		d, err := os.MkdirTemp("", "autograph-history-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	d := synth.Generate(n, 1)
	ids := make([]string, 0, n)
	for _, e := range d.Entities() {
		ids = append(ids, e.GetID())
	}
	start := time.Now()
	s, _, err := inmem.Open(ctx, dir)
	if err != nil {
		return err
	}
	if err := s.Import(ctx, d); err != nil {
		return err
	}
	fmt.Printf("import: %d entities, %d relations in %v\n", n, len(d.Relations), time.Since(start).Round(time.Millisecond))
	rng := rand.New(rand.NewPCG(1, 2))
	if err := timeWrites(ctx, s, ids, writes, rng, "writes (fresh history)"); err != nil {
		return err
	}
	return more(ctx, s, dir, ids, revisions, writes, lookups, rng)
}

// timeWrites makes count upserts of random entities, each changing the description, one at
// a time, and prints their latency.
func timeWrites(ctx context.Context, s model.Store, ids []string, count int, rng *rand.Rand, label string) error {
	lat := make([]time.Duration, 0, count)
	for i := range count {
		e, err := s.Entity(ctx, ids[rng.IntN(len(ids))])
		if err != nil {
			return err
		}
		e.Common().Description = fmt.Sprintf("timed write %d at %d", i, time.Now().UnixNano())
		t0 := time.Now()
		if _, err := s.UpsertEntity(ctx, e); err != nil {
			return err
		}
		lat = append(lat, time.Since(t0))
	}
	report(label, lat)
	return nil
}

func report(label string, lat []time.Duration) {
	slices.Sort(lat)
	q := func(p float64) time.Duration {
		return lat[min(len(lat)-1, int(p*float64(len(lat))))].Round(time.Microsecond)
	}
	fmt.Printf("%s: n=%d p50=%v p90=%v p99=%v max=%v\n", label, len(lat), q(0.50), q(0.90), q(0.99), lat[len(lat)-1].Round(time.Microsecond))
}
