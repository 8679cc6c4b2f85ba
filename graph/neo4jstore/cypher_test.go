package neo4jstore

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"

	"github.com/autograph-kg/autograph/graph/model"
)

// stringConsts returns the string constants declared in the package's cypher_*.go files, by
// name, evaluated from the source (literals, concatenations and references to each other), so
// a constant added later is checked without being listed here.
func stringConsts(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("cypher_*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	exprs := map[string]ast.Expr{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						exprs[name.Name] = vs.Values[i]
					}
				}
			}
		}
	}
	var eval func(ast.Expr) (string, bool)
	eval = func(e ast.Expr) (string, bool) {
		switch x := e.(type) {
		case *ast.BasicLit:
			if x.Kind != token.STRING {
				return "", false
			}
			s, err := strconv.Unquote(x.Value)
			return s, err == nil
		case *ast.BinaryExpr:
			a, ok1 := eval(x.X)
			b, ok2 := eval(x.Y)
			return a + b, ok1 && ok2 && x.Op == token.ADD
		case *ast.Ident:
			if v, ok := exprs[x.Name]; ok {
				return eval(v)
			}
		case *ast.ParenExpr:
			return eval(x.X)
		}
		return "", false
	}
	out := map[string]string{}
	for name, e := range exprs {
		if s, ok := eval(e); ok {
			out[name] = s
		}
	}
	if len(out) < 40 {
		t.Fatalf("found only %d string constants in cypher_*.go; is the parser missing some?", len(out))
	}
	return out
}

// normalised is q after its Normalize, as the Store methods hand queries to the builders.
func normalised[Q interface{ Normalize() (Q, error) }](t *testing.T, q Q) Q {
	t.Helper()
	n, err := q.Normalize()
	if err != nil {
		t.Fatalf("Normalize(%+v) = %v", q, err)
	}
	return n
}

// builtQueries returns every statement the builders can produce, over all their whitelisted
// inputs (and a representative spread of filters), by a descriptive name.
func builtQueries(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	add := func(name, q string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = q
	}
	date := model.MustDate("2023-04")
	kinds := append([]model.EntityKind{""}, model.AllEntityKinds()...)
	orders := []model.Order{
		{}, {Field: model.SortByName}, {Field: model.SortByName, Desc: true},
		{Field: model.SortByID}, {Field: model.SortByID, Desc: true},
	}
	for _, k := range kinds {
		for _, o := range orders {
			for _, cursor := range []bool{false, true} {
				q := model.EntityQuery{Kind: k, Order: o, Filter: model.EntityFilter{IDs: []string{"a"}, NameContains: "x"}}
				if fields := model.AttrFields(k); len(fields) > 0 {
					q.Filter.Attrs = []model.AttrFilter{{Field: fields[0], Values: []string{"v"}}}
				}
				if cursor {
					q.After = q.CursorAt("k", "i")
				}
				c, _, err := entitiesQuery(normalised(t, q))
				add(fmt.Sprintf("entities %q %v cursor=%v", k, o, cursor), c, err)
			}
		}
		c, _, err := entitiesQuery(normalised(t, model.EntityQuery{Kind: k}))
		add(fmt.Sprintf("entities %q unfiltered", k), c, err)
	}
	for _, f := range []model.SortField{"", model.SortByTitle, model.SortByPublishedOn, model.SortByID} {
		for _, desc := range []bool{false, true} {
			o := model.Order{Field: f, Desc: desc}
			q := model.SourceQuery{Order: o, Filter: model.SourceFilter{IDs: []string{"a"}, TitleContains: "t", PublisherIDs: []string{"p", ""}}}
			q.After = q.CursorAt("k", "i")
			c, _, err := sourcesQuery(normalised(t, q))
			add(fmt.Sprintf("sources %v", o), c, err)
		}
	}
	c, _, err := sourcesQuery(normalised(t, model.SourceQuery{Filter: model.SourceFilter{PublisherIDs: []string{"p"}}}))
	add("sources by publisher", c, err)
	fullFilter := model.RelationFilter{
		IDs: []string{"r"}, Types: []model.RelationType{model.RelAssembles, model.RelOwnsBrand},
		Status: []model.RelationStatus{model.StatusActive}, AsOf: &date,
		FromIDs: []string{"a"}, ToIDs: []string{"b"}, SourceIDs: []string{"s"},
	}
	c, _, err = relationsQuery(normalised(t, model.RelationQuery{}))
	add("relations unfiltered", c, err)
	c, _, err = relationsQuery(normalised(t, model.RelationQuery{Filter: fullFilter, After: model.RelationQuery{Filter: fullFilter}.CursorAt("r")}))
	add("relations filtered", c, err)
	for _, d := range append(model.AllDirections(), "") {
		c, _, err := relationsOfQuery([]string{"a"}, normalised(t, model.RelationsOfQuery{Direction: d}))
		add(fmt.Sprintf("relations of %q", d), c, err)
		q := model.RelationsOfQuery{Direction: d, Filter: fullFilter}
		q.After = q.CursorAt("r")
		c, _, err = relationsOfQuery([]string{"a"}, normalised(t, q))
		add(fmt.Sprintf("relations of %q filtered", d), c, err)
	}
	out["relation by id"] = relationByIDQuery()
	for _, types := range [][]model.RelationType{nil, model.AllRelationTypes()} {
		for _, asOf := range []*model.Date{nil, &date} {
			level, fetch, _, err := neighborhoodQueries(normalised(t, model.NeighborhoodQuery{Types: types, AsOf: asOf}))
			add(fmt.Sprintf("neighborhood level %d types asOf=%v", len(types), asOf != nil), level, err)
			out[fmt.Sprintf("neighborhood fetch %d types asOf=%v", len(types), asOf != nil)] = fetch
			for n := 1; n <= model.MaxPathLength; n++ {
				c, _, err := pathsQuery(normalised(t, model.PathQuery{From: "a", To: "b", MaxLength: n, Types: types, AsOf: asOf}))
				add(fmt.Sprintf("paths %d %d types asOf=%v", n, len(types), asOf != nil), c, err)
			}
		}
	}
	for i, s := range schemaStatements() {
		out[fmt.Sprintf("schema %d", i)] = s
	}
	for _, k := range model.AllEntityKinds() {
		c, err := mergeEntitiesQuery(k)
		add("merge "+string(k), c, err)
	}
	for _, rt := range model.AllRelationTypes() {
		c, err := mergeRelationsQuery(rt)
		add("merge "+string(rt), c, err)
	}
	for _, rt := range model.AllRelationTypes() {
		c, err := countRelationsQuery(rt)
		add("count "+string(rt), c, err)
		if rt.Hierarchical() {
			c, err := hierarchyChainQuery(rt)
			add("hierarchy chain "+string(rt), c, err)
		}
	}
	out["delete moved relations"] = deleteMovedRelationsQuery()
	out["import check"] = importCheckQuery()
	out["write lookup"] = writeLookupQuery()
	out["delete relation"] = deleteRelationQuery()
	for _, k := range model.AllEntityKinds() {
		c, err := upsertEntityQuery(k)
		add("upsert "+string(k), c, err)
	}
	for _, rt := range model.AllRelationTypes() {
		c, err := putRelationQuery(rt)
		add("put "+string(rt), c, err)
	}
	out["wipe (test)"] = neo4jtest.WipeStatement
	return out
}

// allCypher is every constant and every built statement.
func allCypher(t *testing.T) map[string]string {
	out := map[string]string{}
	for k, v := range stringConsts(t) {
		out["const "+k] = v
	}
	for k, v := range builtQueries(t) {
		out["built "+k] = v
	}
	return out
}

// TestCypher25Forms keeps every statement in the forms that both Cypher 5 (Neo4j 5.26) and
// Cypher 25 (the default language of newer databases) run without a deprecation: every CALL
// subquery has a scope clause, CALL (x) { ... }, never the importing WITH; no id(), no
// exists() on properties, no pattern expressions counted with size(). TestStatementsOnServer
// has a real server confirm it.
func TestCypher25Forms(t *testing.T) {
	forbidden := []*regexp.Regexp{
		regexp.MustCompile(`(?i)\bCALL\s*\{`),
		regexp.MustCompile(`(?i)\bexists\s*\(`),
		regexp.MustCompile(`(?i)(^|[^.\w])id\s*\(`),
		regexp.MustCompile(`(?i)\bsize\s*\(\s*\(`),
		regexp.MustCompile(`(?i)\bON\s*\(\s*\w+\s*:\s*\w+\s*\)\s*ASSERT\b`),
	}
	for name, q := range allCypher(t) {
		for _, re := range forbidden {
			if loc := re.FindStringIndex(q); loc != nil {
				t.Errorf("%s uses %q, which Cypher 25 deprecates or removed:\n%s", name, q[loc[0]:loc[1]], q)
			}
		}
	}
}

// TestOnlyWhitelistedLabelsAndTypes checks every label and relationship type written in any
// statement against the model's whitelists: nothing else may ever appear in Cypher text.
func TestOnlyWhitelistedLabelsAndTypes(t *testing.T) {
	labels := []string{labelEntity, labelSource}
	for _, k := range model.AllEntityKinds() {
		labels = append(labels, k.Label())
	}
	nodeLabels := regexp.MustCompile(`\(\s*\w*\s*((?::\s*\w+\s*)+)[\s{)]`)
	setLabels := regexp.MustCompile(`(?i)\b(?:SET|REMOVE)\s+\w+((?::\w+)+)`)
	relTypes := regexp.MustCompile(`\[\s*\w*\s*:\s*([A-Za-z_|]+)`)
	sawType := false
	for name, q := range allCypher(t) {
		for _, m := range append(nodeLabels.FindAllStringSubmatch(q, -1), setLabels.FindAllStringSubmatch(q, -1)...) {
			for _, l := range strings.Split(m[1], ":") {
				if l = strings.TrimSpace(l); l != "" && !slices.Contains(labels, l) {
					t.Errorf("%s uses label %q, which is not whitelisted:\n%s", name, l, q)
				}
			}
		}
		for _, m := range relTypes.FindAllStringSubmatch(q, -1) {
			for _, typ := range strings.Split(m[1], "|") {
				sawType = true
				if !model.RelationType(typ).IsValid() {
					t.Errorf("%s uses relationship type %q, which is not in model.AllRelationTypes:\n%s", name, typ, q)
				}
			}
		}
	}
	if !sawType {
		t.Error("no relationship type found in any statement: the check is not checking")
	}
}

// TestConstantsAreParameterized makes sure no statement quotes a value that should be a
// parameter: the only string literals allowed are ” and ' ' (for coalesce and word starts).
func TestConstantsAreParameterized(t *testing.T) {
	literal := regexp.MustCompile(`'[^']*'|"[^"]*"`)
	for name, q := range allCypher(t) {
		for _, lit := range literal.FindAllString(q, -1) {
			if lit != "''" && lit != "' '" {
				t.Errorf("%s has the literal %s; values must be parameters:\n%s", name, lit, q)
			}
		}
	}
}

func TestEntitiesQuery(t *testing.T) {
	avtotor := &model.Organization{EntityBase: model.EntityBase{ID: "avtotor", Name: "Avtotor"}}
	byName := model.Order{Field: model.SortByName}
	cases := []struct {
		name       string
		q          model.EntityQuery
		wantParams map[string]any
		contains   []string
		excludes   []string
	}{
		{
			name:       "defaults: every kind by name, first page",
			q:          model.EntityQuery{},
			wantParams: map[string]any{"limit": int64(model.DefaultPageSize + 1)},
			contains:   []string{"MATCH (n:Entity)", "ORDER BY " + entityOrderNameAsc},
			excludes:   []string{"WHERE", "$after"},
		},
		{
			name: "cursor by name",
			q:    model.EntityQuery{Kind: model.KindOrganization, Order: byName, First: 5, After: model.EntityQuery{Kind: model.KindOrganization, Order: byName}.Cursor(avtotor)},
			wantParams: map[string]any{
				"limit": int64(6), "afterKey": "avtotor", "afterId": "avtotor",
			},
			contains: []string{"MATCH (n:Organization)", entityAfterNameAsc},
		},
		{
			name: "cursor by id descending",
			q: model.EntityQuery{Order: model.Order{Field: model.SortByID, Desc: true},
				After: model.EntityQuery{Order: model.Order{Field: model.SortByID, Desc: true}}.Cursor(avtotor)},
			wantParams: map[string]any{"limit": int64(model.DefaultPageSize + 1), "afterKey": "", "afterId": "avtotor"},
			contains:   []string{entityAfterIDDesc, "ORDER BY " + entityOrderIDDesc},
		},
		{
			name: "filters",
			q: model.EntityQuery{Kind: model.KindOrganization, Filter: model.EntityFilter{
				IDs: []string{"a", "b"}, NameContains: "  Mercedes-BENZ ",
				Attrs: []model.AttrFilter{{Field: "type", Values: []string{"GROUP"}}, {Field: "ownership"}, {Field: "countryId", Values: []string{"china", ""}}},
			}},
			wantParams: map[string]any{
				"limit": int64(model.DefaultPageSize + 1), "ids": []string{"a", "b"}, "nameContains": "mercedes benz",
				"attr0": []string{"GROUP"}, "attr2": []string{"china", ""},
			},
			contains: []string{entityWhereIDs, entityWhereNameContains, "coalesce(n.type, '') IN $attr0", "coalesce(n.countryId, '') IN $attr2"},
			excludes: []string{"ownership", "$afterId"},
		},
		{
			name:       "name filter that normalises to nothing does not filter",
			q:          model.EntityQuery{Filter: model.EntityFilter{NameContains: " -- "}},
			wantParams: map[string]any{"limit": int64(model.DefaultPageSize + 1)},
			excludes:   []string{"WHERE"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, params, err := entitiesQuery(normalised(t, c.q))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(c.wantParams, params); d != "" {
				t.Errorf("params mismatch (-want +got):\n%s", d)
			}
			for _, s := range c.contains {
				if !strings.Contains(q, s) {
					t.Errorf("query lacks %q:\n%s", s, q)
				}
			}
			for _, s := range c.excludes {
				if strings.Contains(q, s) {
					t.Errorf("query has %q:\n%s", s, q)
				}
			}
		})
	}
}

// TestPageQueryCountsWithoutCursor checks that the count half of a page statement ignores the
// cursor (TotalCount spans pages) while the page half applies it.
func TestPageQueryCountsWithoutCursor(t *testing.T) {
	avtotor := &model.Organization{EntityBase: model.EntityBase{ID: "avtotor", Name: "Avtotor"}}
	q, _, err := entitiesQuery(normalised(t, model.EntityQuery{After: model.EntityQuery{}.Cursor(avtotor)}))
	if err != nil {
		t.Fatal(err)
	}
	count, page, ok := strings.Cut(q, "RETURN count(n) AS total")
	if !ok {
		t.Fatalf("no count in:\n%s", q)
	}
	if strings.Contains(count, "$after") {
		t.Errorf("the count applies the cursor:\n%s", q)
	}
	if !strings.Contains(page, entityAfterNameAsc) {
		t.Errorf("the page does not apply the cursor:\n%s", q)
	}
}

func TestBadInputIsRefusedBeforeCypher(t *testing.T) {
	avtotor := &model.Organization{EntityBase: model.EntityBase{ID: "avtotor", Name: "Avtotor"}}
	relCursor := model.RelationQuery{}.CursorAt("r")
	// Queries go through the Store methods, as callers send them: a store without a driver,
	// closed, so that input let through would fail with UNAVAILABLE rather than be refused.
	s := &Store{}
	s.closed.Store(true)
	ctx := t.Context()
	checks := map[string]func() error{
		"entities: unknown kind": func() error {
			_, err := s.Entities(ctx, model.EntityQuery{Kind: "SPACESHIP) DETACH DELETE (n"})
			return err
		},
		"entities: unknown order": func() error {
			_, err := s.Entities(ctx, model.EntityQuery{Order: model.Order{Field: model.SortByTitle}})
			return err
		},
		"entities: attribute of another kind": func() error {
			_, err := s.Entities(ctx, model.EntityQuery{Kind: model.KindPlant, Filter: model.EntityFilter{Attrs: []model.AttrFilter{{Field: "type", Values: []string{"x"}}}}})
			return err
		},
		"entities: attribute that is no attribute": func() error {
			_, err := s.Entities(ctx, model.EntityQuery{Filter: model.EntityFilter{Attrs: []model.AttrFilter{{Field: "name) RETURN 1 //", Values: []string{"x"}}}}})
			return err
		},
		"entities: relation cursor": func() error {
			_, err := s.Entities(ctx, model.EntityQuery{After: relCursor})
			return err
		},
		"entities: asc cursor used desc": func() error {
			_, err := s.Entities(ctx, model.EntityQuery{Order: model.Order{Field: model.SortByName, Desc: true}, After: model.EntityQuery{}.Cursor(avtotor)})
			return err
		},
		"sources: unknown order": func() error {
			_, err := s.Sources(ctx, model.SourceQuery{Order: model.Order{Field: model.SortByName}})
			return err
		},
		"relations: unknown type": func() error {
			_, err := s.Relations(ctx, model.RelationQuery{Filter: model.RelationFilter{Types: []model.RelationType{"KNOWS]->() DETACH DELETE n //"}}})
			return err
		},
		"relations: unknown status": func() error {
			_, err := s.Relations(ctx, model.RelationQuery{Filter: model.RelationFilter{Status: []model.RelationStatus{"MAYBE"}}})
			return err
		},
		"relations: entity cursor": func() error {
			_, err := s.Relations(ctx, model.RelationQuery{After: model.EntityQuery{Order: model.Order{Field: model.SortByID}}.Cursor(avtotor)})
			return err
		},
		"relations: cursor of an entity's relations": func() error {
			_, err := s.Relations(ctx, model.RelationQuery{After: model.RelationsOfQuery{}.CursorAt("r")})
			return err
		},
		"relations of: cursor of the relations listing": func() error {
			_, err := s.RelationsOf(ctx, []string{"a"}, model.RelationsOfQuery{After: relCursor})
			return err
		},
		"entities: cursor of another kind": func() error {
			_, err := s.Entities(ctx, model.EntityQuery{Kind: model.KindBrand, After: model.EntityQuery{Kind: model.KindOrganization}.Cursor(avtotor)})
			return err
		},
		"relations of: unknown direction": func() error {
			_, err := s.RelationsOf(ctx, []string{"a"}, model.RelationsOfQuery{Direction: "SIDEWAYS"})
			return err
		},
		"neighborhood: unknown type": func() error {
			_, err := s.Neighborhood(ctx, model.NeighborhoodQuery{Types: []model.RelationType{"KNOWS"}})
			return err
		},
		"paths: too long": func() error {
			_, err := s.Paths(ctx, model.PathQuery{From: "a", To: "b", MaxLength: model.MaxPathLength + 1})
			return err
		},
		"paths: unknown type": func() error {
			_, err := s.Paths(ctx, model.PathQuery{From: "a", To: "b", Types: []model.RelationType{"knows"}})
			return err
		},
		"search: unknown kind": func() error {
			_, err := s.Search(ctx, model.SearchQuery{Text: "x", Kinds: []model.EntityKind{"Entity"}})
			return err
		},
		"search: nothing to search": func() error {
			_, err := s.Search(ctx, model.SearchQuery{Text: " ?! "})
			return err
		},
		"merge: unknown kind": func() error {
			_, err := mergeEntitiesQuery("")
			return err
		},
		"merge: unknown type": func() error {
			_, err := mergeRelationsQuery("KNOWS")
			return err
		},
		"upsert: unknown kind": func() error {
			_, err := upsertEntityQuery("Entity")
			return err
		},
		"upsert: no kind": func() error {
			_, err := upsertEntityQuery("")
			return err
		},
		"put: unknown type": func() error {
			_, err := putRelationQuery("KNOWS]->(b) DETACH DELETE b //")
			return err
		},
	}
	for name, check := range checks {
		t.Run(name, func(t *testing.T) {
			if got := model.ErrorCode(check()); got != model.CodeBadUserInput {
				t.Errorf("error code = %s, want BAD_USER_INPUT", got)
			}
		})
	}
}

func TestRelationsQueries(t *testing.T) {
	date := model.MustDate("2023")
	rq := model.RelationQuery{
		Filter: model.RelationFilter{
			IDs: []string{"r1"}, Types: []model.RelationType{model.RelOwnsBrand, model.RelSubsidiaryOf, model.RelOwnsBrand},
			Status: []model.RelationStatus{model.StatusPlanned}, AsOf: &date,
			FromIDs: []string{"a"}, ToIDs: []string{"b"}, SourceIDs: []string{"s"},
		},
		First: 3,
	}
	rq.After = rq.CursorAt("r0")
	q, params, err := relationsQuery(normalised(t, rq))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"relationIds": []string{"r1"}, "status": []string{"PLANNED"}, "fromIds": []string{"a"}, "toIds": []string{"b"},
		"sourceIds": []string{"s"}, "asOfStart": "2023-01-01", "asOfEnd": "2024-01-01", "limit": int64(4), "afterId": "r0",
	}
	if d := cmp.Diff(want, params); d != "" {
		t.Errorf("params mismatch (-want +got):\n%s", d)
	}
	// Types in schema order, once each, so equal filters share a plan.
	if !strings.Contains(q, "-[r:SUBSIDIARY_OF|OWNS_BRAND]->") {
		t.Errorf("type pattern not in schema order:\n%s", q)
	}
	for _, s := range []string{relWhereFrom, relWhereTo, relWhereAsOf, relWhereSources, relWhereStatus, relWhereIDs, relAfter} {
		if !strings.Contains(q, s) {
			t.Errorf("query lacks %q:\n%s", s, q)
		}
	}

	q, params, err = relationsOfQuery([]string{"x", "y"}, normalised(t, model.RelationsOfQuery{
		Direction: model.DirectionIn,
		Filter:    model.RelationFilter{IDs: []string{"r1"}, FromIDs: []string{"a"}},
	}))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]any{"ids": []string{"x", "y"}, "relationIds": []string{"r1"}, "fromIds": []string{"a"}, "limit": int64(model.DefaultPageSize + 1)}, params); d != "" {
		t.Errorf("relations of: params mismatch (-want +got):\n%s", d)
	}
	for _, s := range []string{"(e)<-[r]-(:Entity)", relWhereFromStart, "count(DISTINCT r)", "WITH DISTINCT r"} {
		if !strings.Contains(q, s) {
			t.Errorf("relations of: query lacks %q:\n%s", s, q)
		}
	}
}

func TestExploreQueries(t *testing.T) {
	date := model.MustDate("2020-02-29")
	level, fetch, params, err := neighborhoodQueries(normalised(t, model.NeighborhoodQuery{Types: []model.RelationType{model.RelLocatedIn}, AsOf: &date}))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]any{"asOfStart": "2020-02-29", "asOfEnd": "2020-03-01"}, params); d != "" {
		t.Errorf("params mismatch (-want +got):\n%s", d)
	}
	for _, q := range []string{level, fetch} {
		if !strings.Contains(q, "[r:LOCATED_IN]") || !strings.Contains(q, relWhereAsOf) {
			t.Errorf("neighborhood query lacks the type or asOf filter:\n%s", q)
		}
	}
	q, params, err := pathsQuery(normalised(t, model.PathQuery{From: "a", To: "b"}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(q, fmt.Sprintf("[*..%d]", model.DefaultPathLength)) || strings.Contains(q, "relationships(p)") {
		t.Errorf("default paths query:\n%s", q)
	}
	if d := cmp.Diff(map[string]any{"from": "a", "to": "b", "maxPaths": int64(model.MaxPathsExplored)}, params); d != "" {
		t.Errorf("paths params mismatch (-want +got):\n%s", d)
	}
	q, _, err = pathsQuery(normalised(t, model.PathQuery{From: "a", To: "b", MaxLength: 6, AsOf: &date, Types: []model.RelationType{model.RelPartyTo}}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(q, "[:PARTY_TO*..6]") || !strings.Contains(q, "all(r IN relationships(p) WHERE "+relWhereAsOf+")") {
		t.Errorf("filtered paths query:\n%s", q)
	}
}

func TestSearchParams(t *testing.T) {
	p := searchParams(normalised(t, model.SearchQuery{Text: "  Škoda ", Kinds: []model.EntityKind{model.KindBrand, model.KindBrand, model.KindOrganization}, First: 3}))
	want := map[string]any{
		"q": "skoda", "kinds": []string{"BRAND", "ORGANIZATION"}, "limit": int64(3),
		"scoreExact": model.ScoreExact, "scorePrefix": model.ScorePrefix,
		"scoreWordPrefix": model.ScoreWordPrefix, "scoreSubstring": model.ScoreSubstring,
	}
	if d := cmp.Diff(want, p); d != "" {
		t.Errorf("params mismatch (-want +got):\n%s", d)
	}
	p = searchParams(normalised(t, model.SearchQuery{Text: "x"}))
	if got := p["kinds"].([]string); len(got) != len(model.AllEntityKinds()) || p["limit"] != int64(model.DefaultPageSize) {
		t.Errorf("no kinds means every kind and the default size; got kinds %v, limit %v", got, p["limit"])
	}
}

func TestSchemaStatements(t *testing.T) {
	got := schemaStatements()
	want := []string{
		"CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT vehicle_model_id IF NOT EXISTS FOR (n:VehicleModel) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT source_id IF NOT EXISTS FOR (n:Source) REQUIRE n.id IS UNIQUE",
		"CREATE INDEX entity_name_key IF NOT EXISTS FOR (n:Entity) ON (n.nameKey)",
		"CREATE INDEX source_published_start IF NOT EXISTS FOR (n:Source) ON (n.publishedStart)",
		"CREATE INDEX rel_joint_venture_of_id IF NOT EXISTS FOR ()-[r:JOINT_VENTURE_OF]-() ON (r.id)",
		cypherCreateNameFulltext,
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("schema lacks %q", w)
		}
	}
	if n := 1 + len(model.AllEntityKinds()) + 1 + 5 + len(model.AllRelationTypes()) + 1; len(got) != n {
		t.Errorf("%d schema statements, want %d", len(got), n)
	}
}

func TestWhitelist(t *testing.T) {
	if l, err := entityLabel(""); err != nil || l != "Entity" {
		t.Errorf(`entityLabel("") = %q, %v`, l, err)
	}
	for _, k := range model.AllEntityKinds() {
		if l, err := entityLabel(k); err != nil || l != k.Label() {
			t.Errorf("entityLabel(%s) = %q, %v", k, l, err)
		}
	}
	if s, err := relTypes(nil); err != nil || s != "" {
		t.Errorf("relTypes(nil) = %q, %v", s, err)
	}
	if s, err := relTypes([]model.RelationType{model.RelPartnersWith, model.RelSubsidiaryOf}); err != nil || s != ":SUBSIDIARY_OF|PARTNERS_WITH" {
		t.Errorf("relTypes = %q, %v", s, err)
	}
	for _, n := range []int{0, -1, model.MaxPathLength + 1} {
		if _, err := pathLength(n); model.ErrorCode(err) != model.CodeBadUserInput {
			t.Errorf("pathLength(%d) error = %v, want BAD_USER_INPUT", n, err)
		}
	}
	if s, err := pathLength(model.MaxPathLength); err != nil || s != strconv.Itoa(model.MaxPathLength) {
		t.Errorf("pathLength(max) = %q, %v", s, err)
	}
	if got := model.AttrFields(""); !slices.Contains(got, "segment") || !slices.Contains(got, "powertrain") {
		t.Errorf(`model.AttrFields("") = %v, want every kind's fields`, got)
	}
}
