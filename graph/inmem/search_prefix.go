package inmem

import (
	"cmp"
	"slices"
	"sort"
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
// Names and aliases are apart because a name key is the entity's sort key (model.SortKey is
// model.Normalize, and SearchKeys puts the normalised name first): the names that start with a
// query come in the order hits sort by within a score, so the best hits among them are found
// by walking the range from its start and stopping as soon as no later name can make the cut
// (topByPrefix), and only the aliases, few, have to be looked at out of that order.
//
// Refs hold slots of searchIndex.recs; the arrays are maintained with the trigram index
// (rebuilt with it, patched entry by entry for small writes).
type prefixIndex struct {
	names   []keyRef // the first key (the normalised name) of every entity, by text
	aliases []keyRef // every other key of every entity, by text
	words   []keyRef // for every key, its text from each word after the first, by text
}

// keyRef is a key, or the end of one, and the slot of its entity. text shares the key's memory.
type keyRef struct {
	text string
	slot uint32
}

func byRef(a, b keyRef) int {
	return cmp.Or(strings.Compare(a.text, b.text), cmp.Compare(a.slot, b.slot))
}

// refs are the refs of one record's keys, or of many records' keys.
type refs struct{ names, aliases, words []keyRef }

// add appends the refs of one record's keys.
func (rs *refs) add(keys []string, slot uint32) {
	for i, k := range keys {
		if i == 0 {
			rs.names = append(rs.names, keyRef{k, slot})
		} else {
			rs.aliases = append(rs.aliases, keyRef{k, slot})
		}
		for i := 0; i < len(k); i++ {
			if k[i] == ' ' && i+1 < len(k) {
				rs.words = append(rs.words, keyRef{k[i+1:], slot})
			}
		}
	}
}

// rebuild indexes recs, slot i for recs[i].
func (p *prefixIndex) rebuild(recs []*entityRec) {
	n := 0
	for _, r := range recs {
		n += len(r.keys)
	}
	rs := refs{names: make([]keyRef, 0, len(recs)), words: make([]keyRef, 0, n)}
	for i, r := range recs {
		rs.add(r.keys, uint32(i))
	}
	text := func(r keyRef) string { return r.text }
	sortByKey(rs.names, text, byRef)
	sortByKey(rs.aliases, text, byRef)
	sortByKey(rs.words, text, byRef)
	p.names, p.aliases, p.words = rs.names, slices.Clip(rs.aliases), slices.Clip(rs.words)
}

// add indexes the keys of the record in slot.
func (p *prefixIndex) add(keys []string, slot uint32) {
	var rs refs
	rs.add(keys, slot)
	for _, r := range rs.names {
		p.names = insertSorted(p.names, r, byRef)
	}
	for _, r := range rs.aliases {
		p.aliases = insertSorted(p.aliases, r, byRef)
	}
	for _, r := range rs.words {
		p.words = insertSorted(p.words, r, byRef)
	}
}

// remove drops the refs of keys in slot.
func (p *prefixIndex) remove(keys []string, slot uint32) {
	var rs refs
	rs.add(keys, slot)
	for _, r := range rs.names {
		p.names = removeRef(p.names, r)
	}
	for _, r := range rs.aliases {
		p.aliases = removeRef(p.aliases, r)
	}
	for _, r := range rs.words {
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
	for _, r := range startingRange(rows, q) {
		fn(r.slot)
	}
}

// startingRange is the range of rows whose text starts with q.
func startingRange(rows []keyRef, q string) []keyRef {
	i, _ := slices.BinarySearchFunc(rows, keyRef{text: q}, byRef)
	rows = rows[i:]
	// The texts that start with q are the first of those at or after q.
	return rows[:sort.Search(len(rows), func(j int) bool { return !strings.HasPrefix(rows[j].text, q) })]
}
