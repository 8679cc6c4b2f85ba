package inmem_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
)

// reopen closes s and opens the store in dir again, checking that it is not empty.
func reopen(t *testing.T, s *inmem.Store, dir string) *inmem.Store {
	t.Helper()
	if err := s.Close(t.Context()); err != nil {
		t.Fatalf("Close = %v", err)
	}
	s2, empty, err := inmem.Open(t.Context(), dir)
	if err != nil {
		t.Fatalf("Open again = %v", err)
	}
	t.Cleanup(func() { _ = s2.Close(context.Background()) })
	if empty {
		t.Errorf("Open of a written directory reports an empty store")
	}
	return s2
}

// openDir opens the store in dir, closed at the end of the test.
func openDir(t *testing.T, dir string) *inmem.Store {
	t.Helper()
	s, _, err := inmem.Open(t.Context(), dir)
	if err != nil {
		t.Fatalf("Open(%s) = %v", dir, err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

// TestReopenKeepsEveryWrite writes through every method, reopens, and expects the very same
// store: every entity, source and relation, timestamps to the microsecond included.
func TestReopenKeepsEveryWrite(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	s := openDir(t, dir)
	if err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond) // so that updated items have UpdatedAt after CreatedAt
	steps := []struct {
		name string
		do   func() error
	}{
		{"UpsertEntity new", func() error {
			_, err := s.UpsertEntity(ctx, &model.Agreement{
				EntityBase: model.EntityBase{ID: "new-deal", Name: "New deal", Aliases: []string{"Deal"}, SourceIDs: []string{"kommersant-2022"}},
				SignedOn:   &model.Date{Year: 2024, Month: 3}, Provisions: []model.Provision{{Summary: "Build", Due: &model.Date{Year: 2025}}},
			})
			return err
		}},
		{"UpsertEntity changed", func() error {
			// Empty lists, which JSON gives back as nothing: the store keeps one form.
			_, err := s.UpsertEntity(ctx, &model.Organization{
				EntityBase: model.EntityBase{ID: "kamaz", Name: "KAMAZ PJSC", Aliases: []string{}, SourceIDs: []string{}}, Type: model.OrgManufacturer,
			})
			return err
		}},
		{"UpsertSource new", func() error {
			_, err := s.UpsertSource(ctx, &model.Source{ID: "new-report", Title: "New report", PublisherID: "interfax", PublishedOn: model.Date{Year: 2024, Month: 2, Day: 29}})
			return err
		}},
		{"UpsertSource changed", func() error {
			src := storetest.Fixture().Sources[2]
			src.URL = "https://example.org/kommersant"
			_, err := s.UpsertSource(ctx, src)
			return err
		}},
		{"AddRelation", func() error {
			q := 3
			_, err := s.AddRelation(ctx, &model.Relation{ID: "r-new", Type: model.RelPartyTo, FromID: "kamaz", ToID: "new-deal",
				Status: model.StatusPlanned, ValidTo: &model.Date{Year: 2026}, Quantity: &q, Note: "Three phases.", SourceIDs: []string{"new-report"}})
			return err
		}},
		{"UpdateRelation", func() error {
			r := storetest.Fixture().Relations[6] // r-avtotor-in-kaliningrad
			r.FromID = "avtotor-holding"
			_, err := s.UpdateRelation(ctx, r)
			return err
		}},
		{"RemoveRelation", func() error { return s.RemoveRelation(ctx, "r-chain-6-7") }},
		{"DeleteEntity", func() error { _, err := s.DeleteEntity(ctx, "gaz-group"); return err }},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
	}
	before := dump(t, s)
	s = reopen(t, s, dir)
	if d := cmp.Diff(before, dump(t, s)); d != "" {
		t.Fatalf("store after reopening (-before +after):\n%s", d)
	}

	// The indexes are rebuilt, not just the primary data.
	hits, err := s.Search(ctx, model.SearchQuery{Text: "deal"})
	if err != nil || len(hits) != 1 || hits[0].Entity.GetID() != "new-deal" {
		t.Errorf("Search(deal) after reopening = %v, %v; want new-deal", hits, err)
	}
	of, err := s.RelationsOf(ctx, []string{"avtotor-holding"}, model.RelationsOfQuery{})
	if err != nil || of["avtotor-holding"].TotalCount != 1 {
		t.Errorf("RelationsOf(avtotor-holding) after reopening = %v, %v; want the moved relation", of, err)
	}
	// Writing again after a reopen keeps CreatedAt from the file.
	old, _ := s.Entity(ctx, "kamaz")
	time.Sleep(2 * time.Millisecond)
	e, err := s.UpsertEntity(ctx, &model.Organization{EntityBase: model.EntityBase{ID: "kamaz", Name: "KAMAZ"}, Type: model.OrgManufacturer})
	if err != nil {
		t.Fatal(err)
	}
	if !e.Common().CreatedAt.Equal(old.Common().CreatedAt) || !e.Common().UpdatedAt.After(old.Common().UpdatedAt) {
		t.Errorf("kamaz timestamps after an update following a reopen: %v, %v; want CreatedAt %v kept", e.Common().CreatedAt, e.Common().UpdatedAt, old.Common().CreatedAt)
	}
}

// TestImportThenReopen imports into a file-backed store, reopens it and imports the same
// dataset again: what was read back must be equal to the dataset to the letter, or the second
// import would see changes and move UpdatedAt.
func TestImportThenReopen(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	s := openDir(t, dir)
	if err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	before := dump(t, s)
	s = reopen(t, s, dir)
	if d := cmp.Diff(before, dump(t, s)); d != "" {
		t.Fatalf("store after reopening (-before +after):\n%s", d)
	}
	time.Sleep(2 * time.Millisecond)
	if err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(before, dump(t, s)); d != "" {
		t.Errorf("importing the same dataset after a reopen changed the store (-before +after):\n%s", d)
	}
}

// TestOpenReportsEmpty checks the flag the server seeds by: true for a new directory (created
// on the way), true again for a file that was opened but never written, false once written.
func TestOpenReportsEmpty(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "nested", "data")
	s, empty, err := inmem.Open(ctx, dir)
	if err != nil || !empty {
		t.Fatalf("Open(new dir) = %v, empty %v; want nil, true", err, empty)
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o750 {
		t.Errorf("data directory: %v, %v; want mode 0750", info, err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	s, empty, err = inmem.Open(ctx, dir)
	if err != nil || !empty {
		t.Fatalf("Open(unwritten file) = %v, empty %v; want nil, true", err, empty)
	}
	if _, err := s.UpsertEntity(ctx, &model.Place{EntityBase: model.EntityBase{ID: "x", Name: "X"}}); err != nil {
		t.Fatal(err)
	}
	_ = reopen(t, s, dir) // fails unless the store reports non-empty
}

// TestOpenInUse checks that the data file is locked while open: a second Open, here in the
// same process (bbolt's flock is per open file, so it conflicts like another process would),
// fails after the lock timeout with a message that says what is going on.
func TestOpenInUse(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	s := openDir(t, dir)
	start := time.Now()
	_, _, err := inmem.Open(ctx, dir)
	want := fmt.Sprintf("data directory %s is in use by another process", dir)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("second Open = %v, want an error saying %q", err, want)
	}
	if waited := time.Since(start); waited < time.Second {
		t.Errorf("second Open gave up after %v; it should wait for the lock a while", waited)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	s2, _, err := inmem.Open(ctx, dir)
	if err != nil {
		t.Fatalf("Open after the first store closed = %v", err)
	}
	_ = s2.Close(ctx)
}

// TestOpenRefusesBadFiles checks that every kind of bad data file is refused with an error
// that names the file and says what is wrong, without a panic.
func TestOpenRefusesBadFiles(t *testing.T) {
	ctx := t.Context()
	// written makes a valid data file holding the fixture and returns its bytes.
	written := func(t *testing.T) []byte {
		dir := t.TempDir()
		s := openDir(t, dir)
		if err := s.Import(ctx, storetest.Fixture()); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(ctx); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "graph.db"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// withBolt edits a valid data file through bbolt itself.
	withBolt := func(edit func(tx *bolt.Tx) error) func(t *testing.T, path string) {
		return func(t *testing.T, path string) {
			if err := os.WriteFile(path, written(t), 0o600); err != nil {
				t.Fatal(err)
			}
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Update(edit); err != nil {
				t.Fatal(err)
			}
		}
	}
	cases := []struct {
		name string
		make func(t *testing.T, path string)
		says string
		// locked says that bbolt keeps the file locked after refusing it (see openBolt).
		locked bool
	}{
		{"not a database", func(t *testing.T, path string) {
			_ = os.WriteFile(path, []byte("entities,sources,relations\n"), 0o600)
		}, "cannot be opened as a database", false},
		{"truncated", func(t *testing.T, path string) {
			_ = os.WriteFile(path, written(t)[:5000], 0o600)
		}, "cannot be opened as a database", false},
		{"pages overwritten", func(t *testing.T, path string) {
			// Meta pages intact, everything after them scrambled: bbolt panics on reading the
			// freelist, which Open must turn into an error.
			b := written(t)
			for i := 2 * os.Getpagesize(); i < len(b); i++ {
				b[i] ^= 0x55
			}
			_ = os.WriteFile(path, b, 0o600)
		}, "corrupt", true},
		{"unknown format version", withBolt(func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("meta")).Put([]byte("version"), []byte("99"))
		}), `format version "99"`, false},
		{"another application's database", func(t *testing.T, path string) {
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			_ = db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("users")); return err })
		}, "not a data file of this server", false},
		{"undecodable record", withBolt(func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("entities")).Put([]byte("kamaz"), []byte("{not json"))
		}), `entity "kamaz"`, false},
		{"relation to a missing entity", withBolt(func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("entities")).Delete([]byte("kaliningrad"))
		}), "inconsistent", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "graph.db")
			tc.make(t, path)
			before, _ := os.ReadFile(path)
			s, _, err := inmem.Open(ctx, dir)
			if err == nil {
				_ = s.Close(ctx)
				t.Fatalf("Open = nil error, want one saying %q", tc.says)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.says) || !strings.Contains(msg, dir) {
				t.Errorf("Open = %q, want it to name %s and say %q", msg, dir, tc.says)
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Errorf("a refused Open changed the file")
			}
			// A refused Open lets go of the file: trying again gives the same answer at once,
			// not "in use" after the lock timeout.
			if tc.locked {
				return
			}
			if _, _, again := inmem.Open(ctx, dir); again == nil || again.Error() != err.Error() {
				t.Errorf("second Open = %v, want the same error as the first", again)
			}
		})
	}
}

// crashDirEnv names the data directory of the child process of TestSurvivesKill.
const crashDirEnv = "INMEM_CRASH_DIR"

// TestSurvivesKill starts a child process that writes to a data directory and reports each
// write once it is acknowledged, kills it with SIGKILL in the middle of writing, and checks
// that every acknowledged write is in the file.
func TestSurvivesKill(t *testing.T) {
	if os.Getenv(crashDirEnv) != "" {
		crashChild()
		return
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	ctx := t.Context()
	dir := t.TempDir()
	s := openDir(t, dir)
	if err := s.Import(ctx, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestSurvivesKill$")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	const wantAcks = 60
	acks := make(chan string)
	go func() {
		defer close(acks)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if id, ok := strings.CutPrefix(sc.Text(), "ack "); ok {
				acks <- id
			}
		}
	}()
	var acked []string
	timeout := time.After(60 * time.Second)
	for len(acked) < wantAcks {
		select {
		case id, ok := <-acks:
			if !ok {
				_ = cmd.Wait()
				t.Fatalf("the child stopped after %d acknowledged writes; stderr:\n%s", len(acked), stderr.String())
			}
			acked = append(acked, id)
		case <-timeout:
			_ = cmd.Process.Kill()
			t.Fatalf("the child acknowledged only %d writes in a minute; stderr:\n%s", len(acked), stderr.String())
		}
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred code, no Close
		t.Fatal(err)
	}
	go func() {
		for range acks { // drain, so the reader goroutine ends
		}
	}()
	_ = cmd.Wait()

	s = openDir(t, dir)
	for _, id := range acked {
		var err error
		if strings.HasPrefix(id, "r-") {
			_, err = s.Relation(ctx, id)
		} else {
			_, err = s.Entity(ctx, id)
		}
		if err != nil {
			t.Errorf("acknowledged write %s is missing after the kill: %v", id, err)
		}
	}
}

// crashChild is the child of TestSurvivesKill: it writes until killed, printing "ack <id>"
// after each write returns.
func crashChild() {
	ctx := context.Background()
	s, _, err := inmem.Open(ctx, os.Getenv(crashDirEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for i := 0; ; i++ {
		id := fmt.Sprintf("crash-%d", i)
		if _, err := s.UpsertEntity(ctx, &model.Plant{EntityBase: model.EntityBase{ID: id, Name: "Crash plant " + id}}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("ack %s\n", id)
		r := &model.Relation{ID: "r-" + id, Type: model.RelLocatedIn, FromID: id, ToID: "kaliningrad", Status: model.StatusActive, SourceIDs: []string{"zavod-digest-2023"}}
		if _, err := s.AddRelation(ctx, r); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("ack %s\n", r.ID)
	}
}
