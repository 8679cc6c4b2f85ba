package model

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// Cursors are opaque to clients but plain to us: base64url of a JSON array [order, key, id].
// They name a position in an ordering, not an offset, so they stay valid when other rows come
// and go (keyset pagination).

// Cursor is a decoded position: the sort key and id of the last row seen.
type Cursor struct {
	Order string
	Key   string
	ID    string
}

// OrderTag names an ordering inside a cursor.
func OrderTag(o Order) string {
	if o.Desc {
		return string(o.Field) + ":desc"
	}
	return string(o.Field) + ":asc"
}

// EncodeCursor makes an opaque cursor.
func EncodeCursor(c Cursor) string {
	b, _ := json.Marshal([]string{c.Order, c.Key, c.ID})
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor made by EncodeCursor for the ordering tag want. Anything else is
// BAD_USER_INPUT.
func DecodeCursor(s, want string) (Cursor, error) {
	bad := Errorf(CodeBadUserInput, "invalid cursor %q: pass an endCursor from the same query", truncate(s, 64))
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, bad
	}
	var parts []string
	if err := json.Unmarshal(b, &parts); err != nil || len(parts) != 3 || parts[2] == "" {
		return Cursor{}, bad
	}
	c := Cursor{Order: parts[0], Key: parts[1], ID: parts[2]}
	if c.Order != want {
		return Cursor{}, Errorf(CodeBadUserInput, "cursor was made for ordering %s, not %s", c.Order, want)
	}
	return c, nil
}

// RelationOrderTag is the ordering tag of relation cursors (relations are ordered by id).
const RelationOrderTag = "RELATION:asc"

// RelationCursor is the cursor of a relation in a relation connection.
func RelationCursor(r *Relation) string {
	return EncodeCursor(Cursor{Order: RelationOrderTag, ID: r.ID})
}

// EntitySortKey is the value an entity sorts by under field f (before the id tie-break).
func EntitySortKey(e Entity, f SortField) string {
	if f == SortByName {
		return SortKey(e.Common().Name)
	}
	return ""
}

// EntityCursor is the cursor of an entity in a listing ordered by o.
func EntityCursor(e Entity, o Order) string {
	return EncodeCursor(Cursor{Order: OrderTag(o), Key: EntitySortKey(e, o.Field), ID: e.GetID()})
}

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

// SourceCursor is the cursor of a source in a listing ordered by o.
func SourceCursor(s *Source, o Order) string {
	return EncodeCursor(Cursor{Order: OrderTag(o), Key: SourceSortKey(s, o.Field), ID: s.ID})
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
