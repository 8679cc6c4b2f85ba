package graph

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/autograph-kg/autograph/graph/loader"
	"github.com/autograph-kg/autograph/graph/model"
)

// recordingReader answers every batch read with nothing and records the relation queries.
type recordingReader struct {
	mu   sync.Mutex
	keys []model.RelationsOfKey
}

func (r *recordingReader) EntitiesByID(context.Context, []string) (map[string]model.Entity, error) {
	return map[string]model.Entity{}, nil
}

func (r *recordingReader) SourcesByID(context.Context, []string) (map[string]*model.Source, error) {
	return map[string]*model.Source{}, nil
}

func (r *recordingReader) RelationsOf(_ context.Context, ids []string, q model.RelationsOfQuery) (map[string]*model.RelationPage, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.keys = append(r.keys, q.Key())
	out := map[string]*model.RelationPage{}
	for _, id := range ids {
		out[id] = &model.RelationPage{}
	}
	return out, nil
}

// TestTypedListsAskWhatTheirResolversAsk holds typedListOf, what reading ahead asks for a
// field, to the queries the field's resolver asks, with asOf and without.
func TestTypedListsAskWhatTheirResolversAsk(t *testing.T) {
	r := &Resolver{}
	asOf := new(model.Date)
	*asOf = model.MustDate("2020-05")
	base := model.EntityBase{ID: "x"}
	fields := map[string]func(context.Context, *model.Date) error{
		"Organization.parent": func(ctx context.Context, d *model.Date) error {
			_, err := r.Organization().Parent(ctx, &model.Organization{EntityBase: base}, d)
			return err
		},
		"Organization.subsidiaries": func(ctx context.Context, d *model.Date) error {
			_, err := r.Organization().Subsidiaries(ctx, &model.Organization{EntityBase: base}, d)
			return err
		},
		"Organization.jointVentures": func(ctx context.Context, d *model.Date) error {
			_, err := r.Organization().JointVentures(ctx, &model.Organization{EntityBase: base}, d)
			return err
		},
		"Organization.partners": func(ctx context.Context, d *model.Date) error {
			_, err := r.Organization().Partners(ctx, &model.Organization{EntityBase: base}, d)
			return err
		},
		"Organization.brands": func(ctx context.Context, d *model.Date) error {
			_, err := r.Organization().Brands(ctx, &model.Organization{EntityBase: base}, d)
			return err
		},
		"Organization.plants": func(ctx context.Context, d *model.Date) error {
			_, err := r.Organization().Plants(ctx, &model.Organization{EntityBase: base}, d)
			return err
		},
		"Organization.agreements": func(ctx context.Context, _ *model.Date) error {
			_, err := r.Organization().Agreements(ctx, &model.Organization{EntityBase: base})
			return err
		},
		"Brand.owner": func(ctx context.Context, d *model.Date) error {
			_, err := r.Brand().Owner(ctx, &model.Brand{EntityBase: base}, d)
			return err
		},
		"Brand.models": func(ctx context.Context, _ *model.Date) error {
			_, err := r.Brand().Models(ctx, &model.Brand{EntityBase: base})
			return err
		},
		"VehicleModel.brand": func(ctx context.Context, _ *model.Date) error {
			_, err := r.VehicleModel().Brand(ctx, &model.VehicleModel{EntityBase: base})
			return err
		},
		"Plant.operator": func(ctx context.Context, d *model.Date) error {
			_, err := r.Plant().Operator(ctx, &model.Plant{EntityBase: base}, d)
			return err
		},
		"Plant.location": func(ctx context.Context, _ *model.Date) error {
			_, err := r.Plant().Location(ctx, &model.Plant{EntityBase: base})
			return err
		},
		"Place.parent": func(ctx context.Context, _ *model.Date) error {
			_, err := r.Place().Parent(ctx, &model.Place{EntityBase: base})
			return err
		},
		"Place.contains": func(ctx context.Context, _ *model.Date) error {
			_, err := r.Place().Contains(ctx, &model.Place{EntityBase: base})
			return err
		},
		"Agreement.parties": func(ctx context.Context, _ *model.Date) error {
			_, err := r.Agreement().Parties(ctx, &model.Agreement{EntityBase: base})
			return err
		},
	}
	for name, resolve := range fields {
		t.Run(name, func(t *testing.T) {
			object, field, _ := strings.Cut(name, ".")
			tl, ok := typedListOf(object, field)
			if !ok {
				t.Fatalf("typedListOf(%q, %q) knows no list", object, field)
			}
			for _, d := range []*model.Date{nil, asOf} {
				rec := &recordingReader{}
				if err := resolve(loader.With(t.Context(), loader.New(rec)), d); err != nil {
					t.Fatal(err)
				}
				var want []model.RelationsOfKey
				for _, p := range tl.parts {
					if tl.asOf {
						want = append(want, relatedQuery(p, d).Key())
					} else {
						want = append(want, relatedQuery(p, nil).Key())
					}
				}
				slices.Sort(want)
				slices.Sort(rec.keys)
				if !slices.Equal(rec.keys, want) {
					t.Errorf("asOf %v: the resolver asked\n%q\nreading ahead asks\n%q", d, rec.keys, want)
				}
			}
		})
	}
	// Every list reading ahead knows has its resolver above.
	for _, object := range []string{"Organization", "Brand", "VehicleModel", "Plant", "Place", "Agreement"} {
		for _, f := range listFieldsOf(t, object) {
			if _, ok := fields[object+"."+f]; !ok {
				t.Errorf("typedListOf knows %s.%s, which this test does not resolve", object, f)
			}
		}
	}
}

// listFieldsOf is the fields of an object type that typedListOf knows, from the schema.
func listFieldsOf(t *testing.T, object string) []string {
	t.Helper()
	def := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema().Types[object]
	if def == nil {
		t.Fatalf("no type %s in the schema", object)
	}
	var out []string
	for _, f := range def.Fields {
		if _, ok := typedListOf(object, f.Name); ok {
			out = append(out, f.Name)
		}
	}
	return out
}

// TestEveryEntityFieldSaysWhatItReads holds entityFieldReads to the schema: every field of
// every entity type has its own case, so that a field added later is read in part only once
// someone has said what it reads (TestListsReadInPartAnswerAsWhole checks what they said).
func TestEveryEntityFieldSaysWhatItReads(t *testing.T) {
	s := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	n := 0
	for _, def := range s.GetPossibleTypes(s.Types["Entity"]) {
		if implementorsOf(def.Name) == nil {
			t.Errorf("entity type %s: implementorsOf does not know it", def.Name)
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			n++
			if entityFieldReads(def.Name, f.Name) == model.AllEntityFields {
				t.Errorf("%s.%s: entityFieldReads has no case for it", def.Name, f.Name)
			}
		}
	}
	if n < 60 {
		t.Errorf("only %d fields of entity types found", n)
	}
}

// TestRelationListsAskWhatTheirResolversAsk holds relationListOf and assemblyQuery, what
// reading ahead asks for a list of relations, to what the field's resolver asks, with and
// without its status and asOf, and checks that it knows every such field of the schema.
func TestRelationListsAskWhatTheirResolversAsk(t *testing.T) {
	r := &Resolver{}
	base := model.EntityBase{ID: "x"}
	type args struct {
		status []model.RelationStatus
		asOf   *model.Date
	}
	fields := map[string]func(context.Context, args) error{
		"Organization.assembles": func(ctx context.Context, a args) error {
			_, err := r.Organization().Assembles(ctx, &model.Organization{EntityBase: base}, a.status, a.asOf)
			return err
		},
		"Plant.assembles": func(ctx context.Context, a args) error {
			_, err := r.Plant().Assembles(ctx, &model.Plant{EntityBase: base}, a.status, a.asOf)
			return err
		},
		"Brand.assemblers": func(ctx context.Context, a args) error {
			_, err := r.Brand().Assemblers(ctx, &model.Brand{EntityBase: base}, a.status, a.asOf)
			return err
		},
		"VehicleModel.assemblers": func(ctx context.Context, a args) error {
			_, err := r.VehicleModel().Assemblers(ctx, &model.VehicleModel{EntityBase: base}, a.status, a.asOf)
			return err
		},
	}
	asOf := model.MustDate("2021")
	for name, resolve := range fields {
		t.Run(name, func(t *testing.T) {
			object, field, _ := strings.Cut(name, ".")
			dir, ok := relationListOf(object, field)
			if !ok {
				t.Fatalf("relationListOf(%q, %q) knows no list", object, field)
			}
			for _, a := range []args{{}, {asOf: &asOf}, {status: []model.RelationStatus{model.StatusActive, model.StatusPlanned}, asOf: &asOf}} {
				rec := &recordingReader{}
				if err := resolve(loader.With(t.Context(), loader.New(rec)), a); err != nil {
					t.Fatal(err)
				}
				if want := []model.RelationsOfKey{assemblyQuery(dir, a.status, a.asOf).Key()}; !slices.Equal(rec.keys, want) {
					t.Errorf("%+v: the resolver asked\n%q\nreading ahead asks\n%q", a, rec.keys, want)
				}
			}
		})
	}
	s := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	for _, def := range s.GetPossibleTypes(s.Types["Entity"]) {
		for _, f := range def.Fields {
			_, known := relationListOf(def.Name, f.Name)
			lists := f.Type.Elem != nil && f.Type.Name() == "Relation"
			if known != lists {
				t.Errorf("%s.%s: a list of relations %v, known to relationListOf %v", def.Name, f.Name, lists, known)
			}
			if _, ok := fields[def.Name+"."+f.Name]; known && !ok {
				t.Errorf("relationListOf knows %s.%s, which this test does not resolve", def.Name, f.Name)
			}
		}
	}
}
