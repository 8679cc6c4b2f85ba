package graph

import (
	"context"
	"errors"
	"sync"

	"github.com/autograph-kg/autograph/graph/feed"
	"github.com/autograph-kg/autograph/graph/gqlmodel"
	"github.com/autograph-kg/autograph/graph/model"
)

// changes serves the subscription `changes` from the feed: one ChangeEvent per matching
// revision, until the client stops, the connection ends or the feed ends the subscription.
// In the last case the reason (a subscriber too slow, a server shutting down, history that
// could not be read) is recorded in the StreamEnd of ctx, so that the transport can send it as
// the stream's last message: a subscription's channel carries events, not errors.
func (r *Resolver) changes(ctx context.Context, filter feed.Filter, since *int) (<-chan *gqlmodel.ChangeEvent, error) {
	if r.Feed == nil {
		return nil, model.Errorf(model.CodeUnavailable, "this server keeps no history, so it has no change feed")
	}
	var from *int64
	if since != nil {
		n := int64(*since)
		from = &n
	}
	sub, err := r.Feed.Subscribe(ctx, filter, from)
	if err != nil {
		return nil, err
	}
	out := make(chan *gqlmodel.ChangeEvent)
	go func() {
		defer close(out)
		defer sub.Close()
		for {
			ev, err := sub.Next(ctx)
			if err != nil {
				if ctx.Err() == nil && !errors.Is(err, feed.ErrUnsubscribed) {
					if end := streamEndFrom(ctx); end != nil {
						end.set(err)
					}
				}
				return
			}
			actor := ev.Revision.Actor
			select {
			case out <- &gqlmodel.ChangeEvent{Revision: int(ev.Revision.Number), At: ev.Revision.At, Operation: ev.Revision.Operation, Actor: &actor, Ids: ev.IDs}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// StreamEnd holds why a subscription's stream ended, when the server ended it: the
// subscription resolver records it, and the transport layer sends it to the client after the
// last event (see WithStreamEnd).
type StreamEnd struct {
	mu  sync.Mutex
	err error
}

type streamEndKey struct{}

// WithStreamEnd gives a subscription's context a StreamEnd for its resolver to fill.
func WithStreamEnd(ctx context.Context) (context.Context, *StreamEnd) {
	e := &StreamEnd{}
	return context.WithValue(ctx, streamEndKey{}, e), e
}

func streamEndFrom(ctx context.Context) *StreamEnd {
	e, _ := ctx.Value(streamEndKey{}).(*StreamEnd)
	return e
}

func (e *StreamEnd) set(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err == nil {
		e.err = err
	}
}

// Err is why the server ended the stream; nil when it did not (the stream goes on, or the
// client ended it).
func (e *StreamEnd) Err() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.err
}
