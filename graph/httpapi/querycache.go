package httpapi

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// maxCachedQueryBytes is the longest query text the server keeps parsed, or keeps for APQ.
// The product's own queries (the explorer's, the README's) are a few KiB; a long document is
// parsed again each time instead. Without it, 1000 distinct 1 MiB queries (each refused, but
// cached once valid) pinned about 1 GiB of heap for any anonymous client.
const maxCachedQueryBytes = 8 << 10

// boundedCache keeps an entry only while its key and its size are within limit: the LRU
// bounds the number of entries, this bounds what each may hold.
type boundedCache[T any] struct {
	inner graphql.Cache[T]
	limit int
	size  func(T) int
}

func (c boundedCache[T]) Get(ctx context.Context, key string) (T, bool) {
	return c.inner.Get(ctx, key)
}

func (c boundedCache[T]) Add(ctx context.Context, key string, value T) {
	if len(key) > c.limit || (c.size != nil && c.size(value) > c.limit) {
		return
	}
	c.inner.Add(ctx, key, value)
}
