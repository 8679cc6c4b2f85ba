package model

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Cursors are opaque to clients but plain to us: base64url of a JSON array
// [listing, order, arguments, key, id]. They name a position in one listing, not an offset, so
// they stay valid when other rows come and go (keyset pagination), and they are bound to the
// listing that made them: what it lists (organizations, brands, sources, relations, an
// entity's relations, ...), its ordering, and a fingerprint of its other arguments (filter,
// direction). A cursor passed to any other listing is BAD_USER_INPUT, so a client cannot page
// through brands with the endCursor of organizations, or of organizations filtered otherwise.
//
// Each query type makes its cursors (Cursor) and reads its After (AfterCursor); the first
// page size (First) is not part of the listing, so pages of any size chain.

// Cursor is a decoded position: the sort key and id of the last row seen.
type Cursor struct {
	Key string
	ID  string
}

// listing identifies the connection a cursor belongs to.
type listing struct {
	// what names what is listed, in the API's words ("organizations", "sources").
	what string
	// order is the ordering's tag ("NAME:asc"); relations have one ordering, by id.
	order string
	// args fingerprints the other arguments; "" when there are none.
	args string
}

// orderTag names an ordering inside a cursor.
func orderTag(o Order) string {
	if o.Desc {
		return string(o.Field) + ":desc"
	}
	return string(o.Field) + ":asc"
}

// readOrder is an ordering tag in words, for messages.
func readOrder(tag string) string {
	f, dir, _ := strings.Cut(tag, ":")
	if dir == "desc" {
		return f + " descending"
	}
	return f + " ascending"
}

// fingerprint hashes a listing's arguments, which the caller has put in canonical form; no
// arguments at all fingerprint as "".
func fingerprint(args any) string {
	b, _ := json.Marshal(args)
	if string(b) == "{}" {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}

// canonical sorts and dedupes a list of filter values, which are ORed: their order and
// repetitions do not change the listing. Empty lists do not filter, so they become nil.
func canonical[T ~string](xs []T) []T {
	if len(xs) == 0 {
		return nil
	}
	c := slices.Clone(xs)
	slices.Sort(c)
	return slices.Compact(c)
}

// encode makes the cursor of the position (key, id) in l: the JSON array is written as
// json.Marshal writes it (TestCursorEncodingIsJSON), on the stack when it is short, since a
// page makes one cursor per row.
func (l listing) encode(key, id string) string {
	var stack [256]byte
	b := append(stack[:0], '[')
	for i, s := range [...]string{l.what, l.order, l.args, key, id} {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	b = append(b, ']')
	return base64.RawURLEncoding.EncodeToString(b)
}

// appendJSONString appends s as a JSON string, byte for byte as json.Marshal writes it: a
// string of printable ASCII without the characters it escapes is copied between quotes, any
// other goes through json.Marshal.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			m, _ := json.Marshal(s)
			return append(b, m...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// decodeAfter is listing().decode(after), without making the listing, whose fingerprint
// of the arguments costs a JSON encoding and a hash, when there is no cursor to check.
func decodeAfter(after string, listing func() listing) (*Cursor, error) {
	if after == "" {
		return nil, nil
	}
	return listing().decode(after)
}

// decode reads after, a cursor that must come from listing l; "" is no cursor (nil).
func (l listing) decode(after string) (*Cursor, error) {
	if after == "" {
		return nil, nil
	}
	bad := Errorf(CodeBadUserInput, "invalid cursor %q: pass an endCursor of the same query", truncate(after, 64))
	b, err := base64.RawURLEncoding.DecodeString(after)
	if err != nil {
		return nil, bad
	}
	var parts []string
	if err := json.Unmarshal(b, &parts); err != nil || len(parts) != 5 || parts[4] == "" {
		return nil, bad
	}
	got := listing{what: parts[0], order: parts[1], args: parts[2]}
	switch {
	case got.what != l.what:
		return nil, Errorf(CodeBadUserInput, "the cursor comes from %s, not from %s: pass an endCursor of the same listing", truncate(got.what, 40), l.what)
	case got.order != l.order:
		return nil, Errorf(CodeBadUserInput, "the cursor was made for %s ordered by %s, not by %s: pass an endCursor of the same ordering",
			l.what, truncate(readOrder(got.order), 40), readOrder(l.order))
	case got.args != l.args:
		return nil, Errorf(CodeBadUserInput, "the cursor was made for %s with other arguments (where, types, status, asOf or direction): pass an endCursor of the same query", l.what)
	}
	return &Cursor{Key: parts[3], ID: parts[4]}, nil
}

// entityListings names the entity listings as the API does.
var entityListings = map[EntityKind]string{
	"":               "entities",
	KindOrganization: "organizations",
	KindBrand:        "brands",
	KindVehicleModel: "vehicleModels",
	KindPlant:        "plants",
	KindPlace:        "places",
	KindAgreement:    "agreements",
}

// SortOrder is the ordering the query asks for, with the default filled in: NAME.
func (q EntityQuery) SortOrder() Order { return sortOrder(q.Order, SortByName) }

func (q EntityQuery) listing() listing {
	what, ok := entityListings[q.Kind]
	if !ok {
		what = "entities of kind " + string(q.Kind)
	}
	type attr struct {
		F string
		V []string
	}
	// Where is fingerprinted as Normalize leaves it, so the cursors a resolver makes from the
	// query it sent match those the store reads back from the normalised one.
	where, _ := NormalizeEntityWhere(q.Filter.Where)
	args := struct {
		IDs   []string     `json:",omitempty"`
		Name  string       `json:",omitempty"`
		Attr  []attr       `json:",omitempty"`
		Where *EntityWhere `json:",omitempty"`
	}{IDs: canonical(q.Filter.IDs), Name: Normalize(q.Filter.NameContains), Where: where}
	for _, a := range q.Filter.Attrs {
		if v := canonical(a.Values); v != nil {
			args.Attr = append(args.Attr, attr{a.Field, v})
		}
	}
	slices.SortFunc(args.Attr, func(a, b attr) int {
		if c := strings.Compare(a.F, b.F); c != 0 {
			return c
		}
		return slices.Compare(a.V, b.V)
	})
	return listing{what: what, order: orderTag(q.SortOrder()), args: fingerprint(args)}
}

// Cursor is the cursor of entity e in this listing.
func (q EntityQuery) Cursor(e Entity) string {
	return q.CursorAt(EntityOrderKey(e, q.SortOrder()), e.GetID())
}

// Cursors is Cursor for the rows of one page: the listing is worked out once, not per row.
func (q EntityQuery) Cursors() func(Entity) string {
	l, o := q.listing(), q.SortOrder()
	return func(e Entity) string { return l.encode(EntityOrderKey(e, o), e.GetID()) }
}

// CursorAt is the cursor of the position (key, id) in this listing, whether or not a row is
// there.
func (q EntityQuery) CursorAt(key, id string) string { return q.listing().encode(key, id) }

// AfterCursor decodes q.After: nil when there is none, BAD_USER_INPUT when it is not a cursor
// of this listing.
func (q EntityQuery) AfterCursor() (*Cursor, error) { return decodeAfter(q.After, q.listing) }

// SortOrder is the ordering the query asks for, with the default filled in: PUBLISHED_ON.
func (q SourceQuery) SortOrder() Order { return sortOrder(q.Order, SortByPublishedOn) }

func (q SourceQuery) listing() listing {
	args := struct {
		IDs        []string `json:",omitempty"`
		Title      string   `json:",omitempty"`
		Publishers []string `json:",omitempty"`
	}{canonical(q.Filter.IDs), Normalize(q.Filter.TitleContains), canonical(q.Filter.PublisherIDs)}
	return listing{what: "sources", order: orderTag(q.SortOrder()), args: fingerprint(args)}
}

// Cursor is the cursor of source s in this listing.
func (q SourceQuery) Cursor(s *Source) string {
	return q.CursorAt(SourceSortKey(s, q.SortOrder().Field), s.ID)
}

// Cursors is Cursor for the rows of one page, like EntityQuery.Cursors.
func (q SourceQuery) Cursors() func(*Source) string {
	l, f := q.listing(), q.SortOrder().Field
	return func(s *Source) string { return l.encode(SourceSortKey(s, f), s.ID) }
}

// CursorAt is the cursor of the position (key, id) in this listing.
func (q SourceQuery) CursorAt(key, id string) string { return q.listing().encode(key, id) }

// AfterCursor decodes q.After, like EntityQuery.AfterCursor.
func (q SourceQuery) AfterCursor() (*Cursor, error) { return decodeAfter(q.After, q.listing) }

// relationOrderTag is the tag of a relation ordering; the default, by id, is "ID:asc".
func relationOrderTag(o Order) string { return orderTag(sortOrder(o, SortByID)) }

// relationArgs is the canonical form of a relation filter, plus a direction for RelationsOf.
// Where is fingerprinted as Normalize leaves it (see EntityQuery.listing).
func relationArgs(f RelationFilter, dir Direction) string {
	where, _ := NormalizeRelationWhere(f.Where, true)
	args := struct {
		Dir     Direction        `json:",omitempty"`
		IDs     []string         `json:",omitempty"`
		Types   []RelationType   `json:",omitempty"`
		Status  []RelationStatus `json:",omitempty"`
		AsOf    string           `json:",omitempty"`
		From    []string         `json:",omitempty"`
		To      []string         `json:",omitempty"`
		Sources []string         `json:",omitempty"`
		Where   *RelationWhere   `json:",omitempty"`
	}{Dir: dir, IDs: canonical(f.IDs), Types: canonical(f.Types), Status: canonical(f.Status),
		From: canonical(f.FromIDs), To: canonical(f.ToIDs), Sources: canonical(f.SourceIDs), Where: where}
	if f.AsOf != nil {
		args.AsOf = f.AsOf.String()
	}
	return fingerprint(args)
}

func (q RelationQuery) listing() listing {
	return listing{what: "relations", order: relationOrderTag(q.Order), args: relationArgs(q.Filter, "")}
}

// Cursor is the cursor of relation r in this listing.
func (q RelationQuery) Cursor(r *Relation) string {
	return q.CursorAtKey(RelationOrderKey(r, q.Order), r.ID)
}

// Cursors is Cursor for the rows of one page, like EntityQuery.Cursors.
func (q RelationQuery) Cursors() func(*Relation) string {
	l := q.listing()
	return func(r *Relation) string { return l.encode(RelationOrderKey(r, q.Order), r.ID) }
}

// CursorAt is the cursor of the position id in this listing, for the id ordering.
func (q RelationQuery) CursorAt(id string) string { return q.listing().encode("", id) }

// CursorAtKey is the cursor of the position (key, id) in this listing.
func (q RelationQuery) CursorAtKey(key, id string) string { return q.listing().encode(key, id) }

// AfterCursor decodes q.After, like EntityQuery.AfterCursor.
func (q RelationQuery) AfterCursor() (*Cursor, error) { return decodeAfter(q.After, q.listing) }

// RelationsOf pages are one listing whichever entity they are of: a query asks for the pages
// of several entities at once, with one After for all (a position in the id order).

func (q RelationsOfQuery) listing() listing {
	dir := direction(q.Direction)
	if dir == DirectionBoth {
		dir = "" // BOTH is the default, so its cursors do not name it
	}
	return listing{what: "an entity's relations", order: relationOrderTag(q.Order), args: relationArgs(q.Filter, dir)}
}

// Cursor is the cursor of relation r in this listing.
func (q RelationsOfQuery) Cursor(r *Relation) string {
	return q.CursorAtKey(RelationOrderKey(r, q.Order), r.ID)
}

// Cursors is Cursor for the rows of one page, like EntityQuery.Cursors.
func (q RelationsOfQuery) Cursors() func(*Relation) string {
	l := q.listing()
	return func(r *Relation) string { return l.encode(RelationOrderKey(r, q.Order), r.ID) }
}

// CursorAt is the cursor of the position id in this listing, for the id ordering.
func (q RelationsOfQuery) CursorAt(id string) string { return q.listing().encode("", id) }

// CursorAtKey is the cursor of the position (key, id) in this listing.
func (q RelationsOfQuery) CursorAtKey(key, id string) string { return q.listing().encode(key, id) }

// AfterCursor decodes q.After, like EntityQuery.AfterCursor.
func (q RelationsOfQuery) AfterCursor() (*Cursor, error) { return decodeAfter(q.After, q.listing) }

// EntitySortKey is the value an entity sorts by under field f, ascending (before the id
// tie-break); see EntityOrderKey.
func EntitySortKey(e Entity, f SortField) string {
	return EntityOrderKey(e, Order{Field: f})
}

// EntityOrderKey is the value an entity sorts by under an ordering (before the id
// tie-break): the name's SortKey, DateOrderKey of the founding date, TimeKey of a timestamp,
// nothing for ID.
func EntityOrderKey(e Entity, o Order) string {
	switch o.Field {
	case SortByName:
		return SortKey(e.Common().Name)
	case SortByFounded:
		return DateOrderKey(FoundedOf(e), o.Desc)
	case SortByCreatedAt:
		return TimeKey(e.Common().CreatedAt)
	case SortByUpdatedAt:
		return TimeKey(e.Common().UpdatedAt)
	}
	return ""
}

// RelationOrderKey is the value a relation sorts by under an ordering (before the id
// tie-break): its type, DateOrderKey of validFrom or validTo, nothing for ID.
func RelationOrderKey(r *Relation, o Order) string {
	switch o.Field {
	case SortByType:
		return string(r.Type)
	case SortByValidFrom:
		return DateOrderKey(r.ValidFrom, o.Desc)
	case SortByValidTo:
		return DateOrderKey(r.ValidTo, o.Desc)
	}
	return ""
}

// DateOrderKey is the sort key of an optional partial date: "1" and the date as stated, whose
// string order is Date.Before's (a coarser date first among those starting on the same day);
// an unknown date is "2" ascending and "0" descending, so it comes last either way.
func DateOrderKey(d *Date, desc bool) string {
	switch {
	case d != nil:
		return "1" + d.String()
	case desc:
		return "0"
	}
	return "2"
}

// TimeKey is the sort key of a stored timestamp: fixed-width UTC with nanoseconds, whose
// string order is the time order.
func TimeKey(t time.Time) string { return t.UTC().Format(TimeKeyLayout) }

// TimeKeyLayout is TimeKey's layout.
const TimeKeyLayout = "2006-01-02T15:04:05.000000000Z"

// SourceSortKey is the value a source sorts by under field f (before the id tie-break).
func SourceSortKey(s *Source, f SortField) string {
	switch f {
	case SortByTitle:
		return SortKey(s.Title)
	case SortByPublishedOn:
		return s.PublishedOn.Start()
	}
	return ""
}

// After reports whether the row (key, id) comes after cursor c in an ordering (asc or desc);
// ties on key are broken by id in the same direction. The cursor's own row is not after
// itself in either direction, so it never appears on the next page again.
func (c Cursor) After(key, id string, desc bool) bool {
	if key != c.Key {
		return (key > c.Key) != desc
	}
	if id == c.ID {
		return false
	}
	return (id > c.ID) != desc
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
