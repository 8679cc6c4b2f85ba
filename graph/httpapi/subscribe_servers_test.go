package httpapi_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/feed"
	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/neo4jstore"
	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"
	"github.com/autograph-kg/autograph/seed"
)

// TestChangesReachEveryServer: two servers on one database, each with its own feed polling
// at the default interval; a write through A reaches a subscriber of B, which hears of it only
// from the stored history (A's writes wake A's feed, not B's). On the embedded store the two
// share one store; on Neo4j each opens its own driver, as two processes would.
func TestChangesReachEveryServer(t *testing.T) {
	t.Run("embedded", func(t *testing.T) {
		store := inmem.New()
		if err := seed.Load(context.Background(), store); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = store.Close(context.Background()) })
		writesReachTheOtherServer(t, store, store)
	})
	t.Run("neo4j", func(t *testing.T) {
		s := neo4jtest.Use(t)
		open := func() model.Store {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			st, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: s.URI, Username: s.Username, Password: s.Password, Database: s.Database, AcquireTimeout: 10 * time.Second})
			if err != nil {
				t.Fatalf("opening the Neo4j store on %s: %v", s, err)
			}
			t.Cleanup(func() { _ = st.Close(context.Background()) })
			return st
		}
		a, b := open(), open()
		if _, ok := a.(model.History); !ok {
			t.Fatal("the Neo4j store keeps no history")
		}
		if err := seed.Load(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		writesReachTheOtherServer(t, a, b)
	})
}

func writesReachTheOtherServer(t *testing.T, storeA, storeB model.Store) {
	a := newPollingServer(t, httpapi.Options{Store: storeA}, feed.DefaultInterval)
	b := newPollingServer(t, httpapi.Options{Store: storeB}, feed.DefaultInterval)
	since := b.lastRevision(t)
	c := dialWS(t, b.URL, nil)
	c.subscribe("1", changesQuery, map[string]any{"since": since})
	s, _ := openSSE(t, b.URL, "", changesQuery, map[string]any{"since": since})
	b.waitForSubscribers(t, 2)
	const writes = 30
	var ws, sse []time.Duration
	for i := range writes {
		// Writes land at different points of B's polling cycle.
		time.Sleep(time.Duration(i*37%200) * time.Millisecond)
		id := fmt.Sprintf("feed-servers-%d", i)
		done := time.Now()
		a.write(t, id)
		// Within 2s each (read and event enforce it).
		if ev := c.event("1"); !slices.Equal(ev.IDs, []string{id}) || ev.Revision != since+i+1 {
			t.Fatalf("websocket on B: got %+v, want revision %d of %s", ev, since+i+1, id)
		}
		ws = append(ws, time.Since(done))
		if ev := s.event(); !slices.Equal(ev.IDs, []string{id}) {
			t.Fatalf("sse on B: got %+v, want %s", ev, id)
		}
		sse = append(sse, time.Since(done))
	}
	t.Logf("write sent to A -> event on B (B polls every %s), %d writes: websocket %s; sse %s",
		feed.DefaultInterval, writes, percentiles(ws), percentiles(sse))
}
