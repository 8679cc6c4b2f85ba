package neo4jstore

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/autograph-kg/autograph/graph/model"
)

// Rows are what Import sends to Cypher: one map per item with its id, its stored properties
// (props, written with SET x = row.props) and the hash of its content (hash). Everything
// derived — nameKey, searchKeys, titleKey, publishedStart, spanStart, spanEnd — is computed
// here, in Go, with the model's own functions, so both stores match on the same strings.

// searchTextSep joins the search keys into searchText. model.Normalize never leaves a control
// character in a key or a query, so a query is within searchText exactly when it is within
// one of the keys: searchText CONTAINS $q is any(k IN searchKeys WHERE k CONTAINS $q), and
// the TEXT index on searchText answers it.
const searchTextSep = "\n"

// entityProps are the stored properties of an entity (see the package comment for the layout).
// Optional values are left out rather than stored as null; lists are kept as they are, so an
// empty list reads back empty and a nil one nil.
func entityProps(e model.Entity) (map[string]any, error) {
	b := e.Common()
	keys := model.SearchKeys(e)
	m := map[string]any{
		"id":         b.ID,
		"kind":       string(e.Kind()),
		"name":       b.Name,
		"nameKey":    model.SortKey(b.Name),
		"searchKeys": keys,
		"searchText": strings.Join(keys, searchTextSep),
	}
	putStrings(m, "aliases", b.Aliases)
	putString(m, "description", b.Description)
	putStrings(m, "sourceIds", b.SourceIDs)
	switch v := e.(type) {
	case *model.Organization:
		m["type"] = string(v.Type)
		putEnum(m, "ownership", v.Ownership)
		putDate(m, "founded", v.Founded)
		putString(m, "countryId", v.CountryID)
	case *model.Brand:
		putEnum(m, "segment", v.Segment)
		putDate(m, "founded", v.Founded)
		putString(m, "countryId", v.CountryID)
	case *model.VehicleModel:
		putEnum(m, "powertrain", v.Powertrain)
	case *model.Plant:
		putDate(m, "opened", v.Opened)
	case *model.Place:
		m["type"] = string(v.Type)
		putString(m, "countryCode", v.CountryCode)
	case *model.Agreement:
		putDate(m, "signedOn", v.SignedOn)
		putDate(m, "announcedOn", v.AnnouncedOn)
		if v.Provisions != nil {
			js, err := json.Marshal(v.Provisions)
			if err != nil {
				return nil, fmt.Errorf("agreement %q: provisions: %w", b.ID, err)
			}
			m["provisionsJson"] = string(js)
		}
	default:
		return nil, model.Errorf(model.CodeBadUserInput, "entity %q has an unknown kind %q", b.ID, e.Kind())
	}
	return m, nil
}

// entityRow is the row of one entity.
func entityRow(e model.Entity) (map[string]any, error) {
	p, err := entityProps(e)
	if err != nil {
		return nil, err
	}
	return map[string]any{"id": e.GetID(), "props": p, "hash": contentHash(p)}, nil
}

// sourceProps are the stored properties of a source.
func sourceProps(s *model.Source) map[string]any {
	m := map[string]any{
		"id":             s.ID,
		"title":          s.Title,
		"titleKey":       model.SortKey(s.Title),
		"publishedStart": s.PublishedOn.Start(),
	}
	if !s.PublishedOn.IsZero() {
		m["publishedOn"] = s.PublishedOn.String()
	}
	putString(m, "publisherId", s.PublisherID)
	putString(m, "dateline", s.Dateline)
	putString(m, "url", s.URL)
	putString(m, "language", s.Language)
	return m
}

// sourceRow is the row of one source.
func sourceRow(s *model.Source) map[string]any {
	p := sourceProps(s)
	return map[string]any{"id": s.ID, "props": p, "hash": contentHash(p)}
}

// relationProps are the stored properties of a relation; its type and endpoints are the
// relationship's own.
func relationProps(r *model.Relation) map[string]any {
	m := map[string]any{
		"id":     r.ID,
		"status": string(r.Status),
	}
	putDate(m, "validFrom", r.ValidFrom)
	putDate(m, "validTo", r.ValidTo)
	if r.Quantity != nil {
		m["quantity"] = int64(*r.Quantity)
	}
	putString(m, "note", r.Note)
	putStrings(m, "sourceIds", r.SourceIDs)
	span := r.Span()
	putString(m, "spanStart", span.Start)
	putString(m, "spanEnd", span.End)
	return m
}

// relationRow is the row of one relation. The hash covers the type and endpoints too, so a
// relation that moves counts as changed. createdAt is filled in when the relation is
// recreated under the same id (see cypherDeleteMovedRelations).
func relationRow(r *model.Relation) map[string]any {
	p := relationProps(r)
	h := maps.Clone(p)
	h["type"], h["from"], h["to"] = string(r.Type), r.FromID, r.ToID
	return map[string]any{
		"id":        r.ID,
		"type":      string(r.Type),
		"from":      r.FromID,
		"to":        r.ToID,
		"props":     p,
		"hash":      contentHash(h),
		"createdAt": nil,
	}
}

// contentHash fingerprints stored properties so Import can leave unchanged items alone. An
// empty list hashes like an absent one (and empty provisions like none), because the embedded
// store treats nil and empty lists as the same content.
func contentHash(props map[string]any) string {
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(props)) {
		if k == "searchText" {
			// Derived from searchKeys, which the hash covers; leaving it out keeps the hashes
			// of entities written before it existed, so a re-import does not rewrite them.
			continue
		}
		switch v := props[k].(type) {
		case []string:
			if len(v) == 0 {
				continue
			}
		case string:
			if k == "provisionsJson" && v == "[]" {
				continue
			}
		}
		// %#v spells out type and value (strings quoted), so no two contents print alike.
		fmt.Fprintf(h, "%q=%#v\n", k, props[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

func putString(m map[string]any, key, v string) {
	if v != "" {
		m[key] = v
	}
}

func putStrings(m map[string]any, key string, v []string) {
	if v != nil {
		m[key] = slices.Clone(v)
	}
}

func putDate(m map[string]any, key string, d *model.Date) {
	if d != nil {
		m[key] = d.String()
	}
}

func putEnum[T ~string](m map[string]any, key string, v *T) {
	if v != nil {
		m[key] = string(*v)
	}
}

// batches splits rows into slices of at most n, so no single statement carries an unbounded
// parameter.
func batches[T any](rows []T, n int) [][]T {
	var out [][]T
	for len(rows) > 0 {
		k := min(n, len(rows))
		out = append(out, rows[:k])
		rows = rows[k:]
	}
	return out
}

// nonNil sends an empty list rather than null, which UNWIND would also accept but reads worse.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// distinct returns ids without duplicates, in first-seen order, so a batch sends each id once.
func distinct(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
