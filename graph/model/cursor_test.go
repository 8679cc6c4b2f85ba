package model

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

func TestCursorRoundTrip(t *testing.T) {
	q := EntityQuery{Kind: KindBrand, Order: Order{Field: SortByName, Desc: true}}
	b := &Brand{EntityBase: EntityBase{ID: "baic", Name: "BAIC Motor"}}
	q.After = q.Cursor(b)
	c, err := q.AfterCursor()
	if err != nil || c == nil || c.Key != "baic motor" || c.ID != "baic" {
		t.Fatalf("round trip: %+v, %v", c, err)
	}
	if c, err := (EntityQuery{}).AfterCursor(); c != nil || err != nil {
		t.Errorf("no cursor: %+v, %v", c, err)
	}
	for _, bad := range []string{"%%%", "bm90IGpzb24", "WyJhIl0", "WyJOQU1FOmRlc2MiLCJrIiwiIl0"} {
		q.After = bad
		if _, err := q.AfterCursor(); ErrorCode(err) != CodeBadUserInput || !strings.Contains(err.Error(), "endCursor") {
			t.Errorf("AfterCursor(%q) = %v, want BAD_USER_INPUT", bad, err)
		}
	}
}

// TestCursorsBelongToTheirListing passes each listing's cursor to every other listing: only
// the listing that made a cursor takes it.
func TestCursorsBelongToTheirListing(t *testing.T) {
	d := MustDate("2023")
	org := &Organization{EntityBase: EntityBase{ID: "avtotor", Name: "Avtotor"}}
	src := &Source{ID: "s", Title: "Report", PublishedOn: d}
	rel := &Relation{ID: "r"}
	type listing struct {
		cursor string
		decode func(after string) error
	}
	entities := func(q EntityQuery) listing {
		return listing{q.Cursor(org), func(a string) error { q.After = a; _, err := q.AfterCursor(); return err }}
	}
	sources := func(q SourceQuery) listing {
		return listing{q.Cursor(src), func(a string) error { q.After = a; _, err := q.AfterCursor(); return err }}
	}
	relations := func(q RelationQuery) listing {
		return listing{q.Cursor(rel), func(a string) error { q.After = a; _, err := q.AfterCursor(); return err }}
	}
	relationsOf := func(q RelationsOfQuery) listing {
		return listing{q.Cursor(rel), func(a string) error { q.After = a; _, err := q.AfterCursor(); return err }}
	}
	listings := map[string]listing{
		"organizations":                  entities(EntityQuery{Kind: KindOrganization}),
		"organizations by name":          entities(EntityQuery{Kind: KindOrganization, Order: Order{Field: SortByName}}),
		"brands":                         entities(EntityQuery{Kind: KindBrand}),
		"every kind":                     entities(EntityQuery{}),
		"organizations by id":            entities(EntityQuery{Kind: KindOrganization, Order: Order{Field: SortByID}}),
		"organizations by name desc":     entities(EntityQuery{Kind: KindOrganization, Order: Order{Field: SortByName, Desc: true}}),
		"organizations named a":          entities(EntityQuery{Kind: KindOrganization, Filter: EntityFilter{NameContains: "a"}}),
		"organizations named A":          entities(EntityQuery{Kind: KindOrganization, Filter: EntityFilter{NameContains: " A"}}),
		"assemblers":                     entities(EntityQuery{Kind: KindOrganization, Filter: EntityFilter{Attrs: []AttrFilter{{Field: AttrOrganizationType, Values: []string{"ASSEMBLER", "GROUP"}}}}}),
		"assemblers in another order":    entities(EntityQuery{Kind: KindOrganization, Filter: EntityFilter{Attrs: []AttrFilter{{Field: AttrOrganizationType, Values: []string{"GROUP", "ASSEMBLER"}}}}}),
		"sources":                        sources(SourceQuery{}),
		"sources by published on":        sources(SourceQuery{Order: Order{Field: SortByPublishedOn}}),
		"sources by title":               sources(SourceQuery{Order: Order{Field: SortByTitle}}),
		"sources of a publisher":         sources(SourceQuery{Filter: SourceFilter{PublisherIDs: []string{"tass"}}}),
		"relations":                      relations(RelationQuery{}),
		"relations of a type":            relations(RelationQuery{Filter: RelationFilter{Types: []RelationType{RelAssembles}}}),
		"relations as of 2023":           relations(RelationQuery{Filter: RelationFilter{AsOf: &d}}),
		"an entity's relations":          relationsOf(RelationsOfQuery{}),
		"an entity's relations, both":    relationsOf(RelationsOfQuery{Direction: DirectionBoth}),
		"an entity's outgoing relations": relationsOf(RelationsOfQuery{Direction: DirectionOut}),
		"an entity's relations of types": relationsOf(RelationsOfQuery{Filter: RelationFilter{Types: []RelationType{RelAssembles, RelOwnsBrand}}}),
		"an entity's relations of types in another order": relationsOf(RelationsOfQuery{Filter: RelationFilter{Types: []RelationType{RelOwnsBrand, RelAssembles, RelOwnsBrand}}}),
	}
	// The same listing, spelled differently.
	same := map[string]string{
		"organizations by name":                           "organizations",
		"organizations named A":                           "organizations named a",
		"assemblers in another order":                     "assemblers",
		"sources by published on":                         "sources",
		"an entity's relations, both":                     "an entity's relations",
		"an entity's relations of types in another order": "an entity's relations of types",
	}
	canon := func(name string) string {
		if c, ok := same[name]; ok {
			return c
		}
		return name
	}
	for from, a := range listings {
		for to, b := range listings {
			err := b.decode(a.cursor)
			if canon(from) == canon(to) {
				if err != nil {
					t.Errorf("a cursor of %s passed to %s: %v, want it taken", from, to, err)
				}
				continue
			}
			if ErrorCode(err) != CodeBadUserInput || !strings.Contains(err.Error(), "cursor") {
				t.Errorf("a cursor of %s passed to %s: %v, want BAD_USER_INPUT", from, to, err)
			}
		}
	}
	// The messages say what went wrong.
	for _, c := range []struct {
		from, to string
		says     string
	}{
		{"organizations", "brands", "comes from organizations, not from brands"},
		{"relations", "an entity's relations", "comes from relations, not from an entity's relations"},
		{"organizations", "organizations by id", "ordered by NAME ascending, not by ID ascending"},
		{"organizations", "assemblers", "other arguments"},
	} {
		if err := listings[c.to].decode(listings[c.from].cursor); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("a cursor of %s passed to %s: %v, want a message that says %q", c.from, c.to, err, c.says)
		}
	}
}

func TestCursorAfter(t *testing.T) {
	c := Cursor{Key: "m", ID: "id5"}
	for _, tc := range []struct {
		key, id string
		desc    bool
		want    bool
	}{
		{"n", "id1", false, true},
		{"m", "id6", false, true},
		{"m", "id5", false, false},
		{"m", "id4", false, false},
		{"l", "id9", false, false},
		{"l", "id1", true, true},
		{"m", "id4", true, true},
		{"m", "id5", true, false},
		{"n", "id1", true, false},
	} {
		if got := c.After(tc.key, tc.id, tc.desc); got != tc.want {
			t.Errorf("After(%q, %q, desc=%v) = %v, want %v", tc.key, tc.id, tc.desc, got, tc.want)
		}
	}
}

func FuzzDecodeCursor(f *testing.F) {
	q := EntityQuery{Kind: KindBrand}
	f.Add(q.CursorAt("baic", "baic"))
	f.Add("")
	f.Add("WyJOQU1FOmFzYyIsIiIsIngiXQ")
	f.Fuzz(func(t *testing.T, s string) {
		q := q
		q.After = s
		c, err := q.AfterCursor()
		if err != nil {
			if ErrorCode(err) != CodeBadUserInput {
				t.Fatalf("AfterCursor(%q): %v is not BAD_USER_INPUT", s, err)
			}
			return
		}
		if s != "" && (c == nil || c.ID == "") {
			t.Fatalf("AfterCursor(%q) accepted %+v", s, c)
		}
	})
}

// TestCursorEncodingIsJSON holds the cursor writer to base64url of json.Marshal's array, for
// every kind of character json.Marshal escapes or replaces, so that cursors handed out before
// still read and equal positions still make equal cursors.
func TestCursorEncodingIsJSON(t *testing.T) {
	texts := []string{
		"", "plain", "with space", `quote"d`, `back\slash`, "<tag>", "a&b", "tab\there", "nl\n",
		"\x00\x1f", "\x7f", "Škoda", "长城汽车", "line\u2028sep\u2029", "bad \xff utf-8", "x\xc3",
		strings.Repeat("long ", 80),
	}
	for _, key := range texts {
		for _, id := range []string{"baic", `i"d`, "ид"} {
			l := listing{what: "an entity's relations", order: "ID:asc", args: key}
			b, err := json.Marshal([]string{l.what, l.order, l.args, key, id})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := l.encode(key, id), base64.RawURLEncoding.EncodeToString(b); got != want {
				t.Errorf("encode(%q, %q) = %s, want %s", key, id, got, want)
			}
		}
	}
}

// TestPageCursorsAreCursor holds each query's Cursors, which works the listing out once, to
// its Cursor.
func TestPageCursorsAreCursor(t *testing.T) {
	d := MustDate("2021")
	f := RelationFilter{Types: []RelationType{RelAssembles, RelOwnsBrand}, AsOf: &d}
	rels := []*Relation{
		{ID: "r1", Type: RelAssembles, FromID: "avtotor", ToID: "baic"},
		{ID: "r2", Type: RelOwnsBrand, FromID: "baic-group", ToID: "baic", Status: StatusPlanned},
	}
	for _, o := range []Order{{}, {Field: SortByType}, {Field: SortByID, Desc: true}} {
		ro := RelationsOfQuery{Direction: DirectionOut, Filter: f, Order: o}
		rq := RelationQuery{Filter: f, Order: o}
		rc, qc := ro.Cursors(), rq.Cursors()
		for _, r := range rels {
			if got, want := rc(r), ro.Cursor(r); got != want {
				t.Errorf("RelationsOfQuery%+v: Cursors = %s, Cursor = %s", o, got, want)
			}
			if got, want := qc(r), rq.Cursor(r); got != want {
				t.Errorf("RelationQuery%+v: Cursors = %s, Cursor = %s", o, got, want)
			}
		}
	}
	b := &Brand{EntityBase: EntityBase{ID: "baic", Name: "BAIC Motor"}}
	for _, o := range []Order{{}, {Field: SortByName, Desc: true}, {Field: SortByID}} {
		q := EntityQuery{Kind: KindBrand, Order: o}
		if got, want := q.Cursors()(b), q.Cursor(b); got != want {
			t.Errorf("EntityQuery%+v: Cursors = %s, Cursor = %s", o, got, want)
		}
	}
	s := &Source{ID: "s1", Title: "A report", PublisherID: "pub"}
	for _, o := range []Order{{}, {Field: SortByPublishedOn, Desc: true}} {
		q := SourceQuery{Order: o}
		if got, want := q.Cursors()(s), q.Cursor(s); got != want {
			t.Errorf("SourceQuery%+v: Cursors = %s, Cursor = %s", o, got, want)
		}
	}
}
