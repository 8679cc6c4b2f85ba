package history_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/history"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
)

// Retain prunes what is older than it keeps as soon as it starts, and leaves the graph and
// the newest revisions alone.
func TestRetainPrunesAtOnce(t *testing.T) {
	s := inmem.New()
	ctx := t.Context()
	if err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(30 * time.Millisecond)
	e, err := s.Entity(ctx, "avtotor")
	if err != nil {
		t.Fatal(err)
	}
	e.Common().Name = "Avtotor Holding"
	if _, err := s.UpsertEntity(ctx, e); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		history.Retain(rctx, s, 20*time.Millisecond, slog.New(slog.DiscardHandler))
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, err := s.HistoryBounds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if b.Floor == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("history was not pruned: %+v", b)
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	page, err := s.Revisions(ctx, model.RevisionQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.Items[0].Number != 2 {
		t.Errorf("kept revisions = %+v, want only revision 2", page.Items)
	}
	if got, err := s.Entity(ctx, "kia"); err != nil || got == nil {
		t.Errorf("the graph lost kia after pruning: %v", err)
	}
}
