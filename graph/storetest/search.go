package storetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/autograph-kg/autograph/graph/model"
)

// hitWant is an expected search hit.
type hitWant struct {
	ID    string
	Score float64
}

// testSearch checks ranking (exact > prefix > word prefix > substring, then name, then id),
// normalisation of accents, case and punctuation, aliases, the kinds filter and First.
func testSearch(t *testing.T, s model.Store) {
	ctx := t.Context()
	const (
		exact  = model.ScoreExact
		prefix = model.ScorePrefix
		word   = model.ScoreWordPrefix
		substr = model.ScoreSubstring
	)
	// "gaz" scores every level: GAZ exactly; "GAZ Group", "GAZ Nizhny Novgorod Plant", "GAZ–
	// Volkswagen contract…" and "GAZelle NEXT" by prefix (ordered by name: a space sorts
	// before a letter); "e-GAZelle" by word prefix; "TagAZ" by substring.
	gaz := []hitWant{
		{"gaz", exact}, {"gaz-group", prefix}, {"gaz-plant", prefix}, {"gaz-vw-contract", prefix},
		{"gazelle-next", prefix}, {"gazelle-e", word}, {"tagaz", substr},
	}
	cases := []struct {
		name string
		q    model.SearchQuery
		want []hitWant
	}{
		{"every level", model.SearchQuery{Text: "gaz"}, gaz},
		{"first", model.SearchQuery{Text: "gaz", First: 3}, gaz[:3]},
		{"one kind", model.SearchQuery{Text: "gaz", Kinds: []model.EntityKind{model.KindVehicleModel}}, []hitWant{{"gazelle-next", prefix}, {"gazelle-e", word}}},
		{"two kinds", model.SearchQuery{Text: "GAZ", Kinds: []model.EntityKind{model.KindOrganization, model.KindBrand}}, []hitWant{{"gaz", exact}, {"gaz-group", prefix}, {"tagaz", substr}}},
		{"ties on score and name fall back to id", model.SearchQuery{Text: "avtotor"},
			[]hitWant{{"avtotor", exact}, {"avtotor-holding", exact}, {"avtotor-baic-agreement", prefix}, {"avtotor-plant", prefix}}},
		{"same name, two kinds", model.SearchQuery{Text: "Moskvich"},
			[]hitWant{{"moskvich", exact}, {"moskvich-brand", exact}, {"moskvich-3", prefix}, {"moskvich-3e", prefix}, {"moskvich-plant", prefix}}},
		{"accents and case", model.SearchQuery{Text: "ŠKODA"}, []hitWant{{"skoda", exact}, {"skoda-auto", prefix}}},
		{"accent in the data, none in the query", model.SearchQuery{Text: "citroen"}, []hitWant{{"citroen", exact}}},
		{"accented alias", model.SearchQuery{Text: "KONIGSBERG"}, []hitWant{{"kaliningrad", exact}}},
		{"accented alias, accented query", model.SearchQuery{Text: "Königsberg"}, []hitWant{{"kaliningrad", exact}}},
		{"alias", model.SearchQuery{Text: "daimler"}, []hitWant{{"mercedes-benz-group", exact}}},
		{"cyrillic alias", model.SearchQuery{Text: "АВТОТОР"}, []hitWant{{"avtotor", exact}}},
		{"hyphen as space", model.SearchQuery{Text: "Mercedes Benz"},
			[]hitWant{{"mercedes-benz", exact}, {"mercedes-eqs", prefix}, {"mercedes-benz-group", prefix}}},
		{"hyphenated query", model.SearchQuery{Text: "e-GAZelle"}, []hitWant{{"gazelle-e", exact}}},
		{"word prefix in name and alias", model.SearchQuery{Text: "niva"}, []hitWant{{"lada-niva-travel", word}}},
		{"best key wins", model.SearchQuery{Text: "baic group"}, []hitWant{{"baic-group", exact}}},
		{"prefixes ordered by name, not id", model.SearchQuery{Text: "ford"}, []hitWant{{"ford-motor", prefix}, {"sollers-ford", prefix}}},
		{"substrings only", model.SearchQuery{Text: "wagen"},
			[]hitWant{{"gaz-vw-contract", substr}, {"volkswagen", substr}, {"volkswagen-group", substr}}},
		{"no match", model.SearchQuery{Text: "zzzz"}, nil},
		{"no match in the kind", model.SearchQuery{Text: "daimler", Kinds: []model.EntityKind{model.KindBrand}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hits, err := s.Search(ctx, c.q)
			noErr(t, "Search", err)
			got := make([]hitWant, len(hits))
			for i, h := range hits {
				got[i] = hitWant{h.Entity.GetID(), h.Score}
			}
			diff(t, "hits", c.want, got)
		})
	}

	t.Run("HitsAreWholeEntities", func(t *testing.T) {
		hits, err := s.Search(ctx, model.SearchQuery{Text: "škoda auto"})
		noErr(t, "Search", err)
		if len(hits) != 1 {
			t.Fatalf("Search(škoda auto) = %d hits, want 1", len(hits))
		}
		diff(t, "hit", Fixture().Organizations[22], hits[0].Entity, contentOpts())
	})

	// A caller that reads only some fields of the hits (model.SearchQuery.Fields) gets the
	// same hits in the same order with the same scores, each entity whole or with exactly
	// the fields read.
	t.Run("ReadInPart", func(t *testing.T) {
		for _, q := range []model.SearchQuery{{Text: "gaz"}, {Text: "baic", Kinds: []model.EntityKind{model.KindOrganization, model.KindBrand}, First: 3}} {
			whole, err := s.Search(ctx, q)
			noErr(t, "Search", err)
			for _, f := range []model.EntityFields{model.FieldID, model.FieldID | model.FieldName, model.FieldID | model.FieldSources | model.FieldOwn,
				model.AllEntityFields &^ model.FieldDescription, model.AllEntityFields} {
				pq := q
				pq.Fields = f
				hits, err := s.Search(ctx, pq)
				noErr(t, "Search read in part", err)
				what := fmt.Sprintf("%q read in part (fields %08b)", q.Text, f)
				if len(hits) != len(whole) {
					t.Errorf("%s: %d hits, want %d", what, len(hits), len(whole))
					continue
				}
				for i, h := range hits {
					w := whole[i]
					if h.Score != w.Score {
						t.Errorf("%s: hit %d scores %v, want %v", what, i, h.Score, w.Score)
					}
					if cmp.Equal(w.Entity, h.Entity, contentOpts()...) {
						continue
					}
					diff(t, what+": hit "+w.Entity.GetID()+" in part", masked(w.Entity, f), h.Entity, contentOpts())
				}
			}
		}
	})

	t.Run("BadInput", func(t *testing.T) {
		for name, text := range map[string]string{
			"empty":               "",
			"spaces":              "   ",
			"punctuation only":    "--–!?",
			"longer than allowed": strings.Repeat("a", model.MaxSearchLength+1),
		} {
			t.Run(name, func(t *testing.T) {
				_, err := s.Search(ctx, model.SearchQuery{Text: text})
				wantCode(t, "Search", err, model.CodeBadUserInput)
			})
		}
	})
}
