package inmem

import (
	"cmp"
	"slices"
	"strings"
)

// prefixIndex finds the best search hits of a short query without scoring every entity that
// contains it. model.ScoreMatch ranks an exact or prefix match of a key above a match at the
// start of a later word, and both above any other substring; so when the entities with a key
// starting with the query are at least as many as the hits asked for, the best hits are all
// among them, and when they are not, those that also have a word starting with the query.
// Both sets are ranges of sorted arrays: every key, and every key from each word after the
// first. A three-letter query at 1M entities has hundreds of thousands of trigram candidates
// (seconds of scoring) and a few hundred keys that start with it.
//
// Refs hold slots of searchIndex.recs; the arrays are maintained with the trigram index
// (rebuilt with it, patched entry by entry for small writes).
type prefixIndex struct {
	keys  []keyRef // every key of every entity, by text
	words []keyRef // for every key, its text from each word after the first, by text
}

// keyRef is a key, or the end of one, and the slot of its entity. text shares the key's memory.
type keyRef struct {
	text string
	slot uint32
}

func byRef(a, b keyRef) int {
	return cmp.Or(strings.Compare(a.text, b.text), cmp.Compare(a.slot, b.slot))
}

// refsOf appends the refs of one record's keys to keys and words.
func refsOf(keys []string, slot uint32, ks, ws []keyRef) ([]keyRef, []keyRef) {
	for _, k := range keys {
		ks = append(ks, keyRef{k, slot})
		for i := 0; i < len(k); i++ {
			if k[i] == ' ' && i+1 < len(k) {
				ws = append(ws, keyRef{k[i+1:], slot})
			}
		}
	}
	return ks, ws
}

// rebuild indexes recs, slot i for recs[i].
func (p *prefixIndex) rebuild(recs []*entityRec) {
	n := 0
	for _, r := range recs {
		n += len(r.keys)
	}
	ks, ws := make([]keyRef, 0, n), make([]keyRef, 0, n)
	for i, r := range recs {
		ks, ws = refsOf(r.keys, uint32(i), ks, ws)
	}
	text := func(r keyRef) string { return r.text }
	sortByKey(ks, text, byRef)
	sortByKey(ws, text, byRef)
	p.keys, p.words = ks, slices.Clip(ws)
}

// add indexes the keys of the record in slot.
func (p *prefixIndex) add(keys []string, slot uint32) {
	ks, ws := refsOf(keys, slot, nil, nil)
	for _, r := range ks {
		p.keys = insertSorted(p.keys, r, byRef)
	}
	for _, r := range ws {
		p.words = insertSorted(p.words, r, byRef)
	}
}

// remove drops the refs of keys in slot.
func (p *prefixIndex) remove(keys []string, slot uint32) {
	ks, ws := refsOf(keys, slot, nil, nil)
	for _, r := range ks {
		p.keys = removeRef(p.keys, r)
	}
	for _, r := range ws {
		p.words = removeRef(p.words, r)
	}
}

func removeRef(rows []keyRef, r keyRef) []keyRef {
	if i, ok := slices.BinarySearchFunc(rows, r, byRef); ok {
		return slices.Delete(rows, i, i+1)
	}
	return rows
}

// starting calls fn with the slot of every ref in rows whose text starts with q.
func starting(rows []keyRef, q string, fn func(slot uint32)) {
	i, _ := slices.BinarySearchFunc(rows, keyRef{text: q}, byRef)
	for ; i < len(rows) && strings.HasPrefix(rows[i].text, q); i++ {
		fn(rows[i].slot)
	}
}
