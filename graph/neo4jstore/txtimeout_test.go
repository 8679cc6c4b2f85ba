package neo4jstore

import (
	"context"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

func TestTxTimeoutCarriesTheDeadline(t *testing.T) {
	if got := txTimeout(context.Background()); got != nil {
		t.Errorf("no deadline: %d configurers, want none", len(got))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var c neo4j.TransactionConfig
	for _, f := range txTimeout(ctx) {
		f(&c)
	}
	if c.Timeout <= 2*time.Second || c.Timeout > 3*time.Second {
		t.Errorf("timeout %v, want just under 3s", c.Timeout)
	}
	past, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	c = neo4j.TransactionConfig{}
	for _, f := range txTimeout(past) {
		f(&c)
	}
	if c.Timeout <= 0 {
		t.Errorf("a passed deadline gave timeout %v; zero would mean the server default", c.Timeout)
	}
}
