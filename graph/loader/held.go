package loader

import (
	"errors"

	"github.com/autograph-kg/autograph/graph/model"
)

// Held answers are for a caller that writes an answer from what the loaders hold already and
// leaves everything else to the resolvers (graph's direct writer): a store call it does not
// make is one a resolver makes as before, so the store sees the same calls either way. Each
// answers only when every value it needs is fetched already, without an error, and never
// starts a fetch; false otherwise.

// held is the entry of k if it is fetched already (its value or its error).
func (b *batcher[K, V]) held(k K) (*entry[V], bool) {
	b.mu.Lock()
	e, ok := b.entries[k]
	b.mu.Unlock()
	if !ok {
		return nil, false
	}
	select {
	case <-e.done:
		return e, true
	default:
		return nil, false
	}
}

// HeldRelatedPage is what RelatedPage(ctx, id, q) answers, if it is fetched already.
func (l *Loaders) HeldRelatedPage(id string, q model.RelationsOfQuery) (*model.RelationPage, bool) {
	e, ok := l.relationsOf.held(relKey{id: id, relAsk: relAsk{query: q.Key(), ends: true, slim: true}})
	if !ok || e.err != nil || e.val == nil {
		return nil, false
	}
	return e.val, true
}

// HeldRelationsPage is what RelationsOf(ctx, id, q) or RelationsOfWithEnds(ctx, id, q)
// answers for the query q whose key is k, if either is fetched already: the same whole page
// (a slim one serves neither). It takes the key, which a caller asking it of several
// entities makes once.
func (l *Loaders) HeldRelationsPage(id string, k model.RelationsOfKey) (*model.RelationPage, bool) {
	for _, ends := range [2]bool{true, false} {
		if e, ok := l.relationsOf.held(relKey{id: id, relAsk: relAsk{query: k, ends: ends}}); ok && e.err == nil && e.val != nil {
			return e.val, true
		}
	}
	return nil, false
}

// HeldEntitiesReading is what EntitiesReading(ctx, ids, need) answers when need gives f, if
// every entity it needs is held already: an entity a nested read brought with the fields f
// (or more), else the entity the entity loader fetched; an id the store does not know is
// left out, as there.
func (l *Loaders) HeldEntitiesReading(ids []string, f model.EntityFields) ([]model.Entity, bool) {
	out := make([]model.Entity, 0, len(ids))
	for _, id := range ids {
		l.mu.Lock()
		p, ok := l.partialEntity(id, f)
		l.mu.Unlock()
		if ok {
			out = append(out, p)
			continue
		}
		e, ok := l.entities.held(id)
		switch {
		case !ok:
			return nil, false
		case errors.Is(e.err, errNotFound):
		case e.err != nil:
			return nil, false
		default:
			out = append(out, e.val)
		}
	}
	return out, true
}
