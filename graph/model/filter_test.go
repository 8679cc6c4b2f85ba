package model

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNormalizeWhere(t *testing.T) {
	text := "  Škoda-AUTO "
	in := &EntityWhere{
		Name: &TextFilter{Eq: &text, In: []string{"Citroën"}},
		Or:   []*EntityWhere{},
		Relations: &RelatedWhere{Types: []RelationType{RelAssembles}, Some: &RelationWhere{
			Other: &EntityWhere{Name: &TextFilter{StartsWith: &text}},
		}},
	}
	before, _ := json.Marshal(in)
	got, err := NormalizeEntityWhere(in)
	if err != nil {
		t.Fatal(err)
	}
	if after, _ := json.Marshal(in); string(after) != string(before) {
		t.Errorf("Normalize changed its input:\n%s\n%s", before, after)
	}
	if *got.Name.Eq != "skoda auto" || got.Name.In[0] != "citroen" || *got.Relations.Some.Other.Name.StartsWith != "skoda auto" {
		t.Errorf("text not folded: %+v", got)
	}
	if got.Relations.Direction != DirectionBoth {
		t.Errorf("direction = %q, want the default BOTH", got.Relations.Direction)
	}
	if got.Or == nil || len(got.Or) != 0 {
		t.Errorf("an empty OR must stay an empty OR (holds for nothing), got %v", got.Or)
	}
	again, err := NormalizeEntityWhere(got)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(got, again); d != "" {
		t.Errorf("Normalize is not idempotent (-once +twice):\n%s", d)
	}
}

func TestDateFilterMatch(t *testing.T) {
	d := func(s string) *Date { v := MustDate(s); return &v }
	yes, no := true, false
	for _, tc := range []struct {
		f    DateFilter
		date *Date
		want bool
	}{
		{DateFilter{Before: d("1995")}, d("1994"), true},
		{DateFilter{Before: d("1994-12-31")}, d("1994"), false},
		{DateFilter{Before: d("2023-04")}, d("2023-03-31"), true},
		{DateFilter{After: d("2023-03")}, d("2023-04-01"), true},
		{DateFilter{After: d("2023-03")}, d("2023-03-20"), false},
		{DateFilter{After: d("2023")}, d("2023-12"), false},
		{DateFilter{Overlaps: d("2023")}, d("2023-04-04"), true},
		{DateFilter{Overlaps: d("2023-04-04")}, d("2023"), true},
		{DateFilter{Overlaps: d("2022")}, d("2023"), false},
		{DateFilter{Before: d("2023")}, nil, false},
		{DateFilter{Exists: &no}, nil, true},
		{DateFilter{Exists: &yes}, nil, false},
		{DateFilter{}, nil, true},
	} {
		if got := tc.f.Match(tc.date); got != tc.want {
			t.Errorf("%+v.Match(%v) = %v, want %v", tc.f, tc.date, got, tc.want)
		}
	}
	// On a period, open ends are unbounded: an open end is never before anything.
	open := Span{Start: "2023-04-01"}
	if (&DateFilter{Before: d("2030")}).MatchSpan(open) || !(&DateFilter{After: d("2023-03")}).MatchSpan(open) {
		t.Error("open-ended period: before must fail and after hold")
	}
}

func TestWhereBounds(t *testing.T) {
	long := strings.Repeat("x", MaxFilterText+1)
	for name, w := range map[string]*EntityWhere{
		"long text":          {Name: &TextFilter{Contains: &long}},
		"long name":          {NameContains: long},
		"many kinds":         {Kind: make([]EntityKind, MaxFilterValues+1)},
		"bad kind":           {Kind: []EntityKind{"CAR"}},
		"bad attr":           {Attrs: []AttrFilter{{Field: "name"}}},
		"bad status":         {Relations: &RelatedWhere{Status: []RelationStatus{"MAYBE"}}},
		"bad cites":          {Relations: &RelatedWhere{Some: &RelationWhere{Cites: &CitesWhere{Some: &SourceMatch{Publisher: make([]string, MaxFilterValues+1)}}}}},
		"exists on a period": {Relations: &RelatedWhere{All: &RelationWhere{Period: &DateFilter{Exists: new(bool)}}}},
	} {
		if _, err := NormalizeEntityWhere(w); ErrorCode(err) != CodeBadUserInput {
			t.Errorf("%s: error %v, want BAD_USER_INPUT", name, err)
		}
	}
}
