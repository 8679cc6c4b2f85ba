package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/autograph-kg/autograph/graph/neo4jstore"
	"github.com/autograph-kg/autograph/seed"
	"github.com/autograph-kg/autograph/seed/synth"
)

// load is "neo4jcompare load [-batch N] [-again] ENTITIES": it imports the seed and then the
// synthetic dataset of ENTITIES entities (seed/synth, seed 1, as the load-test server does)
// into the database NEO4J_URI names, through the store's own Import, and prints how long each
// import took, with the machine's load average. -again imports the synthetic dataset a second
// time (an idempotent re-import, which changes nothing). It prints figures and asserts nothing
// about them; an import that fails is an error.
func load(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("neo4jcompare load", flag.ContinueOnError)
	fs.SetOutput(out)
	batch := fs.Int("batch", 0, "rows per import transaction (0: the store's default)")
	workers := fs.Int("workers", 0, "import transactions at once (0: the store's default)")
	again := fs.Bool("again", false, "import the synthetic dataset a second time")
	verbose := fs.Bool("v", false, "log the store's notes, the time of each import phase among them, to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("load: want one argument, the number of synthetic entities")
	}
	n, err := strconv.Atoi(fs.Arg(0))
	if err != nil || n < 0 {
		return fmt.Errorf("load: %q is not a number of entities", fs.Arg(0))
	}
	d0, _, err := neo4jConn(ctx) // loopback only, as reset
	if err != nil {
		return err
	}
	if err := d0.Close(ctx); err != nil {
		return err
	}
	cfg, err := neo4jstore.ConfigFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	cfg.ImportBatchSize = *batch
	cfg.ImportWorkers = *workers
	if *verbose {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	s, err := neo4jstore.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close(context.WithoutCancel(ctx))
	fmt.Fprintf(out, "neo4jcompare load: %d synthetic entities, batch %d rows (0 = default %d), %d workers (0 = default %d); load average %s\n",
		n, *batch, neo4jstore.DefaultImportBatchSize, *workers, neo4jstore.DefaultImportWorkers, loadAvg())
	start := time.Now()
	if err := seed.Load(ctx, s); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintf(out, "seed imported in %.2f s\n", time.Since(start).Seconds())
	if n == 0 {
		return nil
	}
	start = time.Now()
	d := synth.Generate(n, 1)
	fmt.Fprintf(out, "generated %d entities, %d relations, %d sources in %.2f s\n",
		len(d.Entities()), len(d.Relations), len(d.Sources), time.Since(start).Seconds())
	start = time.Now()
	if err := s.Import(ctx, d); err != nil {
		return fmt.Errorf("synthetic import after %.1f s: %w", time.Since(start).Seconds(), err)
	}
	fmt.Fprintf(out, "synthetic dataset imported in %.2f s (load average %s)\n", time.Since(start).Seconds(), loadAvg())
	if *again {
		start = time.Now()
		if err := s.Import(ctx, d); err != nil {
			return fmt.Errorf("second synthetic import after %.1f s: %w", time.Since(start).Seconds(), err)
		}
		fmt.Fprintf(out, "the same dataset imported again in %.2f s (load average %s)\n", time.Since(start).Seconds(), loadAvg())
	}
	return nil
}

// loadAvg is the machine's 1, 5 and 15 minute load averages.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
