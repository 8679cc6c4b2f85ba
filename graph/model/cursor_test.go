package model

import (
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
