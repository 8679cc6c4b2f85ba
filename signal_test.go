package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed"
)

// syncBuffer is a bytes.Buffer that the process's stderr copier and the test can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestSIGTERMDuringImportStops starts the load-test build of the server (-tags synth) on an
// empty data directory with a synthetic dataset to import, sends it SIGTERM while it
// generates the dataset and, in a second run, while it imports it, and checks that the
// process exits on its own, reporting the cancelled start, and leaves a data directory that
// opens with the seed and either none or all of the dataset: an import is committed whole or
// not at all. How long the exit took is logged (docs/PERFORMANCE.md has the figures at 1M).
func TestSIGTERMDuringImportStops(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server and imports 200,000 entities")
	}
	bin := filepath.Join(t.TempDir(), "autograph-synth")
	if out, err := exec.Command("go", "build", "-tags", "synth", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build -tags synth: %v\n%s", err, out)
	}
	const n = 200_000
	seed, err := seedCounts()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		after time.Duration // after the seed is in, before SIGTERM
	}{
		{"while generating", 0},
		{"while importing", 1500 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			stderr := &syncBuffer{}
			cmd := exec.Command(bin)
			cmd.Env = append(os.Environ(), "KG_DATA_DIR="+dir, fmt.Sprintf("KG_SYNTHETIC_ENTITIES=%d", n), "PORT=0", "KG_LOG_LEVEL=info")
			cmd.Stderr = stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			t.Cleanup(func() {
				_ = cmd.Process.Kill()
				<-exited
			})
			// The seed goes in first; the synthetic dataset comes right after it.
			deadline := time.Now().Add(time.Minute)
			for !strings.Contains(stderr.String(), "loaded the seed dataset") {
				if time.Now().After(deadline) {
					t.Fatalf("the seed did not load within a minute; stderr:\n%s", stderr)
				}
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(tc.after)
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			sent := time.Now()
			select {
			case err := <-exited:
				exited <- err
				t.Logf("exited %v after SIGTERM (%v)", time.Since(sent).Round(time.Millisecond), err)
			case <-time.After(time.Minute):
				t.Fatalf("still running a minute after SIGTERM; stderr:\n%s", stderr)
			}
			log := stderr.String()
			finished := strings.Contains(log, "loaded a synthetic dataset")
			if !finished && !strings.Contains(log, "context canceled") {
				t.Errorf("the log does not say that the start was cancelled:\n%s", log)
			}

			s, _, err := inmem.Open(t.Context(), dir)
			if err != nil {
				t.Fatalf("the data directory does not open after SIGTERM: %v", err)
			}
			defer s.Close(context.Background())
			got, err := countsOf(t.Context(), s)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case got == seed:
				t.Logf("the import was cancelled; the directory holds the seed (%v)", got)
			case got[0] == seed[0]+n:
				t.Logf("the import finished before SIGTERM (%v): this run did not test a cancel", got)
			default:
				t.Errorf("the directory holds %v (entities, relations): neither the seed %v nor the seed and all %d entities", got, seed, n)
			}
		})
	}
}

// seedCounts is what a fresh data directory holds once the seed is in: entities and
// relations.
func seedCounts() ([2]int, error) {
	s := inmem.New()
	defer s.Close(context.Background())
	if err := seed.Load(context.Background(), s); err != nil {
		return [2]int{}, err
	}
	return countsOf(context.Background(), s)
}

func countsOf(ctx context.Context, s model.Store) ([2]int, error) {
	es, err := s.Entities(ctx, model.EntityQuery{First: 1})
	if err != nil {
		return [2]int{}, err
	}
	rs, err := s.Relations(ctx, model.RelationQuery{First: 1})
	if err != nil {
		return [2]int{}, err
	}
	return [2]int{es.TotalCount, rs.TotalCount}, nil
}
