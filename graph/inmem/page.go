package inmem

import (
	"slices"

	"github.com/autograph-kg/autograph/graph/model"
)

// pager collects one keyset page of a listing while counting every row that matches, since
// TotalCount spans all pages. Rows are offered in the listing's order.
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

// offer counts a matching row and keeps it if it follows the cursor and the page has room;
// item is called only for kept rows, so rows on other pages are never copied.
func (p *pager[T]) offer(key, id string, item func() T) {
	if p.take(key, id) {
		p.items = append(p.items, item())
	}
}

// take counts a matching row and says whether the page keeps it (offer without a function
// to call: a closure per row made the caller's loop allocate).
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

// inOrder yields the rows of a view ascending, or descending when desc is set: a descending
// ordering is the ascending one reversed, key and id alike.
func inOrder[T any](rows []T, desc bool) func(yield func(int, T) bool) {
	if desc {
		return slices.Backward(rows)
	}
	return slices.All(rows)
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
