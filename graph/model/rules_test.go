package model

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestFindChain(t *testing.T) {
	rels := []*Relation{
		{ID: "r3", Type: RelLocatedIn, FromID: "city", ToID: "region"},
		{ID: "r1", Type: RelLocatedIn, FromID: "city", ToID: "county"},
		{ID: "r2", Type: RelLocatedIn, FromID: "county", ToID: "region"},
		{ID: "r4", Type: RelLocatedIn, FromID: "region", ToID: "country"},
		{ID: "r5", Type: RelSubsidiaryOf, FromID: "country", ToID: "city"},
	}
	up := func(id string) []*Relation {
		var out []*Relation
		for _, r := range rels {
			if r.FromID == id {
				out = append(out, r)
			}
		}
		return out
	}
	for _, c := range []struct {
		from, to string
		want     []string
	}{
		{"city", "country", []string{"city", "region", "country"}},
		{"county", "country", []string{"county", "region", "country"}},
		{"country", "city", nil}, // only through another type
		{"region", "city", nil},
	} {
		if got := FindChain(RelLocatedIn, c.from, c.to, up); !slices.Equal(got, c.want) {
			t.Errorf("FindChain(%s, %s) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
	r := &Relation{Type: RelLocatedIn, FromID: "country", ToID: "city"}
	err := CheckNoCycle(r, FindChain(RelLocatedIn, r.ToID, r.FromID, up))
	if ErrorCode(err) != CodeBadUserInput || !strings.Contains(err.Error(), "city → region → country") {
		t.Errorf("CheckNoCycle = %v, want BAD_USER_INPUT naming the chain", err)
	}
	if err := CheckNoCycle(&Relation{Type: RelPartnersWith, FromID: "a", ToID: "b"}, []string{"b", "a"}); err != nil {
		t.Errorf("CheckNoCycle of a type that is no hierarchy = %v", err)
	}
}

func TestValidateRefusesSelfRelationsAndCycles(t *testing.T) {
	d := &Dataset{Sources: []*Source{{ID: "s", Title: "S", PublishedOn: MustDate("2024")}}}
	for _, id := range []string{"a", "b", "c"} {
		d.Add(&Place{EntityBase: EntityBase{ID: id, Name: id}, Type: PlaceCity})
	}
	rel := func(id, from, to string) *Relation {
		return &Relation{ID: id, Type: RelLocatedIn, FromID: from, ToID: to, Status: StatusActive, SourceIDs: []string{"s"}}
	}
	d.Relations = []*Relation{rel("ab", "a", "b"), rel("bc", "b", "c"), rel("aa", "a", "a"), rel("ca", "c", "a"), rel("ac", "a", "c")}
	err := d.Validate()
	if err == nil {
		t.Fatal("Validate = nil")
	}
	for _, want := range []string{`relation "aa": a LOCATED_IN relation cannot go from "a" to itself`, `relation "ca"`, "(a → b → c)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate = %v\nwant it to say %s", err, want)
		}
	}
	if strings.Contains(err.Error(), `relation "ac"`) || strings.Contains(err.Error(), `relation "ab"`) {
		t.Errorf("Validate = %v\nwant only the relations that close a cycle named", err)
	}
}

func TestRelationIDShapeIsReserved(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		n := 1 + rng.IntN(12)
		b := make([]byte, n)
		for i := range b {
			b[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[rng.IntN(36)]
		}
		return string(b)
	}
	slug := func() string {
		parts := make([]string, 1+rng.IntN(6))
		for i := range parts {
			parts[i] = word()
		}
		return strings.Join(parts, "-")
	}
	for i := range 20000 {
		r := &Relation{Type: relationTypes[i%len(relationTypes)], FromID: slug(), ToID: slug(), Status: StatusActive,
			Note: fmt.Sprint(i), SourceIDs: []string{"s"}}
		if i%7 == 0 { // long enough that RelationID cuts its readable part short
			var b strings.Builder
			for b.Len() < 90 {
				b.WriteString(word() + "-")
			}
			r.FromID = strings.Trim(b.String()[:90], "-")
		}
		if CheckID(r.FromID) != nil || CheckID(r.ToID) != nil {
			continue
		}
		id := RelationID(r)
		if err := CheckEntityID(id); ErrorCode(err) != CodeBadUserInput || !strings.Contains(err.Error(), "reserved") {
			t.Fatalf("CheckEntityID(RelationID(%s -%s-> %s) = %q) = %v, want it reserved", r.FromID, r.Type, r.ToID, id, err)
		}
	}
	for _, id := range []string{
		"avtotor", "tass-20230418", "tass-2023-04-18-avtotor-baic", "syn-brand-12345678", "plant-0000beef",
		"avtotor-assembles-kaiyi", "located-in-deadbeef", "x-located-in-y-deadbee", "x-located-in-y-deadbeeff",
		"x-located-in-y-DEADBEEF",
	} {
		if err := CheckEntityID(id); err != nil && !strings.Contains(err.Error(), "slug") {
			t.Errorf("CheckEntityID(%q) = %v, want nil", id, err)
		}
	}
	if err := CheckEntityID("kaliningrad-located-in-kaliningrad-region-0a1b2c3d"); ErrorCode(err) != CodeBadUserInput {
		t.Errorf("CheckEntityID of a derived shape = %v, want BAD_USER_INPUT", err)
	}
}
