package neo4jstore

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"
)

// update rewrites the golden statements: go test ./graph/neo4jstore -run TestCypherGolden -update
var update = flag.Bool("update", false, "rewrite the golden statements under testdata/cypher")

// goldenDir holds one file per statement of goldenStatements, named for it.
var goldenDir = filepath.Join("testdata", "cypher")

// normalised is q after its Normalize, as the Store methods hand queries to the builders.
func normalised[Q interface{ Normalize() (Q, error) }](t *testing.T, q Q) Q {
	t.Helper()
	n, err := q.Normalize()
	if err != nil {
		t.Fatalf("Normalize(%+v) = %v", q, err)
	}
	return n
}

// goldenStatements is every statement the store sends, whole, for a representative set of
// inputs that takes every branch of every builder: each ordering with and without a cursor,
// each filter, each direction, with and without types and asOf. Builders that only splice a
// kind or a type into a template appear with one; spreadStatements has them all. The names
// are the golden files' names and say which Go function runs the statement.
func goldenStatements(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	add := func(name, q string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, dup := out[name]; dup {
			t.Fatalf("two golden statements named %s", name)
		}
		out[name] = q
	}
	date := model.MustDate("2023-04")
	byName := func(desc bool) model.Order { return model.Order{Field: model.SortByName, Desc: desc} }
	byID := func(desc bool) model.Order { return model.Order{Field: model.SortByID, Desc: desc} }

	// store.go
	add("ping", cypherPing, nil)
	add("is-empty", cypherCountEntities, nil)

	// entities.go
	add("entity", cypherEntity, nil)
	add("entities-by-id", cypherEntitiesByID, nil)
	entities := func(name string, q model.EntityQuery, cursor bool) {
		t.Helper()
		if cursor {
			q.After = q.CursorAt("k", "i")
		}
		c, _, err := entitiesQuery(normalised(t, q))
		add(name, c, err)
	}
	entities("entities", model.EntityQuery{}, false)
	entities("entities-organizations-filtered", model.EntityQuery{Kind: model.KindOrganization, Filter: model.EntityFilter{
		IDs: []string{"a"}, NameContains: "x",
		Attrs: []model.AttrFilter{{Field: model.AttrOrganizationType, Values: []string{"GROUP"}}, {Field: model.AttrCountry, Values: []string{"china", ""}}},
	}}, false)
	entities("entities-brands-ordered-by-name-after", model.EntityQuery{Kind: model.KindBrand, Order: byName(false)}, true)
	entities("entities-ordered-by-name-desc-after", model.EntityQuery{Order: byName(true)}, true)
	entities("entities-ordered-by-id-after", model.EntityQuery{Order: byID(false)}, true)
	entities("entities-ordered-by-id-desc-after", model.EntityQuery{Order: byID(true)}, true)

	// search.go
	add("search", searchStatement(normalised(t, model.SearchQuery{Text: "x"})), nil)
	add("search-kinds-in-part", searchStatement(normalised(t, model.SearchQuery{Text: "x", Kinds: []model.EntityKind{model.KindBrand, model.KindOrganization},
		Fields: model.FieldID | model.FieldName})), nil)

	// sources.go
	add("source", cypherSource, nil)
	add("sources-by-id", cypherSourcesByID, nil)
	sources := func(name string, q model.SourceQuery, cursor bool) {
		t.Helper()
		if cursor {
			q.After = q.CursorAt("k", "i")
		}
		c, _, err := sourcesQuery(normalised(t, q))
		add(name, c, err)
	}
	sources("sources", model.SourceQuery{}, false)
	sources("sources-filtered", model.SourceQuery{Filter: model.SourceFilter{IDs: []string{"a"}, TitleContains: "t", PublisherIDs: []string{"p"}}}, false)
	sources("sources-of-publishers-or-none", model.SourceQuery{Filter: model.SourceFilter{PublisherIDs: []string{"p", ""}}}, false)
	for _, o := range []struct {
		name  string
		field model.SortField
	}{{"title", model.SortByTitle}, {"published-on", model.SortByPublishedOn}, {"id", model.SortByID}} {
		sources("sources-ordered-by-"+o.name+"-after", model.SourceQuery{Order: model.Order{Field: o.field}}, true)
		sources("sources-ordered-by-"+o.name+"-desc-after", model.SourceQuery{Order: model.Order{Field: o.field, Desc: true}}, true)
	}

	// relations.go
	add("relation", relationByIDQuery(), nil)
	fullFilter := model.RelationFilter{
		IDs: []string{"r"}, Types: []model.RelationType{model.RelOwnsBrand, model.RelAssembles},
		Status: []model.RelationStatus{model.StatusActive}, AsOf: &date,
		FromIDs: []string{"a"}, ToIDs: []string{"b"}, SourceIDs: []string{"s"},
	}
	c, _, err := relationsQuery(normalised(t, model.RelationQuery{}))
	add("relations", c, err)
	rq := model.RelationQuery{Filter: fullFilter}
	rq.After = rq.CursorAt("r")
	c, _, err = relationsQuery(normalised(t, rq))
	add("relations-filtered-after", c, err)
	for _, d := range model.AllDirections() {
		name := "relations-of-" + strings.ToLower(string(d))
		c, _, err := relationsOfQuery([]string{"a"}, normalised(t, model.RelationsOfQuery{Direction: d}), false)
		add(name, c, err)
		q := model.RelationsOfQuery{Direction: d, Filter: fullFilter}
		q.After = q.CursorAt("r")
		c, _, err = relationsOfQuery([]string{"a"}, normalised(t, q), false)
		add(name+"-filtered-after", c, err)
		c, _, err = relationsOfQuery([]string{"a"}, normalised(t, model.RelationsOfQuery{Direction: d, Filter: model.RelationFilter{Types: []model.RelationType{model.RelHasModel}}, First: model.MaxListSize}), true)
		add(name+"-with-ends", c, err)
	}

	// nested.go: a typed list with the lists of the entities it reaches (organization ->
	// brands as of a date -> models), and two sibling lists.
	typed := func(d model.Direction, asOf *model.Date, rt model.RelationType) model.RelationsOfQuery {
		return normalised(t, model.RelationsOfQuery{Direction: d, Filter: model.RelationFilter{Types: []model.RelationType{rt}, AsOf: asOf}, First: model.MaxListSize})
	}
	c, _, err = nestedQuery([]string{"a"}, []model.RelationsTree{{Query: typed(model.DirectionOut, &date, model.RelOwnsBrand), Next: []model.RelationsTree{{Query: typed(model.DirectionOut, nil, model.RelHasModel)}}}})
	add("nested-brands-as-of-models", c, err)
	c, _, err = nestedQuery([]string{"a"}, []model.RelationsTree{{Query: typed(model.DirectionOut, nil, model.RelOwnsBrand)}, {Query: typed(model.DirectionIn, nil, model.RelJointVentureOf)}, {Query: typed(model.DirectionBoth, nil, model.RelPartnersWith)}})
	add("nested-siblings", c, err)
	// The same read for a selection of ids and names: slim relations, and only those fields.
	c, _, err = nestedQuery([]string{"a"}, []model.RelationsTree{{Query: typed(model.DirectionOut, nil, model.RelOwnsBrand), Ends: model.FieldID | model.FieldName,
		Next: []model.RelationsTree{{Query: typed(model.DirectionOut, nil, model.RelHasModel), Ends: model.FieldID | model.FieldName}}}})
	add("nested-brands-models-read-in-part", c, err)

	// filter.go and aggregate.go: the composable filters with every operator, the orderings
	// beyond id and name, aggregates and count-only pages.
	s, n := "x", 1
	yes := true
	text := &model.TextFilter{Eq: &s, In: []string{"a"}, Contains: &s, StartsWith: &s}
	dates := &model.DateFilter{Before: &date, After: &date, Overlaps: &date, Exists: &yes}
	ints := &model.IntFilter{Eq: &n, Lt: &n, Lte: &n, Gt: &n, Gte: &n}
	periods := &model.DateFilter{Before: &date, After: &date, Overlaps: &date}
	endpoint := &model.EntityWhere{IDs: []string{"a"}, Kind: []model.EntityKind{model.KindBrand}, Name: text, Founded: dates}
	relWhere := &model.RelationWhere{
		IDs: []string{"r"}, Types: []model.RelationType{model.RelAssembles}, Status: []model.RelationStatus{model.StatusActive}, AsOf: &date,
		From: []string{"a"}, To: []string{"b"}, Sources: []string{"s"},
		ValidFrom: dates, ValidTo: dates, Period: periods, Quantity: ints,
		Cites: &model.CitesWhere{
			Some: &model.SourceMatch{IDs: []string{"s"}, Publisher: []string{"p"}, PublishedOn: dates},
			None: &model.SourceMatch{Publisher: []string{"p"}}, All: &model.SourceMatch{PublishedOn: dates},
		},
		FromEntity: endpoint, ToEntity: endpoint,
		Or: []*model.RelationWhere{{Status: []model.RelationStatus{model.StatusEnded}}, {Not: &model.RelationWhere{Quantity: ints}}},
	}
	withOther := *relWhere
	withOther.Other = endpoint
	related := func(d model.Direction) *model.RelatedWhere {
		return &model.RelatedWhere{Direction: d, Types: []model.RelationType{model.RelOwnsBrand}, Status: []model.RelationStatus{model.StatusActive}, AsOf: &date,
			Some: &model.RelationWhere{Other: endpoint, Period: periods, Quantity: ints}, None: &model.RelationWhere{Other: &model.EntityWhere{IDs: []string{"a"}}}, All: &model.RelationWhere{Status: []model.RelationStatus{model.StatusActive}},
			Count: ints, Others: ints}
	}
	entities("entities-composable", model.EntityQuery{Kind: model.KindOrganization, Filter: model.EntityFilter{Where: &model.EntityWhere{
		IDs: []string{"a"}, Kind: []model.EntityKind{model.KindOrganization}, NameContains: "x", Name: text, Founded: dates,
		Attrs:     []model.AttrFilter{{Field: model.AttrOwnership, Values: []string{"PRIVATE"}}},
		Relations: related(model.DirectionOut),
		And:       []*model.EntityWhere{{Relations: related(model.DirectionIn)}},
		Or:        []*model.EntityWhere{{Relations: &model.RelatedWhere{Direction: model.DirectionBoth}}, {Not: &model.EntityWhere{IDs: []string{"b"}}}},
	}}}, false)
	entities("entities-or-of-nothing", model.EntityQuery{Filter: model.EntityFilter{Where: &model.EntityWhere{Or: []*model.EntityWhere{}}}}, false)
	entities("entities-ordered-by-founded-after", model.EntityQuery{Order: model.Order{Field: model.SortByFounded}}, true)
	entities("entities-ordered-by-founded-desc-after", model.EntityQuery{Order: model.Order{Field: model.SortByFounded, Desc: true}}, true)
	createdAt := model.EntityQuery{Kind: model.KindBrand, Order: model.Order{Field: model.SortByCreatedAt, Desc: true}}
	createdAt.After = createdAt.CursorAt(model.TimeKey(time.Date(2026, 12, 1, 16, 0, 0, 0, time.UTC)), "i")
	c, _, err = entitiesQuery(normalised(t, createdAt))
	add("entities-brands-ordered-by-created-at-desc-after", c, err)
	updatedAt := model.EntityQuery{Order: model.Order{Field: model.SortByUpdatedAt}}
	updatedAt.After = updatedAt.CursorAt(model.TimeKey(time.Date(2026, 12, 1, 16, 0, 0, 0, time.UTC)), "i")
	c, _, err = entitiesQuery(normalised(t, updatedAt))
	add("entities-ordered-by-updated-at-after", c, err)
	orgAggregates := &model.EntityAggregateRequest{CountBy: []model.EntityAggregateField{model.EntityAggregateByKind, model.EntityAggregateByCountry,
		model.EntityAggregateByType, model.EntityAggregateByOwnership}, Founded: true}
	entities("entities-organizations-aggregate", model.EntityQuery{Kind: model.KindOrganization, Aggregate: orgAggregates,
		Filter: model.EntityFilter{Attrs: []model.AttrFilter{{Field: model.AttrCountry, Values: []string{"china"}}}}}, false)
	entities("entities-organizations-count-only-aggregate", model.EntityQuery{Kind: model.KindOrganization, Aggregate: orgAggregates, CountOnly: true,
		Filter: model.EntityFilter{Where: &model.EntityWhere{Not: &model.EntityWhere{IDs: []string{"a"}}}}}, false)
	entities("entities-count-only", model.EntityQuery{CountOnly: true}, false)
	entities("entities-brands-count-only-aggregate", model.EntityQuery{Kind: model.KindBrand, CountOnly: true,
		Aggregate: &model.EntityAggregateRequest{CountBy: []model.EntityAggregateField{model.EntityAggregateBySegment}, Founded: true}}, false)
	allAggregates := &model.AggregateRequest{CountBy: []model.AggregateField{model.AggregateByType, model.AggregateByStatus, model.AggregateByFromKind, model.AggregateByToKind}, Dates: true}
	for _, v := range []struct {
		name string
		q    model.RelationQuery
	}{
		{"relations-composable", model.RelationQuery{Filter: model.RelationFilter{Types: []model.RelationType{model.RelAssembles}, Where: relWhere}}},
		{"relations-ordered-by-type-after", model.RelationQuery{Order: model.Order{Field: model.SortByType}, After: "k"}},
		{"relations-ordered-by-valid-from-desc-after", model.RelationQuery{Order: model.Order{Field: model.SortByValidFrom, Desc: true}, After: "k"}},
		{"relations-ordered-by-valid-to-after", model.RelationQuery{Order: model.Order{Field: model.SortByValidTo}, After: "k"}},
		{"relations-ordered-by-id-desc-after", model.RelationQuery{Order: model.Order{Field: model.SortByID, Desc: true}, After: "k"}},
		{"relations-aggregate", model.RelationQuery{Filter: model.RelationFilter{Status: []model.RelationStatus{model.StatusActive}}, Aggregate: allAggregates}},
		{"relations-count-only", model.RelationQuery{Filter: model.RelationFilter{Status: []model.RelationStatus{model.StatusActive}}, CountOnly: true}},
		{"relations-count-only-aggregate", model.RelationQuery{Aggregate: &model.AggregateRequest{CountBy: []model.AggregateField{model.AggregateByType}}, CountOnly: true}},
	} {
		q := v.q
		if q.After != "" {
			q.After = q.CursorAtKey("k", "r")
		}
		c, _, err := relationsQuery(normalised(t, q))
		add(v.name, c, err)
	}
	for _, v := range []struct {
		name string
		q    model.RelationsOfQuery
	}{
		{"relations-of-both-composable", model.RelationsOfQuery{Direction: model.DirectionBoth, Filter: model.RelationFilter{Where: &withOther}}},
		{"relations-of-out-ordered-by-valid-from-after", model.RelationsOfQuery{Direction: model.DirectionOut, Order: model.Order{Field: model.SortByValidFrom}, After: "k"}},
		{"relations-of-in-ordered-by-type-desc-after", model.RelationsOfQuery{Direction: model.DirectionIn, Order: model.Order{Field: model.SortByType, Desc: true}, After: "k"}},
		{"relations-of-both-aggregate", model.RelationsOfQuery{Direction: model.DirectionBoth, Filter: model.RelationFilter{AsOf: &date}, Aggregate: allAggregates}},
		{"relations-of-out-count-only", model.RelationsOfQuery{Direction: model.DirectionOut, CountOnly: true}},
		{"relations-of-both-count-only-aggregate", model.RelationsOfQuery{Direction: model.DirectionBoth, Aggregate: allAggregates, CountOnly: true}},
	} {
		q := v.q
		if q.After != "" {
			q.After = q.CursorAtKey("k", "r")
		}
		c, _, err := relationsOfQuery([]string{"a"}, normalised(t, q), false)
		add(v.name, c, err)
	}

	// explore.go
	for _, v := range []struct {
		name  string
		depth int
		types []model.RelationType
		asOf  *model.Date
	}{
		{"-depth-0", 0, nil, nil},
		{"-depth-2", 2, nil, nil},
		{"-depth-3-typed-as-of", model.MaxNeighborhoodDepth, []model.RelationType{model.RelLocatedIn, model.RelOwnsBrand}, &date},
	} {
		c, _, err := neighborhoodQuery(normalised(t, model.NeighborhoodQuery{ID: "a", Depth: v.depth, Types: v.types, AsOf: v.asOf}))
		add("neighborhood"+v.name, c, err)
	}
	c, _, err = neighborhoodQuery(normalised(t, model.NeighborhoodQuery{ID: "a", Depth: 2, Nodes: model.FieldID | model.FieldName, NoRelations: true}))
	add("neighborhood-depth-2-names-no-relations", c, err)
	c, _, err = neighborhoodQuery(normalised(t, model.NeighborhoodQuery{ID: "a", Depth: 1, AsOf: &date, Nodes: model.FieldID | model.FieldOwn}))
	add("neighborhood-depth-1-as-of-read-in-part", c, err)
	c, _, err = pathsQuery(normalised(t, model.PathQuery{From: "a", To: "b"}))
	add("paths", c, err)
	c, _, err = pathsQuery(normalised(t, model.PathQuery{From: "a", To: "b", MaxLength: model.MaxPathLength,
		Types: []model.RelationType{model.RelPartyTo}, AsOf: &date}))
	add("paths-typed-as-of-longest", c, err)

	// write.go
	add("write-lookup", writeLookupQuery(), nil)
	c, err = upsertEntityQuery(model.KindOrganization)
	add("upsert-entity-organization", c, err)
	add("upsert-source", cypherUpsertSource, nil)
	c, err = putRelationQuery(model.RelAssembles)
	add("put-relation-assembles", c, err)
	add("delete-relation", deleteRelationQuery(), nil)
	add("delete-entity", cypherDeleteEntity, nil)
	add("delete-entity-prior", cypherDeleteEntityPrior, nil)

	// history.go
	add("revision-next", cypherNextRevision, nil)
	add("revision-record", cypherRecordRevision, nil)
	add("revision-record-import-changes", cypherRecordImportChanges, nil)
	add("revision-drop-import-changes", cypherDropImportChanges, nil)
	add("revision-import-touched", cypherImportTouched, nil)
	for _, v := range []struct {
		name string
		q    model.RevisionQuery
	}{
		{"revisions", model.RevisionQuery{}},
		{"revisions-desc-after", model.RevisionQuery{Desc: true, Since: 2, Until: 9, After: model.RevisionCursor(7)}},
		{"revisions-of-item", model.RevisionQuery{ID: "a", Since: 3}},
		{"revisions-of-item-desc-after", model.RevisionQuery{ID: "a", Desc: true, After: model.RevisionCursor(7)}},
	} {
		q, after, err := v.q.Normalize()
		if err != nil {
			t.Fatal(err)
		}
		c, _ := revisionsQuery(q, after)
		add(v.name, c, nil)
	}
	add("revision-changes", cypherChanges, nil)
	add("revision-changes-of-items", cypherChangesOf, nil)
	add("revision-exists", cypherRevisionExists, nil)
	add("prior-states", cypherPriorStates, nil)
	add("changed-since", cypherChangedSince, nil)
	add("history-bounds", cypherHistoryBounds, nil)
	add("revision-at", cypherRevisionAt, nil)
	add("prune-floor", cypherPruneFloor, nil)
	add("prune-changes", cypherPruneChanges, nil)
	add("prune-import-changes", cypherPruneImportChanges, nil)
	add("prune-revisions", cypherPruneRevisions, nil)

	// hierarchy.go
	for _, rt := range model.AllRelationTypes() {
		if rt.Hierarchical() {
			c, err := hierarchyChainQuery(rt)
			add("hierarchy-chain-"+kebab(string(rt)), c, err)
			c, err = countRelationsQuery(rt)
			add("count-relations-"+kebab(string(rt)), c, err)
		}
	}

	// import.go
	add("import-check", importCheckQuery(), nil)
	add("merge-sources", cypherMergeSources, nil)
	c, err = mergeEntitiesQuery(model.KindBrand)
	add("merge-entities-brand", c, err)
	c, err = mergeRelationsQuery(model.RelOwnsBrand)
	add("merge-relations-owns-brand", c, err)
	add("create-sources", cypherCreateSources, nil)
	add("create-entities-brand", createEntitiesQuery(model.KindBrand), nil)
	add("create-relations-owns-brand", createRelationsQuery(model.RelOwnsBrand), nil)

	// journal.go
	add("import-acquire-run", cypherAcquireRun, nil)
	add("import-count", cypherCountImport, nil)
	add("import-claim-run", cypherClaimRun, nil)
	add("import-heartbeat", cypherHeartbeat, nil)
	add("import-commit-run", cypherCommitRun, nil)
	add("import-release-run", cypherReleaseRun, nil)
	add("import-find-run", cypherFindRun, nil)
	add("import-journal-batch", cypherJournalBatch, nil)
	add("import-save-entities", cypherSaveEntities, nil)
	add("import-save-sources", cypherSaveSources, nil)
	add("import-save-relations", saveRelationsQuery(), nil)
	add("import-next-journal", cypherNextJournal, nil)
	c, err = undoRelationsQuery(model.RelOwnsBrand)
	add("import-undo-relations-owns-brand", c, err)
	c, err = restoreRelationsQuery(model.RelOwnsBrand)
	add("import-restore-relations-owns-brand", c, err)
	add("import-undo-entities", cypherUndoEntities, nil)
	c, err = restoreEntitiesQuery(model.KindBrand)
	add("import-restore-entities-brand", c, err)
	add("import-undo-sources", cypherUndoSources, nil)
	add("import-restore-sources", cypherRestoreSources, nil)
	add("import-drop-journal-batch", cypherDropJournalBatch, nil)
	add("import-drop-journal", cypherDropJournal, nil)
	add("backfill-search-text", cypherBackfillSearchText, nil)

	// schema.go: each statement named for the constraint or index it creates.
	schemaName := regexp.MustCompile(`^CREATE (?:CONSTRAINT|INDEX|FULLTEXT INDEX|TEXT INDEX) (\w+) `)
	for _, s := range schemaStatements() {
		m := schemaName.FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("schema statement without a name: %s", s)
		}
		add("schema-"+kebab(m[1]), s, nil)
	}

	// neo4jtest, which empties the test database between tests.
	add("test-wipe", neo4jtest.WipeStatement, nil)
	return out
}

// kebab is SUBSIDIARY_OF or entity_id as a file name: subsidiary-of, entity-id.
func kebab(s string) string { return strings.ReplaceAll(strings.ToLower(s), "_", "-") }

// spreadStatements is what the builders make over every kind, type and ordering they accept
// (with and without a cursor, types and asOf), beyond the golden set, so that the checks of every
// statement (the linter, the test server, TestCypher25Forms) see every label and type spliced
// into every template.
func spreadStatements(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	add := func(name, q string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = q
	}
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
	date := model.MustDate("2023-04")
	for _, types := range [][]model.RelationType{nil, model.AllRelationTypes()} {
		for _, asOf := range []*model.Date{nil, &date} {
			for depth := 0; depth <= model.MaxNeighborhoodDepth; depth++ {
				c, _, err := neighborhoodQuery(normalised(t, model.NeighborhoodQuery{ID: "a", Depth: depth, Types: types, AsOf: asOf}))
				add(fmt.Sprintf("neighborhood depth %d %d types asOf=%v", depth, len(types), asOf != nil), c, err)
				c, _, err = neighborhoodQuery(normalised(t, model.NeighborhoodQuery{ID: "a", Depth: depth, Types: types, AsOf: asOf,
					Nodes: model.FieldID | model.FieldName | model.FieldSources, NoRelations: true}))
				add(fmt.Sprintf("neighborhood depth %d %d types asOf=%v, no relations", depth, len(types), asOf != nil), c, err)
			}
			for n := 1; n <= model.MaxPathLength; n++ {
				c, _, err := pathsQuery(normalised(t, model.PathQuery{From: "a", To: "b", MaxLength: n, Types: types, AsOf: asOf}))
				add(fmt.Sprintf("paths %d %d types asOf=%v", n, len(types), asOf != nil), c, err)
			}
		}
	}
	for _, k := range model.AllEntityKinds() {
		c, err := restoreEntitiesQuery(k)
		add("restore "+string(k), c, err)
		c, err = mergeEntitiesQuery(k)
		add("merge "+string(k), c, err)
		add("create "+string(k), createEntitiesQuery(k), nil)
		c, err = upsertEntityQuery(k)
		add("upsert "+string(k), c, err)
	}
	for _, rt := range model.AllRelationTypes() {
		c, err := undoRelationsQuery(rt)
		add("undo "+string(rt), c, err)
		c, err = restoreRelationsQuery(rt)
		add("restore "+string(rt), c, err)
		c, err = mergeRelationsQuery(rt)
		add("merge "+string(rt), c, err)
		add("create "+string(rt), createRelationsQuery(rt), nil)
		c, err = putRelationQuery(rt)
		add("put "+string(rt), c, err)
		c, err = countRelationsQuery(rt)
		add("count "+string(rt), c, err)
	}
	return out
}

// everyStatement is every complete statement the store sends: the golden set and the spread.
func everyStatement(t *testing.T) map[string]string {
	out := map[string]string{}
	for k, v := range goldenStatements(t) {
		out["golden "+k] = v
	}
	for k, v := range spreadStatements(t) {
		out["spread "+k] = v
	}
	return out
}

// TestCypherGolden holds every statement of goldenStatements to its file under
// testdata/cypher, so a change to any statement shows whole in review. -update rewrites the
// files and removes those no statement has.
func TestCypherGolden(t *testing.T) {
	statements := goldenStatements(t)
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, q := range statements {
		file := filepath.Join(goldenDir, name+".cypher")
		got := strings.TrimLeft(q, "\n") + "\n"
		if *update {
			if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Errorf("%s: %v (run go test ./graph/neo4jstore -run TestCypherGolden -update)", name, err)
			continue
		}
		if got != string(want) {
			t.Errorf("%s differs from %s (run with -update to accept):\n--- got\n%s--- want\n%s", name, file, got, want)
		}
	}
	files, err := filepath.Glob(filepath.Join(goldenDir, "*.cypher"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, ok := statements[strings.TrimSuffix(filepath.Base(f), ".cypher")]; ok {
			continue
		}
		if *update {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s belongs to no statement (run with -update to remove it)", f)
	}
}

// TestGoldenSetHasEveryStatementConstant checks that every constant that is a statement as it
// is (named cypher*, with no template verb) is in the golden set, so a statement added later
// cannot miss its golden file, the linter or the test server.
func TestGoldenSetHasEveryStatementConstant(t *testing.T) {
	golden := goldenStatements(t)
	var have []string
	for _, q := range golden {
		have = append(have, q)
	}
	for name, q := range stringConsts(t) {
		if strings.HasPrefix(name, "cypher") && !strings.Contains(q, "%") && !slices.Contains(have, q) {
			t.Errorf("the statement constant %s is not in goldenStatements", name)
		}
	}
}

// stringConsts returns the string constants declared in the package's files, by name,
// evaluated from the source (literals, concatenations and references to each other), so a
// constant added later is checked without being listed here.
func stringConsts(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
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
		t.Fatalf("found only %d string constants; is the parser missing some?", len(out))
	}
	return out
}

// allCypher is every constant (templates and fragments included) and every statement.
func allCypher(t *testing.T) map[string]string {
	out := everyStatement(t)
	for k, v := range stringConsts(t) {
		out["const "+k] = v
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
	labels := []string{labelEntity, labelSource, labelImportRun, labelImportJournal, labelImportPrior,
		labelRevisionCounter, labelRevision, labelRevisionChange}
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
// parameter: the only string literals allowed are the empty one and a space (for coalesce and
// word starts).
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
