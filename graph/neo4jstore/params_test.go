package neo4jstore

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
)

func ptr[T any](v T) *T { return &v }

func TestEntityProps(t *testing.T) {
	d := func(s string) *model.Date { return ptr(model.MustDate(s)) }
	cases := []struct {
		e    model.Entity
		want map[string]any
	}{
		{
			&model.Organization{
				EntityBase: model.EntityBase{ID: "mb", Name: "Mercedes-Benz Group", Aliases: []string{"Daimler", "daimler", "MB"}, Description: "Maker.", SourceIDs: []string{"s1"}},
				Type:       model.OrgGroup, Ownership: ptr(model.OwnershipPublic), Founded: d("1926-06"), CountryID: "germany",
			},
			map[string]any{
				"id": "mb", "kind": "ORGANIZATION", "name": "Mercedes-Benz Group", "nameKey": "mercedes benz group",
				"searchKeys": []string{"mercedes benz group", "daimler", "mb"}, "searchText": "mercedes benz group\ndaimler\nmb", "aliases": []string{"Daimler", "daimler", "MB"},
				"description": "Maker.", "sourceIds": []string{"s1"},
				"type": "GROUP", "ownership": "PUBLICLY_LISTED", "founded": "1926-06", "countryId": "germany",
			},
		},
		{
			&model.Brand{EntityBase: model.EntityBase{ID: "b", Name: "Škoda", Aliases: []string{}}, Segment: ptr(model.SegmentPassenger), Founded: d("1895")},
			map[string]any{
				"id": "b", "kind": "BRAND", "name": "Škoda", "nameKey": "skoda", "searchKeys": []string{"skoda"}, "searchText": "skoda",
				"aliases": []string{}, "segment": "PASSENGER", "founded": "1895",
			},
		},
		{
			&model.VehicleModel{EntityBase: model.EntityBase{ID: "m", Name: "X35"}, Powertrain: ptr(model.PowertrainICE)},
			map[string]any{"id": "m", "kind": "VEHICLE_MODEL", "name": "X35", "nameKey": "x35", "searchKeys": []string{"x35"}, "searchText": "x35", "powertrain": "ICE"},
		},
		{
			&model.Plant{EntityBase: model.EntityBase{ID: "p", Name: "Plant"}, Opened: d("1996-12-01")},
			map[string]any{"id": "p", "kind": "PLANT", "name": "Plant", "nameKey": "plant", "searchKeys": []string{"plant"}, "searchText": "plant", "opened": "1996-12-01"},
		},
		{
			&model.Place{EntityBase: model.EntityBase{ID: "ru", Name: "Russia"}, Type: model.PlaceCountry, CountryCode: "RU"},
			map[string]any{"id": "ru", "kind": "PLACE", "name": "Russia", "nameKey": "russia", "searchKeys": []string{"russia"}, "searchText": "russia", "type": "COUNTRY", "countryCode": "RU"},
		},
		{
			&model.Agreement{
				EntityBase: model.EntityBase{ID: "a", Name: "Deal"}, SignedOn: d("2023-04-04"), AnnouncedOn: d("2023-04"),
				Provisions: []model.Provision{{Summary: "Build X35", Due: d("2023")}, {Summary: "Talk"}},
			},
			map[string]any{
				"id": "a", "kind": "AGREEMENT", "name": "Deal", "nameKey": "deal", "searchKeys": []string{"deal"}, "searchText": "deal",
				"signedOn": "2023-04-04", "announcedOn": "2023-04",
				"provisionsJson": `[{"summary":"Build X35","due":"2023"},{"summary":"Talk"}]`,
			},
		},
	}
	for _, c := range cases {
		t.Run(string(c.e.Kind()), func(t *testing.T) {
			got, err := entityProps(c.e)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(c.want, got); d != "" {
				t.Errorf("props mismatch (-want +got):\n%s", d)
			}
			row, err := entityRow(c.e)
			if err != nil {
				t.Fatal(err)
			}
			if row["id"] != c.e.GetID() || row["hash"] != contentHash(got) {
				t.Errorf("row = %v", row)
			}
		})
	}
	// The props are copies: the store never shares the caller's slices.
	o := &model.Organization{EntityBase: model.EntityBase{ID: "o", Name: "O", Aliases: []string{"x"}}, Type: model.OrgOther}
	p, _ := entityProps(o)
	o.Aliases[0] = "changed"
	if p["aliases"].([]string)[0] != "x" {
		t.Error("entityProps shares the aliases slice")
	}
}

func TestRelationRow(t *testing.T) {
	d := func(s string) *model.Date { return ptr(model.MustDate(s)) }
	cases := []struct {
		name string
		r    *model.Relation
		want map[string]any
	}{
		{
			"bounded",
			&model.Relation{ID: "r1", Type: model.RelAssembles, FromID: "a", ToID: "b", Status: model.StatusEnded,
				ValidFrom: d("2008"), ValidTo: d("2022-03"), Quantity: ptr(5), Note: "n", SourceIDs: []string{"s"}},
			map[string]any{"id": "r1", "status": "ENDED", "validFrom": "2008", "validTo": "2022-03", "quantity": int64(5),
				"note": "n", "sourceIds": []string{"s"}, "spanStart": "2008-01-01", "spanEnd": "2022-04-01"},
		},
		{
			"open",
			&model.Relation{ID: "r2", Type: model.RelOwnsBrand, FromID: "a", ToID: "b", Status: model.StatusActive, SourceIDs: []string{"s"}},
			map[string]any{"id": "r2", "status": "ACTIVE", "sourceIds": []string{"s"}},
		},
		{
			"planned counts from its target",
			&model.Relation{ID: "r3", Type: model.RelAssembles, FromID: "a", ToID: "b", Status: model.StatusPlanned, ValidTo: d("2023")},
			map[string]any{"id": "r3", "status": "PLANNED", "validTo": "2023", "spanStart": "2023-01-01", "spanEnd": "2024-01-01"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			row := relationRow(c.r)
			if d := cmp.Diff(c.want, row["props"]); d != "" {
				t.Errorf("props mismatch (-want +got):\n%s", d)
			}
			for k, v := range map[string]any{"id": c.r.ID, "type": string(c.r.Type), "from": c.r.FromID, "to": c.r.ToID, "createdAt": nil} {
				if row[k] != v {
					t.Errorf("row[%q] = %v, want %v", k, row[k], v)
				}
			}
		})
	}
	// A move changes the hash even though the relation's own properties do not change.
	r := cases[0].r.Clone()
	moved := r.Clone()
	moved.FromID = "elsewhere"
	if relationRow(r)["hash"] == relationRow(moved)["hash"] {
		t.Error("moving a relation does not change its hash")
	}
}

func TestSourceProps(t *testing.T) {
	s := &model.Source{ID: "s", Title: "Élan or exit", PublisherID: "kommersant", PublishedOn: model.MustDate("2022-05"),
		Dateline: "Moscow", URL: "https://example.org/a", Language: "ru"}
	want := map[string]any{
		"id": "s", "title": "Élan or exit", "titleKey": "elan or exit", "publishedOn": "2022-05", "publishedStart": "2022-05-01",
		"publisherId": "kommersant", "dateline": "Moscow", "url": "https://example.org/a", "language": "ru",
	}
	if d := cmp.Diff(want, sourceProps(s)); d != "" {
		t.Errorf("props mismatch (-want +got):\n%s", d)
	}
}

// TestContentHash checks that the hash tells content apart, ignores the difference between a
// nil and an empty list (as model.SameEntity does), and is stable.
func TestContentHash(t *testing.T) {
	fx := storetest.Fixture()
	seen := map[string]string{}
	for _, e := range fx.Entities() {
		row, err := entityRow(e)
		if err != nil {
			t.Fatal(err)
		}
		h := row["hash"].(string)
		if other, dup := seen[h]; dup {
			t.Errorf("%s and %s hash alike", e.GetID(), other)
		}
		seen[h] = e.GetID()
		again, _ := entityRow(e.Clone())
		if again["hash"] != h {
			t.Errorf("%s: hash is not stable", e.GetID())
		}
	}
	a := &model.Agreement{EntityBase: model.EntityBase{ID: "a", Name: "A"}}
	b := &model.Agreement{EntityBase: model.EntityBase{ID: "a", Name: "A", Aliases: []string{}, SourceIDs: []string{}}, Provisions: []model.Provision{}}
	ra, _ := entityRow(a)
	rb, _ := entityRow(b)
	if ra["hash"] != rb["hash"] {
		t.Error("nil and empty lists hash differently")
	}
	b.Description = "d"
	rb, _ = entityRow(b)
	if ra["hash"] == rb["hash"] {
		t.Error("a changed description hashes alike")
	}
	// Same strings in different fields must not collide.
	x := map[string]any{"a": "b c", "d": "e"}
	y := map[string]any{"a": "b", "c d": "e"}
	if contentHash(x) == contentHash(y) {
		t.Error("different property maps hash alike")
	}
}

func TestBatches(t *testing.T) {
	got := batches([]int{1, 2, 3, 4, 5}, 2)
	if d := cmp.Diff([][]int{{1, 2}, {3, 4}, {5}}, got); d != "" {
		t.Errorf("batches mismatch (-want +got):\n%s", d)
	}
	if got := batches([]int(nil), 500); len(got) != 0 {
		t.Errorf("batches(nil) = %v", got)
	}
}
