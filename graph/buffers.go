package graph

import (
	"context"
	"sync"
)

// AnswerBuffers recycles the buffers answers are written into, across requests (the direct
// writer's, direct.go, and the response's, graph/httpapi): a hub's neighbourhood is 68 KB, and a new buffer of that size, zeroed and grown
// to it, for every request was the largest allocation of the request. The HTTP handler owns
// one and gives each request to /query its share (RequestBuffers), which it releases once the
// response is written; a field resolved without one (a subscription's) allocates as before.
type AnswerBuffers struct{ pool sync.Pool }

// maxKeptBuffer is the largest buffer kept for reuse: a rare answer of megabytes is not held
// for the requests after it.
const maxKeptBuffer = 1 << 20

// RequestBuffers is one request's share of AnswerBuffers: the buffers handed out to its
// fields, which hold their written answers until the response has been written from them.
// Its zero value hands out new buffers and keeps nothing.
type RequestBuffers struct {
	from *AnswerBuffers
	mu   sync.Mutex // fields resolve concurrently
	held [][]byte
	// first holds the first two buffers held, which most requests stop at (the field's
	// and the response's): held starts in it. Release puts pointers to its entries into the
	// pool, as to any of held's; they point into the request's scope, which nothing uses
	// once it is released.
	first [2][]byte
}

// BuffersKey is the context key under which a request carries its *RequestBuffers (the HTTP
// handler's request scope answers it).
type BuffersKey struct{}

// ForRequest is a request's share of b.
func (b *AnswerBuffers) ForRequest() RequestBuffers { return RequestBuffers{from: b} }

// Get is a buffer of at least n bytes' capacity, empty, held until Release; on a nil
// *RequestBuffers (no request scope), a new one.
func (r *RequestBuffers) Get(n int) []byte {
	var buf []byte
	if r != nil && r.from != nil {
		if p, ok := r.from.pool.Get().(*[]byte); ok && cap(*p) >= n {
			buf = (*p)[:0]
		} else if ok {
			r.from.pool.Put(p) // too small for this one; another field may take it
		}
	}
	if buf == nil {
		buf = make([]byte, 0, n)
	}
	r.hold(buf)
	return buf
}

// hold notes buf as handed out, to be given back by Release.
func (r *RequestBuffers) hold(buf []byte) {
	if r == nil || r.from == nil || cap(buf) > maxKeptBuffer {
		return
	}
	r.mu.Lock()
	if r.held == nil {
		r.held = r.first[:0]
	}
	r.held = append(r.held, buf)
	r.mu.Unlock()
}

// Release gives back every buffer handed out to the request: its answers have been written,
// and nothing reads them after.
func (r *RequestBuffers) Release() {
	if r == nil || r.from == nil {
		return
	}
	r.mu.Lock()
	held := r.held
	r.held = nil
	r.mu.Unlock()
	for i := range held {
		r.from.pool.Put(&held[i])
	}
}

// BuffersFrom is the request's share from ctx, nil when it has none.
func BuffersFrom(ctx context.Context) *RequestBuffers {
	r, _ := ctx.Value(BuffersKey{}).(*RequestBuffers)
	return r
}
