package httpapi

import (
	"context"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler/lru"
)

// TestQueryCacheKeepsOnlyShortQueries: a long query text is not kept, parsed or for APQ, so
// distinct long queries cannot fill the caches' 1000 entries with megabytes each.
func TestQueryCacheKeepsOnlyShortQueries(t *testing.T) {
	ctx := context.Background()
	docs := boundedCache[int]{inner: lru.New[int](10), limit: maxCachedQueryBytes}
	short := `{ organization(id: "avtotor") { name } }`
	long := `{ search(query: "` + strings.Repeat("a", maxCachedQueryBytes) + `") { score } }`
	docs.Add(ctx, short, 1)
	docs.Add(ctx, long, 2)
	if v, ok := docs.Get(ctx, short); !ok || v != 1 {
		t.Errorf("short query: got %v %v, want it cached", v, ok)
	}
	if _, ok := docs.Get(ctx, long); ok {
		t.Errorf("a %d-byte query was cached", len(long))
	}

	apq := boundedCache[string]{inner: lru.New[string](10), limit: maxCachedQueryBytes, size: func(q string) int { return len(q) }}
	apq.Add(ctx, "hash-short", short)
	apq.Add(ctx, "hash-long", long)
	if _, ok := apq.Get(ctx, "hash-short"); !ok {
		t.Error("short persisted query not kept")
	}
	if _, ok := apq.Get(ctx, "hash-long"); ok {
		t.Error("long persisted query kept")
	}
}
