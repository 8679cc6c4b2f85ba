package neo4jstore

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Reads run as auto-commit transactions: one statement, sent with its PULL in one round trip,
// which Neo4j commits itself. A managed transaction (the driver's ExecuteQuery or ExecuteRead)
// adds a BEGIN to the first round trip and a COMMIT round trip of its own; for the store's
// one-statement reads that was about 65 µs of Neo4j's CPU and 25 µs of ours per read, a
// third of a small lookup's cost (docs/PERFORMANCE.md). The driver does not retry an
// auto-commit transaction (it cannot know whether a write in one took effect), but a read
// can be asked again, so readRetry retries it under the driver's own rules for managed
// transactions.

// retryPolicy says how a failed read is retried, as the driver retries a managed transaction:
// while the error is retryable (neo4j.IsRetryable: a lost connection, a transient server
// error, a cluster member that stepped down) and the read's context is not done, after a
// delay that starts at firstDelay and doubles, with a jitter of a fifth either way, for as
// long as window has not passed since the first attempt. A lost connection is retried at once
// up to quickRetries times in a row, since the next pooled connection usually works (a
// connection left stale by a restart of Neo4j).
type retryPolicy struct {
	window       time.Duration
	firstDelay   time.Duration
	quickRetries int
	// sleep waits d or until ctx is done (its error then); a field so that tests need not wait.
	sleep func(ctx context.Context, d time.Duration) error
}

// defaultRetryWindow is the driver's default MaxTransactionRetryTime.
const defaultRetryWindow = 30 * time.Second

func defaultRetryPolicy(window time.Duration) retryPolicy {
	if window <= 0 {
		window = defaultRetryWindow
	}
	return retryPolicy{window: window, firstDelay: time.Second, quickRetries: 3, sleep: sleepCtx}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// run calls attempt until it succeeds or the policy gives up, and returns the last error.
func (p retryPolicy) run(ctx context.Context, attempt func() ([]*neo4j.Record, error)) ([]*neo4j.Record, error) {
	start := time.Now()
	delay := p.firstDelay / 2 // the first wait is firstDelay, give or take the jitter
	quick := 0
	for {
		recs, err := attempt()
		if err == nil {
			return recs, nil
		}
		if ctx.Err() != nil || !neo4j.IsRetryable(err) {
			return nil, err
		}
		if neo4j.IsConnectivityError(err) && quick < p.quickRetries {
			quick++
			continue
		}
		quick = 0
		if p.window <= 0 || time.Since(start) > p.window {
			return nil, err
		}
		jitter := float64(delay) * 0.2
		delay = 2*delay - time.Duration(jitter) + time.Duration(2*jitter*rand.Float64())
		if p.sleep(ctx, delay) != nil {
			return nil, err
		}
	}
}

// readOnce runs one read as an auto-commit transaction in a session that reads from a reader
// in a cluster and shares ExecuteQuery's bookmark manager (so it sees every write the store
// made before it), with the caller's deadline as the transaction's timeout.
func (s *Store) readOnce(ctx context.Context, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	sess := s.driver.NewSession(ctx, s.sessionConfig(neo4j.AccessModeRead))
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, cypher, params, txTimeout(ctx)...)
	if err != nil {
		return nil, err
	}
	var recs []*neo4j.Record
	for res.Next(ctx) {
		recs = append(recs, res.Record())
	}
	if err := res.Err(); err != nil {
		return nil, err
	}
	return recs, nil
}
