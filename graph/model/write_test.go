package model

import (
	"strings"
	"testing"
)

func TestRelationID(t *testing.T) {
	r := &Relation{Type: RelAssembles, FromID: "avtotor", ToID: "kaiyi", Status: StatusActive, SourceIDs: []string{"b", "a"}}
	id := RelationID(r)
	if !strings.HasPrefix(id, "avtotor-assembles-kaiyi-") || CheckID(id) != nil {
		t.Errorf("RelationID = %q", id)
	}
	same := r.Clone()
	same.SourceIDs = []string{"a", "b", "a"}
	if RelationID(same) != id {
		t.Errorf("source order or duplicates changed the id")
	}
	other := r.Clone()
	other.Note = "different"
	if RelationID(other) == id {
		t.Errorf("different content, same id")
	}
	long := &Relation{Type: RelJointVentureOf, FromID: strings.Repeat("a", 100), ToID: strings.Repeat("b", 100), Status: StatusActive}
	if id := RelationID(long); len(id) > MaxIDLength || CheckID(id) != nil {
		t.Errorf("long ids give %q (%d)", id, len(id))
	}
}

func TestCheckRelation(t *testing.T) {
	d := func(s string) *Date { x := MustDate(s); return &x }
	q := -1
	ok := func() *Relation {
		return &Relation{ID: "r", Type: RelAssembles, FromID: "a", ToID: "b", Status: StatusActive, SourceIDs: []string{"s"}}
	}
	if err := CheckRelation(ok()); err != nil {
		t.Fatalf("valid relation refused: %v", err)
	}
	for name, mutate := range map[string]func(*Relation){
		"no source":         func(r *Relation) { r.SourceIDs = nil },
		"bad type":          func(r *Relation) { r.Type = "OWNS" },
		"bad status":        func(r *Relation) { r.Status = "MAYBE" },
		"bad id":            func(r *Relation) { r.ID = "Not Slug" },
		"bad endpoint":      func(r *Relation) { r.FromID = "" },
		"period reversed":   func(r *Relation) { r.ValidFrom, r.ValidTo = d("2024"), d("2023") },
		"negative quantity": func(r *Relation) { r.Quantity = &q },
		"note too long":     func(r *Relation) { r.Note = strings.Repeat("x", MaxNoteLength+1) },
		"NUL in note":       func(r *Relation) { r.Note = "a\x00b" },
		"bad source id":     func(r *Relation) { r.SourceIDs = []string{"Bad Source"} },
	} {
		r := ok()
		mutate(r)
		if err := CheckRelation(r); ErrorCode(err) != CodeBadUserInput {
			t.Errorf("%s: CheckRelation = %v, want BAD_USER_INPUT", name, err)
		}
	}
	same := ok()
	same.ValidFrom, same.ValidTo = d("2023"), d("2023")
	if err := CheckRelation(same); err != nil {
		t.Errorf("a relation within one year was refused: %v", err)
	}
}

func TestCheckEndpoints(t *testing.T) {
	if err := CheckEndpoints(RelOwnsBrand, KindOrganization, KindBrand); err != nil {
		t.Error(err)
	}
	err := CheckEndpoints(RelOwnsBrand, KindBrand, KindBrand)
	if ErrorCode(err) != CodeBadUserInput || !strings.Contains(err.Error(), "OWNS_BRAND") {
		t.Errorf("OWNS_BRAND from a brand: %v", err)
	}
}

func TestBuildTimeline(t *testing.T) {
	d := func(s string) *Date { x := MustDate(s); return &x }
	org := &Organization{EntityBase: EntityBase{ID: "avtotor", Name: "Avtotor"}, Founded: d("1994")}
	kia := &Brand{EntityBase: EntityBase{ID: "kia", Name: "Kia"}}
	five := 5
	rels := []*Relation{
		{ID: "r3", Type: RelAssembles, FromID: "avtotor", ToID: "kia", Status: StatusPlanned, ValidTo: d("2023"), Quantity: &five},
		{ID: "r1", Type: RelAssembles, FromID: "avtotor", ToID: "kia", Status: StatusEnded, ValidFrom: d("1996"), ValidTo: d("2022")},
		{ID: "r2", Type: RelAssembles, FromID: "avtotor", ToID: "kia", Status: StatusActive},
	}
	ents := map[string]Entity{"avtotor": org, "kia": kia}
	got := BuildTimeline(org, rels, ents, nil, nil)
	var lines []string
	for _, e := range got {
		lines = append(lines, e.Date.String()+" "+string(e.Kind)+" "+e.Summary)
	}
	want := []string{
		"1994 FOUNDED Avtotor is founded",
		"1996 STARTED Started: Avtotor assembles Kia",
		"2022 ENDED Ended: Avtotor assembles Kia",
		"2023 PLANNED Planned: Avtotor assembles Kia (quantity 5)",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("timeline:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if w := BuildTimeline(org, rels, ents, d("2000"), d("2022")); len(w) != 1 || w[0].Kind != TimelineEnded {
		t.Errorf("window 2000..2022: %+v", w)
	}
}
