package synth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed"
	"github.com/autograph-kg/autograph/seed/synth"
)

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := synth.Generate(3000, 42), synth.Generate(3000, 42)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two datasets from the same arguments differ")
	}
	if c := synth.Generate(3000, 43); reflect.DeepEqual(a, c) {
		t.Error("datasets from different seeds are identical")
	}
}

func TestGenerateCountsExactlyAndValidates(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 50, 300, 2000, 10_000} {
		d := synth.Generate(n, 1)
		if got := len(d.Entities()); got != n {
			t.Errorf("Generate(%d): %d entities", n, got)
		}
		if err := d.Validate(); err != nil {
			t.Errorf("Generate(%d) is invalid: %v", n, err)
		}
	}
	if d := synth.Generate(-5, 1); len(d.Entities())+len(d.Sources)+len(d.Relations) != 0 {
		t.Error("a negative size gave a non-empty dataset")
	}
}

func TestGenerateUsesOnlyPrefixedIDs(t *testing.T) {
	d := synth.Generate(2000, 1)
	check := func(what, id string) {
		if !strings.HasPrefix(id, synth.IDPrefix) {
			t.Errorf("%s id %q lacks the %q prefix", what, id, synth.IDPrefix)
		}
	}
	for _, e := range d.Entities() {
		check("entity", e.GetID())
	}
	for _, s := range d.Sources {
		check("source", s.ID)
	}
	for _, r := range d.Relations {
		check("relation", r.ID)
		check("endpoint", r.FromID)
		check("endpoint", r.ToID)
	}
}

// TestGenerateShape holds a 10k dataset to the kind mix and fan-out ranges the package
// documents.
func TestGenerateShape(t *testing.T) {
	const n = 10_000
	d := synth.Generate(n, 1)
	kinds := map[model.EntityKind]int{}
	orgType := map[string]model.OrganizationType{}
	for _, e := range d.Entities() {
		kinds[e.Kind()]++
		if o, ok := e.(*model.Organization); ok {
			orgType[o.ID] = o.Type
		}
	}
	for kind, want := range map[model.EntityKind][2]float64{
		model.KindVehicleModel: {0.60, 0.85},
		model.KindPlant:        {0.05, 0.15},
		model.KindBrand:        {0.03, 0.10},
		model.KindOrganization: {0.02, 0.10},
		model.KindPlace:        {0.02, 0.06},
		model.KindAgreement:    {0.005, 0.03},
	} {
		if f := float64(kinds[kind]) / n; f < want[0] || f > want[1] {
			t.Errorf("%s: %.3f of the entities, want %.3f..%.3f", kind, f, want[0], want[1])
		}
	}
	countries := 0
	for _, p := range d.Places {
		if p.Type == model.PlaceCountry {
			countries++
		}
	}
	if countries != synth.MaxCountries {
		t.Errorf("%d countries, want %d", countries, synth.MaxCountries)
	}

	// Count relations per (type, status, endpoint).
	out := map[model.RelationType]map[string]int{}
	in := map[model.RelationType]map[string]int{}
	activeOut := map[model.RelationType]map[string]int{}
	parent := map[string]string{}
	degree := map[string]int{}
	statuses := map[model.RelationStatus]bool{}
	precisions := map[int]bool{}
	for _, r := range d.Relations {
		for _, m := range []map[model.RelationType]map[string]int{out, in, activeOut} {
			if m[r.Type] == nil {
				m[r.Type] = map[string]int{}
			}
		}
		out[r.Type][r.FromID]++
		in[r.Type][r.ToID]++
		if r.Status == model.StatusActive {
			activeOut[r.Type][r.FromID]++
		}
		degree[r.FromID]++
		degree[r.ToID]++
		if r.Type == model.RelSubsidiaryOf {
			parent[r.FromID] = r.ToID
		}
		if r.Type == model.RelAssembles {
			statuses[r.Status] = true
		}
		if r.ValidFrom != nil {
			precisions[precision(*r.ValidFrom)] = true
		}
		if k := len(r.SourceIDs); k < synth.MinSourcesPerFact || k > synth.MaxSourcesPerFact || len(slices.Compact(slices.Sorted(slices.Values(r.SourceIDs)))) != k {
			t.Errorf("relation %s cites %v", r.ID, r.SourceIDs)
		}
	}
	between := func(what, id string, got, lo, hi int) {
		t.Helper()
		if got < lo || got > hi {
			t.Errorf("%s %s: %d, want %d..%d", what, id, got, lo, hi)
		}
	}
	for _, o := range d.Organizations {
		switch o.Type {
		case model.OrgGroup:
			between("brands owned by group", o.ID, activeOut[model.RelOwnsBrand][o.ID], synth.MinBrandsPerGroup, synth.MaxBrandsPerGroup)
		case model.OrgManufacturer, model.OrgAssembler:
			between("plants operated by", o.ID, out[model.RelOperates][o.ID], synth.MinPlantsPerOrg, synth.MaxPlantsPerOrg)
		case model.OrgJointVenture:
			between("partners of joint venture", o.ID, out[model.RelJointVentureOf][o.ID], 2, 2)
			between("plants operated by", o.ID, out[model.RelOperates][o.ID], synth.MinPlantsPerOrg, synth.MaxPlantsPerOrg)
		}
	}
	for _, b := range d.Brands {
		between("models of brand", b.ID, out[model.RelHasModel][b.ID], synth.MinModelsPerBrand, synth.MaxModelsPerBrand)
	}
	for _, p := range d.Plants {
		between("operators of plant", p.ID, in[model.RelOperates][p.ID], 1, 1)
	}
	for _, a := range d.Agreements {
		between("parties to agreement", a.ID, in[model.RelPartyTo][a.ID], 2, 3)
		between("provisions of agreement", a.ID, len(a.Provisions), 1, 5)
	}
	// Ownership chains end at a group within MaxSubsidiaryDepth steps, and some are deep.
	deepest := 0
	for id := range parent {
		depth, at := 0, id
		for ; parent[at] != ""; at = parent[at] {
			if depth++; depth > synth.MaxSubsidiaryDepth {
				break
			}
		}
		if depth > synth.MaxSubsidiaryDepth || orgType[at] != model.OrgGroup {
			t.Errorf("subsidiary %s: chain of %d ends at %s (%s)", id, depth, at, orgType[at])
		}
		deepest = max(deepest, depth)
	}
	if deepest < 3 {
		t.Errorf("the deepest subsidiary chain has %d steps, want chains of 3 or 4", deepest)
	}
	for _, s := range model.AllRelationStatuses() {
		if !statuses[s] {
			t.Errorf("no ASSEMBLES relation is %s", s)
		}
	}
	for p := range 3 {
		if !precisions[p] {
			t.Errorf("no validFrom has precision %d (0 year, 1 month, 2 day)", p)
		}
	}
	// Hubs: a few entities with a degree far above the typical one.
	degrees := slices.Sorted(func(yield func(int) bool) {
		for _, e := range d.Entities() {
			if !yield(degree[e.GetID()]) {
				return
			}
		}
	})
	median, top := degrees[len(degrees)/2], degrees[len(degrees)-3]
	if top < 50*median {
		t.Errorf("third-highest degree %d, median %d: want hubs of at least 50 times the median", top, median)
	}
}

func precision(d model.Date) int {
	switch {
	case d.Month == 0:
		return 0
	case d.Day == 0:
		return 1
	}
	return 2
}

// TestSeedAnswersUnchangedBySyntheticData asks the product questions of a store holding the
// seed alone and of one holding the seed and a 10k synthetic dataset: the answers must be
// byte for byte the same, since the synthetic graph is disconnected from the seed and its
// names match none of the questions' searches. Two questions list across the whole graph
// (every brand with several assemblers, every group owning brands), so synthetic brands and
// groups rightly join their answers; for them the test checks only that they are answered.
func TestSeedAnswersUnchangedBySyntheticData(t *testing.T) {
	files, err := filepath.Glob("../../graph/testdata/questions/*.graphql")
	if err != nil || len(files) != 15 {
		t.Fatalf("want the 15 question files, got %d (%v)", len(files), err)
	}
	alone := serve(t, nil)
	mixed := serve(t, synth.Generate(10_000, 1))
	wholeGraph := map[string]bool{"q12-brands-with-several-assemblers": true, "q14-counts": true}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".graphql")
		t.Run(name, func(t *testing.T) {
			body := questionBody(t, f)
			want, got := ask(t, alone, body), ask(t, mixed, body)
			if wholeGraph[name] {
				if bytes.Contains(got, []byte(`"errors"`)) || !bytes.HasPrefix(got, []byte(`{"data":{`)) {
					t.Errorf("answer with synthetic data is not a plain answer:\n%.500s", got)
				}
				return
			}
			if !bytes.Equal(got, want) {
				t.Errorf("answer with synthetic data:\n%s\nwithout:\n%s", got, want)
			}
		})
	}
}

// serve starts the GraphQL handler over an embedded store holding the seed and, when extra is
// not nil, that dataset too.
func serve(t *testing.T, extra *model.Dataset) string {
	t.Helper()
	ctx := context.Background()
	store := inmem.New()
	if err := seed.Load(ctx, store); err != nil {
		t.Fatal(err)
	}
	if extra != nil {
		if err := store.Import(ctx, extra); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(httpapi.NewHandler(httpapi.Options{Store: store}))
	t.Cleanup(func() {
		srv.Close()
		_ = store.Close(ctx)
	})
	return srv.URL
}

// questionBody reads a question and its variables into a GraphQL request body.
func questionBody(t *testing.T, file string) []byte {
	t.Helper()
	q, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	req := map[string]any{"query": string(q)}
	if b, err := os.ReadFile(strings.TrimSuffix(file, ".graphql") + ".vars.json"); err == nil {
		var vars map[string]any
		if err := json.Unmarshal(b, &vars); err != nil {
			t.Fatal(err)
		}
		req["variables"] = vars
	}
	body, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// ask posts a request and returns the raw response, failing on anything but a clean answer.
func ask(t *testing.T, url string, body []byte) []byte {
	t.Helper()
	resp, err := http.Post(url+"/query", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Errors []json.RawMessage `json:"errors"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &r) != nil || len(r.Errors) > 0 {
		t.Fatalf("status %d: %s", resp.StatusCode, raw)
	}
	return raw
}
