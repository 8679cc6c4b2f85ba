package neo4jstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/autograph-kg/autograph/graph/model"
)

// keyset is the pair of fragments that page through one ordering, and, for an ordering a range
// index on its keys can serve, the condition that lets the planner scan that index in order
// for a first page (a page after a cursor has its after condition, which does the same).
type keyset struct{ after, order, scan string }

// where renders conditions as a WHERE clause on its own line, or nothing.
func where(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return "\n  WHERE " + strings.Join(conds, "\n    AND ")
}

// pageQuery fills a page template: the filter's conditions for the count, the same plus the
// keyset condition (when there is a cursor, else its scan condition) for the page, then the
// aggregate subqueries and their columns (both empty for a listing without an aggregate).
func pageQuery(template, label string, filter []string, ks keyset, hasCursor bool, blocks, cols string) string {
	page := filter
	switch {
	case hasCursor:
		page = append(append([]string(nil), filter...), ks.after)
	case ks.scan != "":
		page = append(append([]string(nil), filter...), ks.scan)
	}
	return fmt.Sprintf(template, label, where(filter), where(page), ks.order, blocks, cols)
}

// cursorParams decodes a query's after cursor (with its AfterCursor) into $afterKey and
// $afterId. It reports whether there was a cursor; a cursor of another listing is
// BAD_USER_INPUT.
func cursorParams(params map[string]any, decode func() (*model.Cursor, error)) (bool, error) {
	c, err := decode()
	if err != nil || c == nil {
		return false, err
	}
	params["afterKey"] = c.Key
	params["afterId"] = c.ID
	return true, nil
}

// pageColumns reads the total and page columns of a page statement.
func pageColumns[T any](rec *neo4j.Record) (int, []T, error) {
	total, err := recordValue[int64](rec, "total")
	if err != nil {
		return 0, nil, err
	}
	page, err := listOf[T](rec, "page")
	if err != nil {
		return 0, nil, err
	}
	return int(total), page, nil
}

// readPage runs a page statement (a "total" and a "page" of up to first+1 nodes) and decodes
// the first first nodes; the extra one only says that another page follows.
func readPage[T any](ctx context.Context, s *Store, op, cypher string, params map[string]any, first int, decode func(dbtype.Node) (T, error)) (items []T, total int, hasNext bool, err error) {
	recs, err := s.read(ctx, op, cypher, params)
	if err != nil {
		return nil, 0, false, err
	}
	type page struct {
		items   []T
		total   int
		hasNext bool
	}
	p, err := single(recs, op, func(rec *neo4j.Record) (page, error) {
		total, nodes, err := pageColumns[dbtype.Node](rec)
		if err != nil {
			return page{}, err
		}
		p := page{total: total, hasNext: len(nodes) > first}
		for _, n := range nodes[:min(len(nodes), first)] {
			v, err := decode(n)
			if err != nil {
				return page{}, err
			}
			p.items = append(p.items, v)
		}
		return p, nil
	})
	return p.items, p.total, p.hasNext, err
}
