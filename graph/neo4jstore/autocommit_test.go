package neo4jstore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// TestReadRetries holds the reads' retries to the driver's rules for managed transactions:
// what is retried, how often without waiting, how long the waits are, and when it gives up.
func TestReadRetries(t *testing.T) {
	lost := &neo4j.ConnectivityError{Inner: errors.New("connection reset")}
	transient := &neo4j.Neo4jError{Code: "Neo.TransientError.General.DatabaseUnavailable"}
	syntax := &neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError"}
	timedOut := &neo4j.Neo4jError{Code: "Neo.ClientError.Transaction.TransactionTimedOut"}
	ok := []*neo4j.Record{{Keys: []string{"x"}, Values: []any{int64(1)}}}

	// script answers the attempts in turn: an error, or nil for a success.
	type result struct {
		attempts int
		waits    []time.Duration
		err      error
	}
	run := func(ctx context.Context, p retryPolicy, script ...error) result {
		var r result
		p.sleep = func(ctx context.Context, d time.Duration) error {
			r.waits = append(r.waits, d)
			return ctx.Err()
		}
		recs, err := p.run(ctx, func() ([]*neo4j.Record, error) {
			i := r.attempts
			r.attempts++
			if i < len(script) && script[i] != nil {
				return nil, script[i]
			}
			return ok, nil
		})
		if err == nil && len(recs) != 1 {
			t.Fatalf("records = %v", recs)
		}
		r.err = err
		return r
	}
	ctx := context.Background()
	p := defaultRetryPolicy(time.Minute)

	if r := run(ctx, p); r.attempts != 1 || r.err != nil || len(r.waits) != 0 {
		t.Errorf("a read that works: %+v", r)
	}
	for _, e := range []error{syntax, timedOut, errors.New("not a driver error")} {
		if r := run(ctx, p, e); r.attempts != 1 || !errors.Is(r.err, e) {
			t.Errorf("%v is not retried: %+v", e, r)
		}
	}
	// A lost connection is asked again at once, up to quickRetries times in a row, then
	// after a wait of about 1 s, 2 s, 4 s, ...
	r := run(ctx, p, lost, lost, lost, lost, lost, lost, lost, lost, nil)
	if r.attempts != 9 || r.err != nil || len(r.waits) != 2 {
		t.Fatalf("lost connections: %+v", r)
	}
	for i, want := range []time.Duration{time.Second, 2 * time.Second} {
		if d := r.waits[i]; d < want*8/10 || d > want*12/10 {
			t.Errorf("wait %d = %s, want %s ± 20 %%", i, d, want)
		}
	}
	r = run(ctx, p, transient, transient, transient, nil)
	if r.attempts != 4 || r.err != nil || len(r.waits) != 3 {
		t.Errorf("transient errors: %+v", r)
	} else if d := r.waits[2]; d < 2560*time.Millisecond || d > 5760*time.Millisecond {
		t.Errorf("third wait = %s, want about 4 s", d)
	}
	// Past the window, the last error is returned.
	short := p
	short.window = time.Nanosecond
	if r := run(ctx, short, transient, transient, nil); r.attempts != 1 || !errors.Is(r.err, transient) {
		t.Errorf("past the window: %+v", r)
	}
	// A done context ends the retries, during a wait or before one.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if r := run(cctx, p, transient, nil); r.attempts != 1 || !errors.Is(r.err, transient) {
		t.Errorf("done context: %+v", r)
	}
	// The zero policy (a Store not made by Open) does not retry.
	if r := run(ctx, retryPolicy{}, transient, nil); r.attempts != 1 || r.err == nil {
		t.Errorf("zero policy: %+v", r)
	}
}
