package inmem

import (
	"github.com/autograph-kg/autograph/graph/model"
)

// pager collects one keyset page of a listing while counting every row that matches, since
// TotalCount spans all pages. Rows are taken in the listing's order.
type pager[T any] struct {
	first int
	after *model.Cursor
	desc  bool
	items []T
	more  bool
	total int
}

// newPager starts a page of first rows (a normalised query's First) after the cursor.
func newPager[T any](first int, after *model.Cursor, desc bool) *pager[T] {
	return &pager[T]{first: first, after: after, desc: desc}
}

// take counts a matching row and says whether the page keeps it: it follows the cursor and
// the page has room. The caller appends what it keeps to items, so rows on other pages are
// never copied.
func (p *pager[T]) take(key, id string) bool {
	p.total++
	if p.after != nil && !p.after.After(key, id, p.desc) {
		return false
	}
	if len(p.items) < p.first {
		return true
	}
	p.more = true
	return false
}

// rowAt is the k-th row of a view in its order: ascending, or descending when desc is set (a
// descending ordering is the ascending one reversed, key and id alike). The walks loop over
// k rather than range over an iterator, whose loop body is a closure that escaped: an
// allocation per page.
func rowAt[T any](rows []T, k int, desc bool) T {
	if desc {
		return rows[len(rows)-1-k]
	}
	return rows[k]
}

// set makes a membership set from a list; nil for an empty list, which does not filter.
func set[T comparable](xs []T) map[T]bool {
	if len(xs) == 0 {
		return nil
	}
	m := make(map[T]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}
