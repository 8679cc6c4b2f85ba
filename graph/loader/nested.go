package loader

import (
	"context"

	"github.com/autograph-kg/autograph/graph/model"
)

// ReadNested reads ahead for a selection that follows typed relation lists (see
// model.RelationsTree): the entities with the given ids and every level of trees, in one call
// of store when it is a model.NestedReader. The answer fills the request's caches as if the
// resolvers below had asked for it: the entities, and each level's pages under the query and
// way of asking of RelationsOfWithEnds (of RelatedPage for a slim level), so that the
// resolvers of those lists find their pages and the entities at the other ends without a
// store call; the entities read in part (model.Nested.Partial) serve EntitiesReading only.
// store must be the reader the loaders were built over (the resolvers' reader). The ids it
// does not find are cached as unknown. An error leaves the caches as they were, and the
// resolvers then ask as usual.
func (l *Loaders) ReadNested(ctx context.Context, store model.BatchReader, ids []string, trees []model.RelationsTree) error {
	var got *model.Nested
	var err error
	if sr, ok := store.(model.SharedReader); ok {
		// What the loaders cache is read-only already (one value serves every resolver
		// of the request): the store's own values do.
		got, err = sr.SharedReadNested(ctx, ids, trees)
	} else {
		got, err = model.ReadNested(ctx, store, ids, trees)
	}
	if err != nil {
		return err
	}
	if len(got.Trees) != len(trees) {
		return nil // not an answer to these trees; nothing is cached
	}
	l.primeEntities(got.Entities)
	l.primePartial(got.Partial, got.PartialFields)
	var missing []string
	for _, id := range ids {
		if _, ok := got.Entities[id]; !ok {
			missing = append(missing, id)
		}
	}
	primeMissing(&l.entities, missing)
	l.primeTrees(trees, got.Trees)
	return nil
}

// primeMissing caches that keys are unknown, as a batch that did not find them would.
func primeMissing[K comparable, V any](b *batcher[K, V], keys []K) {
	if len(keys) == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.entries == nil {
		b.entries = make(map[K]*entry[V], len(keys))
	}
	done := resolved
	block := make([]entry[V], 0, len(keys)) // never grows: the entries' addresses hold
	for _, k := range keys {
		if _, ok := b.entries[k]; ok {
			continue
		}
		block = append(block, entry[V]{done: done, err: errNotFound})
		b.entries[k] = &block[len(block)-1]
	}
}

// primeTrees caches the pages of each level of trees under the key RelationsOfWithEnds asks
// with for the level's query (as the caller gave it, unnormalised, as the resolvers do).
func (l *Loaders) primeTrees(trees []model.RelationsTree, answers []model.TreePages) {
	for i, t := range trees {
		if i >= len(answers) {
			return
		}
		k := l.rememberAs(t.Query, t.Key)
		ways, n := 3, 0 // the ways of asking a page serves
		if answers[i].Slim {
			ways = 1
		}
		for _, p := range answers[i].Pages {
			if p != nil {
				n += len(p.Items)
			}
		}
		pages := make(map[relKey]*model.RelationPage, ways*len(answers[i].Pages))
		rels := make([]*model.Relation, 0, n)
		for id, p := range answers[i].Pages {
			if p != nil {
				// A whole page serves every way of asking (RelationsOf too: the other ends
				// are cached all the same); a slim one serves only RelatedPage.
				pages[relKey{id: id, relAsk: relAsk{query: k, ends: true, slim: true}}] = p
				if !answers[i].Slim {
					pages[relKey{id: id, relAsk: relAsk{query: k, ends: true}}] = p
					pages[relKey{id: id, relAsk: relAsk{query: k}}] = p
				}
				rels = append(rels, p.Items...)
			}
		}
		l.relationsOf.prime(pages)
		// As a batch of the relations loader would: what the relations cite comes together.
		l.AnnounceRelations(rels)
		l.primeTrees(t.Next, answers[i].Next)
	}
}

// primePartial keeps the entities a nested read brought with only fields, for EntitiesReading.
// The map becomes the loaders': nothing else may change it.
func (l *Loaders) primePartial(ents map[string]model.Entity, fields model.EntityFields) {
	if len(ents) == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, partialSet{ents: ents, fields: fields})
}

// EntitiesReading is Entities for a caller that reads only the fields need gives of the
// entities (their id and kind always): an entity a nested read brought with at least those
// fields serves it without a store call (see model.Nested.Partial); the others are Entities.
// need is called only when the request holds entities read in part.
func (l *Loaders) EntitiesReading(ctx context.Context, ids []string, need func() model.EntityFields) ([]model.Entity, error) {
	l.mu.Lock()
	some := len(l.partial) > 0
	l.mu.Unlock()
	if !some {
		return l.Entities(ctx, ids)
	}
	f := need()
	var served map[string]model.Entity
	var rest []string
	l.mu.Lock()
	for _, id := range ids {
		if e, ok := l.partialEntity(id, f); ok {
			if served == nil {
				served = make(map[string]model.Entity, len(ids))
			}
			served[id] = e
		} else {
			rest = append(rest, id)
		}
	}
	l.mu.Unlock()
	if served == nil {
		return l.Entities(ctx, ids)
	}
	loaded, err := l.Entities(ctx, rest)
	if err != nil {
		return nil, err
	}
	for _, e := range loaded {
		served[e.GetID()] = e
	}
	out := make([]model.Entity, 0, len(ids))
	for _, id := range ids {
		if e, ok := served[id]; ok {
			out = append(out, e)
		}
	}
	return out, nil
}
