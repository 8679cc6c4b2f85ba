package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/autograph-kg/autograph/graph/loader"
	"github.com/autograph-kg/autograph/graph/model"
)

// Reading the past: a root query field given knownAt answers from the graph as it stood at
// that moment (transaction time), beside asOf (valid time). KnownAt, a field middleware,
// sees the argument before the field resolves, finds the revision the moment falls on and
// gives the field, and everything below it, a reader of that revision and loaders of their
// own over it; resolvers read through Resolver.reader, which honours it.

type pastKey struct{}

// reader is the reader a resolver reads through: the past one KnownAt put in ctx, or the
// store.
func (r *Resolver) reader(ctx context.Context) model.Reader {
	if p, ok := ctx.Value(pastKey{}).(model.Reader); ok {
		return p
	}
	return r.Reader
}

// KnownAt is the field middleware that reads a root field's knownAt (see above). A moment at
// or after the newest revision is now, and the store answers as usual.
func (r *Resolver) KnownAt(ctx context.Context, next graphql.Resolver) (any, error) {
	ctx, err := r.AtKnownMoment(ctx)
	if err != nil {
		return nil, err
	}
	return next(ctx)
}

// AtKnownMoment is the context the field being resolved reads in: ctx itself, or, for a root
// field given a past knownAt, ctx with that revision's reader and loaders of their own (see
// KnownAt). It lets one field middleware do KnownAt's part and more without a second layer.
func (r *Resolver) AtKnownMoment(ctx context.Context) (context.Context, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Object != "Query" || fc.Args == nil {
		return ctx, nil
	}
	t, ok := fc.Args["knownAt"].(*time.Time)
	if !ok || t == nil {
		return ctx, nil
	}
	if r.Pasts == nil {
		return nil, model.Errorf(model.CodeBadUserInput, "knownAt needs history, which this server does not keep")
	}
	n, past, err := r.Pasts.RevisionAt(ctx, *t)
	if err != nil {
		return nil, err
	}
	if !past {
		return ctx, nil
	}
	p := r.Pasts.At(n)
	ctx = context.WithValue(ctx, pastKey{}, p)
	return loader.With(ctx, loader.New(p)), nil
}
