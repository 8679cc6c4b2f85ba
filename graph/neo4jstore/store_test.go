package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"
	"github.com/autograph-kg/autograph/graph/storetest"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestConfigFromEnv(t *testing.T) {
	c, err := ConfigFromEnv(env(map[string]string{
		"NEO4J_URI": " neo4j+s://db.example.org ", "NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": "s3cret",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.URI != "neo4j+s://db.example.org" || c.Username != "neo4j" || c.Password != "s3cret" || c.Database != "neo4j" {
		t.Errorf("ConfigFromEnv = %+v", c)
	}
	c, err = ConfigFromEnv(env(map[string]string{"NEO4J_URI": "bolt://localhost:7687", "NEO4J_DATABASE": "kg"}))
	if err != nil || c.Database != "kg" || c.Username != "" {
		t.Errorf("ConfigFromEnv without auth = %+v, %v", c, err)
	}
	for _, scheme := range uriSchemes {
		if _, err := ConfigFromEnv(env(map[string]string{"NEO4J_URI": scheme + "://h:7687"})); err != nil {
			t.Errorf("scheme %s refused: %v", scheme, err)
		}
	}
	for name, m := range map[string]map[string]string{
		"no uri":               {},
		"http":                 {"NEO4J_URI": "http://u:hunter2@localhost:7474"},
		"no host":              {"NEO4J_URI": "bolt://"},
		"not a url":            {"NEO4J_URI": "bolt://u:hunter2@[::1"},
		"password, no user":    {"NEO4J_URI": "bolt://localhost", "NEO4J_PASSWORD": "hunter2"},
		"password in the uri:": {"NEO4J_URI": "ftp://neo4j:hunter2@localhost"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ConfigFromEnv(env(m))
			if err == nil {
				t.Fatal("error = nil")
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

func TestConfigNeverShowsThePassword(t *testing.T) {
	c := Config{URI: "neo4j://neo4j:hunter2@localhost:7687", Username: "neo4j", Password: "hunter2"}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "neo4j", c)
	for what, s := range map[string]string{"String": c.String(), "%v": fmt.Sprintf("%v", c), "%+v": fmt.Sprintf("%+v", c), "slog": logged.String()} {
		if strings.Contains(s, "hunter2") {
			t.Errorf("%s shows the password: %s", what, s)
		}
		if !strings.Contains(s, "localhost") {
			t.Errorf("%s does not name the server: %s", what, s)
		}
	}
}

func TestOpenRefusesBadConfigWithoutConnecting(t *testing.T) {
	_, err := Open(t.Context(), Config{URI: "http://neo4j:hunter2@localhost"})
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("Open with an http URI: error = %v", err)
	}
}

// TestOpenUnreachable dials a port nothing listens on: Open fails at once with UNAVAILABLE,
// naming the URI and not the password.
func TestOpenUnreachable(t *testing.T) {
	if testing.Short() {
		t.Skip("dials the loopback interface")
	}
	_, err := Open(t.Context(), Config{URI: "bolt://127.0.0.1:1", Username: "neo4j", Password: "hunter2"})
	if model.ErrorCode(err) != model.CodeUnavailable {
		t.Fatalf("Open(unreachable) error = %v, want UNAVAILABLE", err)
	}
	var e *model.Error
	if errors.As(err, &e); !strings.Contains(e.Message, "bolt://127.0.0.1:1") || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("message %q should name the URI and never the password (error: %v)", e.Message, err)
	}
}

func TestSupportedServer(t *testing.T) {
	for agent, want := range map[string]bool{
		"Neo4j/4.4.26": false, "Neo4j/5.25.1": false, "Neo4j/5.26.0": true, "Neo4j/5.20-aura": true, "Neo4j/2025.01.0": true,
		"Neo4j/4.3.9": false, "Neo4j/3.5.0": false, "Memgraph/2.0": true, "Neo4j/dev": true,
	} {
		if got := supportedServer(agent); got != want {
			t.Errorf("supportedServer(%q) = %v, want %v", agent, got, want)
		}
	}
}

func TestWrapErr(t *testing.T) {
	ctx := t.Context()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	syntax := &neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError", Msg: "Invalid input 'MATC' (line 1): MATC (n) RETURN n"}
	cases := []struct {
		name string
		ctx  context.Context
		err  error
		want model.Code
	}{
		{"connectivity", ctx, &neo4j.ConnectivityError{Inner: errors.New("connection refused")}, model.CodeUnavailable},
		{"transient", ctx, &neo4j.Neo4jError{Code: "Neo.TransientError.Transaction.DeadlockDetected"}, model.CodeUnavailable},
		{"auth", ctx, &neo4j.Neo4jError{Code: "Neo.ClientError.Security.Unauthorized"}, model.CodeUnavailable},
		{"no database", ctx, &neo4j.Neo4jError{Code: "Neo.ClientError.Database.DatabaseNotFound"}, model.CodeUnavailable},
		{"retries exhausted", ctx, &neo4j.TransactionExecutionLimit{Cause: "timeout"}, model.CodeUnavailable},
		{"deadline", ctx, fmt.Errorf("x: %w", context.DeadlineExceeded), model.CodeUnavailable},
		{"cancelled, reported as a lost connection", cancelled, &neo4j.ConnectivityError{Inner: errors.New("read: use of closed connection")}, model.CodeUnavailable},
		{"a bug in a query", ctx, syntax, model.CodeInternal},
		{"domain error", ctx, model.NotFound("entity", "x"), model.CodeNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := wrapErr(c.ctx, "op", c.err)
			if got := model.ErrorCode(err); got != c.want {
				t.Errorf("code = %s, want %s (%v)", got, c.want, err)
			}
			if !errors.Is(err, c.err) {
				t.Errorf("%v does not wrap the cause", err)
			}
			if !strings.Contains(err.Error(), "op") {
				t.Errorf("%v does not name the operation", err)
			}
			var e *model.Error
			if errors.As(err, &e) && strings.Contains(e.Message, "MATC") {
				t.Errorf("client message %q contains Cypher", e.Message)
			}
		})
	}
	if err := wrapErr(cancelled, "op", &neo4j.ConnectivityError{Inner: errors.New("closed")}); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled call's error %v does not wrap context.Canceled", err)
	}
	if wrapErr(ctx, "op", nil) != nil {
		t.Error("wrapErr(nil) != nil")
	}
}

// TestClosedStore checks that every method of a closed store is UNAVAILABLE without going
// near the driver (which is nil here).
func TestClosedStore(t *testing.T) {
	s := &Store{database: "neo4j", logger: slog.New(slog.DiscardHandler)}
	s.closed.Store(true)
	ctx := t.Context()
	calls := map[string]func() error{
		"Ping":         func() error { return s.Ping(ctx) },
		"IsEmpty":      func() error { _, err := s.IsEmpty(ctx); return err },
		"Entity":       func() error { _, err := s.Entity(ctx, "a"); return err },
		"EntitiesByID": func() error { _, err := s.EntitiesByID(ctx, []string{"a"}); return err },
		"Entities":     func() error { _, err := s.Entities(ctx, model.EntityQuery{}); return err },
		"Source":       func() error { _, err := s.Source(ctx, "a"); return err },
		"SourcesByID":  func() error { _, err := s.SourcesByID(ctx, []string{"a"}); return err },
		"Sources":      func() error { _, err := s.Sources(ctx, model.SourceQuery{}); return err },
		"Relation":     func() error { _, err := s.Relation(ctx, "a"); return err },
		"Relations":    func() error { _, err := s.Relations(ctx, model.RelationQuery{}); return err },
		"RelationsOf":  func() error { _, err := s.RelationsOf(ctx, []string{"a"}, model.RelationsOfQuery{}); return err },
		"Search":       func() error { _, err := s.Search(ctx, model.SearchQuery{Text: "a"}); return err },
		"Neighborhood": func() error { _, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "a"}); return err },
		"Paths":        func() error { _, err := s.Paths(ctx, model.PathQuery{From: "a", To: "b"}); return err },
		"PathsToSelf":  func() error { _, err := s.Paths(ctx, model.PathQuery{From: "a", To: "a"}); return err },
		"Import":       func() error { return s.Import(ctx, &model.Dataset{}) },
		"Revisions":    func() error { _, err := s.Revisions(ctx, model.RevisionQuery{}); return err },
		"RevisionsOf":  func() error { _, err := s.Revisions(ctx, model.RevisionQuery{ID: "a"}); return err },
		"Changes":      func() error { _, err := s.Changes(ctx, 1, nil); return err },
		"PriorStates":  func() error { _, err := s.PriorStates(ctx, 1, nil); return err },
		"Bounds":       func() error { _, err := s.HistoryBounds(ctx); return err },
		"RevisionAt":   func() error { _, err := s.RevisionAt(ctx, time.Now()); return err },
		"Prune":        func() error { _, err := s.Prune(ctx, time.Now()); return err },
		"Close":        func() error { return s.Close(ctx) },
	}
	for name, call := range calls {
		if got := model.ErrorCode(call()); got != model.CodeUnavailable {
			t.Errorf("%s on a closed store: code %s, want UNAVAILABLE", name, got)
		}
	}
}

// TestInputCheckedBeforeTheDriver runs methods with bad input on a store without a driver:
// they must refuse with BAD_USER_INPUT before any round trip.
func TestInputCheckedBeforeTheDriver(t *testing.T) {
	s := &Store{database: "neo4j", logger: slog.New(slog.DiscardHandler)}
	ctx := t.Context()
	calls := map[string]func() error{
		"Entities":    func() error { _, err := s.Entities(ctx, model.EntityQuery{Kind: "X"}); return err },
		"Sources":     func() error { _, err := s.Sources(ctx, model.SourceQuery{After: "garbage"}); return err },
		"Relations":   func() error { _, err := s.Relations(ctx, model.RelationQuery{After: "garbage"}); return err },
		"RelationsOf": func() error { _, err := s.RelationsOf(ctx, nil, model.RelationsOfQuery{Direction: "UP"}); return err },
		"Search":      func() error { _, err := s.Search(ctx, model.SearchQuery{Text: "!"}); return err },
		"Neighborhood": func() error {
			_, err := s.Neighborhood(ctx, model.NeighborhoodQuery{ID: "a", Types: []model.RelationType{"X"}})
			return err
		},
		"Paths": func() error { _, err := s.Paths(ctx, model.PathQuery{From: "a", To: "b", MaxLength: 99}); return err },
		"PathsToSelf": func() error {
			_, err := s.Paths(ctx, model.PathQuery{From: "a", To: "a", Types: []model.RelationType{"X"}})
			return err
		},
		"Revisions":  func() error { _, err := s.Revisions(ctx, model.RevisionQuery{After: "garbage"}); return err },
		"Import nil": func() error { return s.Import(ctx, nil) },
		"Import invalid": func() error {
			return s.Import(ctx, &model.Dataset{Relations: []*model.Relation{{ID: "r", Type: model.RelOwnsBrand, FromID: "a", ToID: "b"}}})
		},
	}
	for name, call := range calls {
		if got := model.ErrorCode(call()); got != model.CodeBadUserInput {
			t.Errorf("%s: code %s, want BAD_USER_INPUT", name, got)
		}
	}
	// Empty batches need no round trip at all.
	if m, err := s.EntitiesByID(ctx, nil); err != nil || len(m) != 0 {
		t.Errorf("EntitiesByID(nil) = %v, %v", m, err)
	}
	if m, err := s.SourcesByID(ctx, []string{}); err != nil || len(m) != 0 {
		t.Errorf("SourcesByID(empty) = %v, %v", m, err)
	}
	if m, err := s.RelationsOf(ctx, nil, model.RelationsOfQuery{}); err != nil || len(m) != 0 {
		t.Errorf("RelationsOf(nil) = %v, %v", m, err)
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

func TestDriverLogger(t *testing.T) {
	var b strings.Builder
	l := driverLogger{slog.New(slog.NewTextHandler(&b, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	l.Error("pool", "1", errors.New("boom"))
	l.Warnf("router", "2", "no %s", "writers")
	l.Infof("driver", "3", "hello %d", 1)
	l.Debugf("bolt5", "4", "chatty %d", 2)
	out := b.String()
	for _, want := range []string{"boom", "no writers", "hello 1", "component=router"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "chatty") {
		t.Errorf("debug logged at info level:\n%s", out)
	}
}

func TestTxTimeoutCarriesTheDeadline(t *testing.T) {
	if got := txTimeout(context.Background()); got != nil {
		t.Errorf("no deadline: %d configurers, want none", len(got))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var c neo4j.TransactionConfig
	for _, f := range txTimeout(ctx) {
		f(&c)
	}
	if c.Timeout <= 2*time.Second || c.Timeout > 3*time.Second {
		t.Errorf("timeout %v, want just under 3s", c.Timeout)
	}
	past, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	c = neo4j.TransactionConfig{}
	for _, f := range txTimeout(past) {
		f(&c)
	}
	if c.Timeout <= 0 {
		t.Errorf("a passed deadline gave timeout %v; zero would mean the server default", c.Timeout)
	}
}

// TestConformance runs the shared store suite against a real Neo4j: the test database named
// by the NEO4J_TEST_* variables (see package neo4jtest), emptied before and after each case.
func TestConformance(t *testing.T) {
	neo4jtest.Require(t)
	storetest.Run(t, func(t *testing.T) model.Store { return newTestStore(t) })
}

// TestNoFixtureLeftBehind checks that a test gives the database back empty, so a server
// started on it afterwards with KG_SEED=auto finds an empty database and loads the seed.
func TestNoFixtureLeftBehind(t *testing.T) {
	neo4jtest.Require(t)
	var srv neo4jtest.Server
	t.Run("a test that writes", func(t *testing.T) {
		s := newTestStore(t)
		d := &model.Dataset{Sources: []*model.Source{{ID: "src", Title: "A source", PublishedOn: model.MustDate("2024")}}}
		d.Add(&model.Organization{EntityBase: model.EntityBase{ID: "org", Name: "An organization"}, Type: model.OrgGroup})
		if err := s.Import(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		srv, _ = neo4jtest.Lookup()
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// Another package's test may hold the database by now; what matters is that none of this
	// test's nodes remain, whoever holds it.
	found, err := neo4jtest.Count(ctx, srv, "org", "src")
	if err != nil {
		t.Fatal(err)
	}
	if found != 0 {
		t.Errorf("after the test, %d of its nodes remain in the database", found)
	}
}

// testConfig is the store configuration for the test server.
func testConfig(t testing.TB) Config {
	t.Helper()
	s := neo4jtest.Use(t)
	return Config{
		URI:            s.URI,
		Username:       s.Username,
		Password:       s.Password,
		Database:       s.Database,
		AcquireTimeout: 10 * time.Second,
	}
}

// newTestStore opens a store on the emptied test database; the database is emptied again
// when the test ends.
func newTestStore(t testing.TB) *Store {
	t.Helper()
	cfg := testConfig(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("Open(%s) = %v", cfg, err)
	}
	t.Cleanup(func() {
		// The suite may have closed the store already; that error means nothing here.
		_ = s.Close(context.Background())
	})
	return s
}
