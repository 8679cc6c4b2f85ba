// Package neo4jtest gives tests a real Neo4j database to themselves.
//
// The server is named by the NEO4J_TEST_* variables (never by NEO4J_URI: every test empties
// the database it is given). .ci/neo4j/server starts one and prints the variables:
//
//	.ci/neo4j/server start 5.26.30 7687
//	export $(.ci/neo4j/server env 5.26.30 7687 | xargs)
//	go test ./...
//
// Without NEO4J_TEST_URI a test that needs Neo4j skips, except under CI (CI=true), where the
// server is meant to be up and a skip would hide a broken launcher: there the test fails.
//
// Test binaries of several packages run at once (go test ./...) and share the one database,
// so Use holds an exclusive file lock for as long as a test has the database, and empties it
// when it takes it and when it gives it back: a test finds nothing of another's, and the
// suite leaves nothing behind.
package neo4jtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Server names the test database.
type Server struct {
	URI      string
	Username string
	Password string
	Database string // empty: the server's default database
}

func (s Server) String() string {
	return fmt.Sprintf("%s database %q user %q", s.URI, s.Database, s.Username)
}

// InCI reports whether the tests run under CI, where a missing server or browser is a failure.
func InCI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "0" && v != "false"
}

// SkipOrFail skips the test with msg, or fails it under CI.
func SkipOrFail(t testing.TB, msg string) {
	t.Helper()
	if InCI() {
		t.Fatalf("CI=true but %s", msg)
	}
	t.Skip(msg)
}

// Lookup reads the NEO4J_TEST_* variables; ok is false when no server is named.
func Lookup() (Server, bool) {
	uri := os.Getenv("NEO4J_TEST_URI")
	return Server{
		URI:      uri,
		Username: os.Getenv("NEO4J_TEST_USERNAME"),
		Password: os.Getenv("NEO4J_TEST_PASSWORD"),
		Database: os.Getenv("NEO4J_TEST_DATABASE"),
	}, uri != ""
}

// Require returns the test server, skipping (or, under CI, failing) when none is named.
func Require(t testing.TB) Server {
	t.Helper()
	s, ok := Lookup()
	if !ok {
		SkipOrFail(t, "NEO4J_TEST_URI is not set: start a Neo4j test server with "+
			".ci/neo4j/server start 5.26.30 7687 and export $(.ci/neo4j/server env 5.26.30 7687 | xargs) to run the Neo4j tests")
	}
	return s
}

// Use gives the test the database to itself until it ends: it waits for the lock, empties
// the database, and empties it again (then unlocks) when the test and its cleanups are done.
// Cleanups registered after Use run before the final wipe, so stores opened by the test are
// closed by then.
func Use(t testing.TB) Server {
	t.Helper()
	s := Require(t)
	release, err := lock(s)
	if err != nil {
		t.Fatalf("locking the Neo4j test database: %v", err)
	}
	t.Cleanup(func() {
		defer release()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := Wipe(ctx, s); err != nil {
			t.Errorf("emptying the Neo4j test database after the test: %v", err)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := Wipe(ctx, s); err != nil {
		t.Fatalf("emptying the Neo4j test database (%s): %v", s, err)
	}
	t.Logf("%s %s", marker, s)
	return s
}

// marker starts the line Use logs; CI counts the tests that log it.
const marker = "neo4jtest: using the Neo4j test database"

// WipeStatement deletes up to 10000 nodes with their relationships; repeated until it deletes
// nothing, it empties a database without one transaction of unbounded size.
const WipeStatement = `MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS deleted`

// Wipe deletes every node and relationship of the test database, keeping its schema.
func Wipe(ctx context.Context, s Server) error {
	auth := neo4j.NoAuth()
	if s.Username != "" {
		auth = neo4j.BasicAuth(s.Username, s.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(s.URI, auth)
	if err != nil {
		return err
	}
	defer driver.Close(ctx)
	opts := []neo4j.ExecuteQueryConfigurationOption{neo4j.ExecuteQueryWithWritersRouting()}
	if s.Database != "" {
		opts = append(opts, neo4j.ExecuteQueryWithDatabase(s.Database))
	}
	for {
		res, err := neo4j.ExecuteQuery(ctx, driver, WipeStatement, nil, neo4j.EagerResultTransformer, opts...)
		if err != nil {
			return err
		}
		if len(res.Records) != 1 {
			return fmt.Errorf("wipe returned %d records", len(res.Records))
		}
		n, _, err := neo4j.GetRecordValue[int64](res.Records[0], "deleted")
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
	}
}

// Count returns the number of nodes in the test database whose id is one of ids, or of all
// nodes when no id is given.
func Count(ctx context.Context, s Server, ids ...string) (int64, error) {
	auth := neo4j.NoAuth()
	if s.Username != "" {
		auth = neo4j.BasicAuth(s.Username, s.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(s.URI, auth)
	if err != nil {
		return 0, err
	}
	defer driver.Close(ctx)
	opts := []neo4j.ExecuteQueryConfigurationOption{neo4j.ExecuteQueryWithReadersRouting()}
	if s.Database != "" {
		opts = append(opts, neo4j.ExecuteQueryWithDatabase(s.Database))
	}
	q, params := `MATCH (n) RETURN count(n) AS n`, map[string]any(nil)
	if len(ids) > 0 {
		q, params = `MATCH (n) WHERE n.id IN $ids RETURN count(n) AS n`, map[string]any{"ids": ids}
	}
	res, err := neo4j.ExecuteQuery(ctx, driver, q, params, neo4j.EagerResultTransformer, opts...)
	if err != nil {
		return 0, err
	}
	n, _, err := neo4j.GetRecordValue[int64](res.Records[0], "n")
	return n, err
}

// The lock is a file in the temporary directory named after the database. Within a process
// it is counted, so a test may open several stores on the database; across processes it is
// an exclusive flock.
var (
	lockMu    sync.Mutex
	lockFiles = map[string]*heldLock{}
)

type heldLock struct {
	f     *os.File
	count int
}

func lock(s Server) (release func(), err error) {
	sum := sha256.Sum256([]byte(s.URI + "\x00" + s.Database))
	path := filepath.Join(os.TempDir(), "autograph-neo4j-test-"+hex.EncodeToString(sum[:8])+".lock")
	lockMu.Lock()
	defer lockMu.Unlock()
	h := lockFiles[path]
	if h == nil {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, err
		}
		if err := flock(f); err != nil {
			f.Close()
			return nil, err
		}
		h = &heldLock{f: f}
		lockFiles[path] = h
	}
	h.count++
	var once sync.Once
	return func() {
		once.Do(func() {
			lockMu.Lock()
			defer lockMu.Unlock()
			h.count--
			if h.count == 0 {
				delete(lockFiles, path)
				_ = funlock(h.f)
				_ = h.f.Close()
			}
		})
	}, nil
}
