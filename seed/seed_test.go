package seed

import (
	"slices"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
)

func TestDatasetIsValidAndHoldsRequiredIDs(t *testing.T) {
	d, err := Dataset()
	if err != nil {
		t.Fatalf("Dataset() error: %v", err)
	}
	ids := map[string]model.EntityKind{}
	for _, e := range d.Entities() {
		ids[e.GetID()] = e.Kind()
	}
	want := map[string]model.EntityKind{
		"avtotor": model.KindOrganization, "baic-group": model.KindOrganization,
		"baic": model.KindBrand, "arcfox": model.KindBrand, "beijing": model.KindBrand,
		"baic-foton": model.KindBrand, "beijing-benz": model.KindOrganization,
		"fujian-benz": model.KindOrganization, "beijing-hyundai": model.KindOrganization,
		"foton-daimler": model.KindOrganization, "kia": model.KindBrand, "hyundai": model.KindBrand,
		"bmw": model.KindBrand, "kaiyi": model.KindBrand, "baic-x35": model.KindVehicleModel,
		"baic-u5-plus": model.KindVehicleModel, "kaliningrad": model.KindPlace,
		"russia": model.KindPlace, "china": model.KindPlace,
	}
	for id, kind := range want {
		if got, ok := ids[id]; !ok || got != kind {
			t.Errorf("entity %q: got kind %q (present %v), want %q", id, got, ok, kind)
		}
	}
	if len(d.Sources) != 1 || d.Sources[0].PublishedOn.String() != "2023-04-18" || d.Sources[0].Dateline != "Kaliningrad" {
		t.Errorf("sources = %+v, want the 2023-04-18 Kaliningrad report", d.Sources)
	}
	for _, r := range d.Relations {
		if !slices.Contains(r.SourceIDs, d.Sources[0].ID) {
			t.Errorf("relation %s does not cite the report", r.ID)
		}
	}
}

func TestDecodeRejectsBadDocuments(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"not json", `{`, "decode"},
		{"unknown field", `{"sources":[],"extra":1}`, "unknown field"},
		{"trailing data", `{} {}`, "trailing"},
		{"impossible date", `{"sources":[{"id":"s","title":"t","publishedOn":"2024-02-30"}]}`, "no such day"},
		{"null entity", `{"brands":[null]}`, "null"},
		{"relation without source", `{"sources":[],"brands":[{"id":"a","name":"A","sources":[]},{"id":"b","name":"B","sources":[]}],"relations":[{"id":"r","type":"HAS_MODEL","from":"a","to":"b","status":"ACTIVE","sources":[]}]}`, "cites no source"},
		{"bad endpoint kinds", `{"sources":[{"id":"s","title":"t","publishedOn":"2023"}],"brands":[{"id":"a","name":"A","sources":[]},{"id":"b","name":"B","sources":[]}],"relations":[{"id":"r","type":"HAS_MODEL","from":"a","to":"b","status":"ACTIVE","sources":["s"]}]}`, "HAS_MODEL"},
		{"duplicate id", `{"sources":[{"id":"a","title":"t","publishedOn":"2023"}],"brands":[{"id":"a","name":"A","sources":[]}]}`, "already used"},
		{"not a slug", `{"brands":[{"id":"Not A Slug","name":"A","sources":[]}]}`, "not a slug"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Decode(%s) error = %v, want one mentioning %q", tc.doc, err, tc.want)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(string(graphJSON))
	f.Add(`{"sources":[{"id":"s","title":"t","publishedOn":"2023"}]}`)
	f.Add(`{"brands":[null]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		d, err := Decode(strings.NewReader(doc))
		if err == nil {
			if verr := d.Validate(); verr != nil {
				t.Fatalf("Decode accepted an invalid dataset: %v", verr)
			}
		}
	})
}
