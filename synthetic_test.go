package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
)

// TestSyntheticEntities checks KG_SYNTHETIC_ENTITIES in both builds: the production binary
// (no build tag) refuses a positive value at start, saying how to get a binary that accepts
// it, and has no generator to fall back on; a binary built with -tags synth (go test -tags
// synth, as .ci/run does) loads exactly that many generated entities next to the seed.
func TestSyntheticEntities(t *testing.T) {
	cfg, err := loadConfig(envOf("KG_SYNTHETIC_ENTITIES", "300", "KG_DATA_DIR", ":memory:", "KG_SEED", "never"))
	if !syntheticBuild {
		if err == nil || !strings.Contains(err.Error(), "KG_SYNTHETIC_ENTITIES=300") || !strings.Contains(err.Error(), "-tags synth") {
			t.Fatalf("loadConfig error = %v, want one naming KG_SYNTHETIC_ENTITIES and -tags synth", err)
		}
		cfg.SyntheticEntities = 300
		if _, err := openStore(t.Context(), cfg, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "-tags synth") {
			t.Errorf("openStore error = %v, want a refusal naming -tags synth", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("loadConfig: %v", err)
	}
	store, err := openStore(t.Context(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("openStore: %v", err)
	}
	defer store.Close(context.Background())
	page, err := store.Entities(t.Context(), model.EntityQuery{First: 1})
	if err != nil {
		t.Fatal(err)
	}
	if page.TotalCount != 300 {
		t.Errorf("%d entities after KG_SYNTHETIC_ENTITIES=300 with KG_SEED=never, want 300", page.TotalCount)
	}
}
