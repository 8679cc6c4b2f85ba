package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/dataset"
	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"
	"github.com/autograph-kg/autograph/seed/synth"
)

// command runs one command in-process, with the environment given as key, value pairs.
func command(t *testing.T, stdin string, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	// The store's driver may still log from its own goroutines while a connection closes after
	// the command returned, so the buffers are read under the same lock they are written under.
	var out, errb bytes.Buffer
	lo, le := &lockedWriter{w: &out}, &lockedWriter{w: &errb}
	code = runCommand(t.Context(), args, envOf(env...), stdio{strings.NewReader(stdin), lo, le})
	lo.mu.Lock()
	defer lo.mu.Unlock()
	le.mu.Lock()
	defer le.mu.Unlock()
	return code, out.String(), errb.String()
}

// facts is a curator's file: a new source, an organization, and facts about stored entities.
const facts = `{"kind":"source","id":"example-report-2024","title":"Example report","publishedOn":"2024-03-01","publisherId":"tass"}
{"kind":"organization","id":"example-motors","name":"Example Motors","type":"ASSEMBLER","countryId":"russia","sources":["example-report-2024"]}
{"kind":"relation","type":"ASSEMBLES","from":"example-motors","to":"baic","validFrom":"2024-02","sources":["example-report-2024"]}
`

// storeHas opens the data directory and reports whether it holds the entity.
func storeHas(t *testing.T, dir, id string) bool {
	t.Helper()
	s, _, err := inmem.Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	_, err = s.Entity(t.Context(), id)
	if err != nil && !model.IsNotFound(err) {
		t.Fatal(err)
	}
	return err == nil
}

// updatedAt opens the data directory and returns the entity's updatedAt (the zero time when
// it is not there).
func updatedAt(t *testing.T, dir, id string) time.Time {
	t.Helper()
	s, _, err := inmem.Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	e, err := s.Entity(t.Context(), id)
	if err != nil {
		return time.Time{}
	}
	return e.Common().UpdatedAt
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestImportCommand runs autograph import on a data directory: a dry run writes nothing,
// the import writes, a second import changes nothing, and a file with problems is refused
// with each problem at its file and line.
func TestImportCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	env := []string{"KG_DATA_DIR", dir}
	file := writeFile(t, "report.jsonl", facts)

	code, out, errs := command(t, "", env, "import", "--dry-run", file)
	if code != exitOK || !strings.Contains(out, "dry run: 3 records: 1 sources, 1 entities, 1 relations") || !strings.Contains(out, "nothing was written") {
		t.Fatalf("dry run: exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	if storeHas(t, dir, "avtotor") || storeHas(t, dir, "example-motors") {
		t.Fatal("a dry run wrote to the store (the seed or the file)")
	}
	var stamps []time.Time
	for i := range 2 {
		code, out, errs = command(t, "", env, "import", file)
		if code != exitOK || !strings.Contains(out, "imported 3 records") {
			t.Fatalf("import %d: exit %d\nstdout %s\nstderr %s", i+1, code, out, errs)
		}
		if i == 0 && !strings.Contains(errs, "loaded the seed dataset first") {
			t.Errorf("an empty data directory was not seeded first (KG_SEED=auto): %s", errs)
		}
		stamps = append(stamps, updatedAt(t, dir, "example-motors"))
	}
	if !stamps[0].Equal(stamps[1]) || stamps[0].IsZero() {
		t.Errorf("importing the same file again changed example-motors: updatedAt %v, then %v", stamps[0], stamps[1])
	}

	bad := writeFile(t, "bad.jsonl", facts+`{"kind":"relation","type":"ASSEMBLES","from":"example-motors","to":"nowhere","sources":["example-report-2024"]}`+"\n"+
		`{"kind":"brand","id":"example-brand","name":""}`+"\n")
	code, out, errs = command(t, "", env, "import", bad)
	for _, want := range []string{
		bad + `:4: relation "example-motors-assembles-nowhere-`, `no entity with id "nowhere"`,
		bad + `:5: entity "example-brand": name must not be empty`,
		"2 problems: nothing was written",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if code != exitFailed || out != "" {
		t.Errorf("exit %d, stdout %q; want %d and nothing", code, out, exitFailed)
	}
	if storeHas(t, dir, "example-brand") {
		t.Error("a file with problems was partly written")
	}

	t.Run("stdin", func(t *testing.T) {
		code, out, errs := command(t, facts, env, "import", "--format", "jsonl", "-")
		if code != exitOK || !strings.Contains(out, "imported 3 records") {
			t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errs)
		}
	})
}

// TestImportRefusesADataDirInUse: while a server holds the data directory, import says so
// and what to do, instead of a lock timeout.
func TestImportRefusesADataDirInUse(t *testing.T) {
	dir := t.TempDir()
	s, _, err := inmem.Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	code, _, errs := command(t, "", []string{"KG_DATA_DIR", dir}, "import", writeFile(t, "r.jsonl", facts))
	for _, want := range []string{"is in use by another process, most likely a running autograph server", "Stop the server", "importDataset mutation"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if code != exitFailed {
		t.Errorf("exit %d, want %d", code, exitFailed)
	}
}

// TestCommandUsage: bad command lines are refused with status 2 and a message.
func TestCommandUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"import"}, "no file given"},
		{[]string{"import", "--format", "xml", "x"}, `--format="xml": want json or jsonl`},
		{[]string{"export", "--format", "xml"}, `--format="xml": want json, jsonl, graphml, csv or cypher`},
		{[]string{"export", "--format", "csv"}, "give a directory with --out"},
		{[]string{"export", "--depth", "9", "--ids", "avtotor"}, "--depth=9: want 0 to 3"},
		{[]string{"export", "--as-of", "2024-02-30"}, `--as-of="2024-02-30"`},
	} {
		code, _, errs := command(t, "", []string{"KG_DATA_DIR", ":memory:"}, tc.args...)
		if code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errs, exitUsage, tc.want)
		}
	}
	if code, out, _ := command(t, "", nil, "help"); code != exitOK || !strings.Contains(out, "autograph import") {
		t.Errorf("help: exit %d, %q", code, out)
	}
}

// TestExportCommand writes every format to files, and JSON to stdout.
func TestExportCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	env := []string{"KG_DATA_DIR", dir}
	if code, _, errs := command(t, "", env, "import", writeFile(t, "r.jsonl", facts)); code != exitOK {
		t.Fatalf("import: %s", errs)
	}
	out := t.TempDir()
	for _, tc := range []struct{ args, file, want string }{
		{"--out " + out + "/all.json", "all.json", `"id": "example-motors"`},
		{"--ids example-motors --depth 1 --out " + out + "/n.graphml", "n.graphml", `<node id="example-motors">`},
		{"--format jsonl --as-of 2024-03 --out " + out + "/x.txt", "x.txt", `{"kind":"relation","id":"example-motors-assembles-baic-`},
		{"--out " + out + "/all.cypher", "all.cypher", `MERGE (n:Entity {id: "example-motors"})`},
		{"--format csv --out " + out + "/csv", "csv/relations.csv", ":START_ID,:END_ID,:TYPE,id,"},
		{"--format csv --out " + out + "/csv", "csv/entities.csv", "id:ID,"},
		{"--format csv --out " + out + "/csv", "csv/sources.csv", "id:ID,"},
	} {
		code, _, errs := command(t, "", env, append([]string{"export"}, strings.Fields(tc.args)...)...)
		if code != exitOK {
			t.Fatalf("export %s: exit %d: %s", tc.args, code, errs)
		}
		b, err := os.ReadFile(filepath.Join(out, tc.file))
		if err != nil || !strings.Contains(string(b), tc.want) {
			t.Errorf("export %s: %s lacks %q (%v)", tc.args, tc.file, tc.want, err)
		}
	}
	code, stdout, errs := command(t, "", env, "export", "--ids", "example-motors", "--depth", "0")
	if code != exitOK || !strings.HasPrefix(stdout, "{\n  \"sources\": [") || !strings.Contains(stdout, `"id": "example-motors"`) || strings.Contains(stdout, `"id": "avtotor"`) {
		t.Errorf("export to stdout: exit %d, stderr %s\n%s", code, errs, stdout)
	}
	if entries, _ := filepath.Glob(filepath.Join(out, ".*.tmp")); len(entries) > 0 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

// TestImportCommandNeo4j imports a curator's file into Neo4j (the NEO4J_* settings of the
// server) and exports it back.
func TestImportCommandNeo4j(t *testing.T) {
	s := neo4jtest.Use(t)
	env := []string{"NEO4J_URI", s.URI, "NEO4J_USERNAME", s.Username, "NEO4J_PASSWORD", s.Password, "NEO4J_DATABASE", s.Database}
	file := writeFile(t, "report.jsonl", facts)
	for i := range 2 {
		code, out, errs := command(t, "", env, "import", file)
		if code != exitOK || !strings.Contains(out, "imported 3 records") || !strings.Contains(out, "into Neo4j at "+s.URI) {
			t.Fatalf("import %d: exit %d\nstdout %s\nstderr %s", i+1, code, out, errs)
		}
	}
	code, out, errs := command(t, "", env, "export", "--format", "jsonl", "--ids", "example-motors")
	if code != exitOK || !strings.Contains(out, `"from":"example-motors","to":"baic"`) {
		t.Errorf("export: exit %d, stderr %s\n%s", code, errs, out)
	}
}

// TestImportStopsOnSIGINT sends SIGINT to a running import, while it reads and while it
// writes: it stops with status 130 and the store holds none of the file, or (when the
// signal came after the commit) all of it.
func TestImportStopsOnSIGINT(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	bin := buildServer(t)

	t.Run("while reading", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "data")
		cmd := exec.Command(bin, "import", "--format", "jsonl", "-")
		cmd.Env = append(os.Environ(), "KG_DATA_DIR="+dir)
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer stdin.Close()
		if _, err := stdin.Write([]byte(facts)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond) // the import now waits for more input
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		code := waitExit(t, cmd)
		if code != exitInterrupted || !strings.Contains(stderr.String(), "interrupted: nothing was written") {
			t.Errorf("exit %d, stderr %s; want %d and a message", code, stderr.String(), exitInterrupted)
		}
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the data directory was touched before the input was read: %v", err)
		}
	})

	t.Run("while writing", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "data")
		d := synth.Generate(60000, 3)
		var b bytes.Buffer
		if err := dataset.WriteJSONL(&b, d); err != nil {
			t.Fatal(err)
		}
		file := writeFile(t, "synth.jsonl", b.String())
		cmd := exec.Command(bin, "import", file)
		cmd.Env = append(os.Environ(), "KG_DATA_DIR="+dir, "KG_SEED=never")
		pr, pw, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = pw
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		pw.Close()
		var stderr bytes.Buffer
		buf := make([]byte, 4096)
		for !strings.Contains(stderr.String(), "checking and writing") {
			n, err := pr.Read(buf)
			stderr.Write(buf[:n])
			if err != nil {
				t.Fatalf("the import ended before writing: %v\n%s", err, stderr.String())
			}
		}
		time.Sleep(50 * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		go func() { _, _ = stderr.ReadFrom(pr) }()
		code := waitExit(t, cmd)
		some := d.Entities()[0].GetID()
		last := d.Relations[len(d.Relations)-1].ID
		hasFirst := storeHas(t, dir, some)
		s, _, err := inmem.Open(t.Context(), dir)
		if err != nil {
			t.Fatal(err)
		}
		_, lastErr := s.Relation(t.Context(), last)
		s.Close(context.Background())
		switch code {
		case exitInterrupted:
			if hasFirst || lastErr == nil {
				t.Errorf("an interrupted import left part of the file: entity %s %v, last relation %v", some, hasFirst, lastErr)
			}
		case exitOK:
			t.Logf("the import committed before the signal arrived")
			if !hasFirst || lastErr != nil {
				t.Errorf("a finished import is incomplete: entity %s %v, last relation %v", some, hasFirst, lastErr)
			}
		default:
			t.Errorf("exit %d", code)
		}
	})
}

// waitExit waits for the process to end, at most 30 s, and returns its exit status.
func waitExit(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("the process did not stop within 30 s of SIGINT")
		return -1
	}
}

// TestReadmeDatasetExample runs the README's "Importing and exporting datasets" section as
// written, in an empty directory: it writes the heredoc's file, runs each `go run . ...`
// line as the command it is (comparing what it prints with the `# ...` line after it), sends
// the curl query to a server over the resulting data directory, and checks the exported
// GraphML. The Neo4j line runs against the Neo4j test database (see package neo4jtest).
func TestReadmeDatasetExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "### Importing and exporting datasets\n")
	if !ok {
		t.Fatal(`README.md has no section "### Importing and exporting datasets"`)
	}
	section, _, _ = strings.Cut(section, "\n### ")
	var lines []string
	for _, block := range strings.Split(section, "```sh\n")[1:] {
		code, _, _ := strings.Cut(block, "```")
		lines = append(lines, strings.Split(strings.TrimSuffix(code, "\n"), "\n")...)
	}
	t.Chdir(t.TempDir())
	ran := map[string]bool{}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		want, hasWant := "", i+1 < len(lines) && strings.HasPrefix(lines[i+1], "# ")
		if hasWant {
			want = strings.TrimPrefix(lines[i+1], "# ")
		}
		switch {
		case strings.HasPrefix(line, "cat > "):
			name, _, _ := strings.Cut(strings.TrimPrefix(line, "cat > "), " ")
			var body strings.Builder
			for i++; i < len(lines) && lines[i] != "EOF"; i++ {
				body.WriteString(lines[i] + "\n")
			}
			if err := os.WriteFile(name, []byte(body.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			ran["file"] = true
		case strings.Contains(line, "go run . "):
			prefix, args, _ := strings.Cut(line, "go run . ")
			env := strings.Fields(prefix)
			if len(env) > 0 {
				t.Run("neo4j", func(t *testing.T) {
					s := neo4jtest.Use(t)
					test := map[string]string{"NEO4J_URI": s.URI, "NEO4J_USERNAME": s.Username, "NEO4J_PASSWORD": s.Password, "NEO4J_DATABASE": s.Database}
					var kv []string
					for _, e := range env {
						k, _, _ := strings.Cut(e, "=")
						kv = append(kv, k, test[k])
					}
					code, out, errs := command(t, "", kv, strings.Fields(args)...)
					if code != exitOK || !strings.HasPrefix(out, "imported 4 records") {
						t.Errorf("%s: exit %d\nstdout %s\nstderr %s", line, code, out, errs)
					}
				})
				ran["neo4j"] = true
				continue
			}
			code, out, errs := command(t, "", nil, strings.Fields(args)...)
			if code != exitOK {
				t.Fatalf("%s: exit %d\nstdout %s\nstderr %s", line, code, out, errs)
			}
			if hasWant && strings.TrimSpace(out) != want {
				t.Errorf("%s printed\n%s\nthe README says\n%s", line, strings.TrimSpace(out), want)
			}
			ran[strings.Fields(args)[0]] = true
		case strings.HasPrefix(line, "curl "):
			_, body, _ := strings.Cut(line, " -d '")
			body = strings.TrimSuffix(body, "'")
			s, _, err := inmem.Open(t.Context(), "data")
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(httpapi.NewHandler(httpapi.Options{Store: s}))
			resp, err := http.Post(srv.URL+"/query", "application/json", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			srv.Close()
			_ = s.Close(context.Background())
			if strings.TrimSpace(string(got)) != want {
				t.Errorf("the README's query answered\n%s\nnot\n%s", got, want)
			}
			ran["curl"] = true
		}
	}
	for _, step := range []string{"file", "import", "curl", "export", "neo4j"} {
		if !ran[step] {
			t.Errorf("the README's example has no %s step", step)
		}
	}
	b, err := os.ReadFile("example-motors.graphml")
	if err != nil || !strings.Contains(string(b), `<node id="example-motors">`) || !strings.Contains(string(b), `source="example-motors" target="baic-x35"`) {
		t.Errorf("the exported GraphML lacks Example Motors and its fact (%v)", err)
	}

	// The problem the README shows, for a file that names a model that does not exist.
	report, _ := os.ReadFile("report.jsonl")
	bad := writeFile(t, "report.jsonl", strings.Replace(string(report), `"to":"baic-x35"`, `"to":"baic-x53"`, 1))
	code, _, errs := command(t, "", nil, "import", "--dry-run", bad)
	if code != exitFailed || !strings.Contains(errs, bad+`:3: relation "example-motors-assembles-baic-x53-`) || !strings.Contains(errs, `no entity with id "baic-x53"`) {
		t.Errorf("the README's problem line: exit %d\n%s", code, errs)
	}
}

// TestLockedWriterKeepsWholeWrites writes lines from many goroutines at once, as the store's
// driver logs while a command prints: under the race detector nothing races, and every line
// arrives whole.
func TestLockedWriterKeepsWholeWrites(t *testing.T) {
	var buf bytes.Buffer
	w := &lockedWriter{w: &buf}
	const writers, lines = 8, 200
	done := make(chan struct{})
	for g := range writers {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range lines {
				fmt.Fprintf(w, "writer %d line %d\n", g, i)
			}
		}()
	}
	for range writers {
		<-done
	}
	got := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(got) != writers*lines {
		t.Fatalf("%d lines, want %d", len(got), writers*lines)
	}
	seen := map[string]bool{}
	for _, l := range got {
		var g, i int
		if n, err := fmt.Sscanf(l, "writer %d line %d", &g, &i); n != 2 || err != nil {
			t.Fatalf("line %q is not whole", l)
		}
		seen[l] = true
	}
	if len(seen) != writers*lines {
		t.Fatalf("%d distinct lines, want %d", len(seen), writers*lines)
	}
	if isTerminal(&lockedWriter{w: &buf}) {
		t.Fatal("a buffer behind the lock is taken for a terminal")
	}
}
