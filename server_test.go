package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/neo4jstore/neo4jtest"
)

func TestLoadConfig(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	c, err := loadConfig(env())
	if err != nil || c.Addr != ":8080" || c.DataDir != "data" || c.Seed != seedAuto || c.Neo4j != nil || len(c.Handler.Auth.Tokens) != 0 || c.Handler.Auth.JWT != nil || c.Handler.Auth.ReadAuth {
		t.Errorf("defaults: %+v, %v", c, err)
	}
	c, err = loadConfig(env("KG_DATA_DIR", ":memory:", "KG_WRITE_TOKEN", "aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb", "KG_SEED", "NEVER"))
	if err != nil || c.DataDir != "" || c.Seed != seedNever || len(c.Handler.Auth.Tokens) != 2 {
		t.Errorf("memory, two tokens, never: %+v, %v", c, err)
	}
	tokenFile := filepath.Join(t.TempDir(), "tokens")
	if err := os.WriteFile(tokenFile, []byte("# curators\ncccccccccccccccc\n\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if c, err = loadConfig(env("KG_WRITE_TOKEN_FILE", tokenFile)); err != nil || len(c.Handler.Auth.Tokens) != 1 {
		t.Errorf("token file: %d tokens, %v", len(c.Handler.Auth.Tokens), err)
	}
	for _, tc := range []struct{ name, key, value, want string }{
		{"port", "PORT", "http", "PORT"},
		{"negative port", "PORT", "-1", "PORT"},
		{"seed", "KG_SEED", "sometimes", "KG_SEED"},
		{"timeout", "KG_REQUEST_TIMEOUT", "soon", "KG_REQUEST_TIMEOUT"},
		{"bool", "KG_PLAYGROUND", "maybe", "KG_PLAYGROUND"},
		{"short token", "KG_WRITE_TOKEN", "short", "16 characters"},
		{"missing token file", "KG_WRITE_TOKEN_FILE", "/nonexistent/tokens", "KG_WRITE_TOKEN_FILE"},
		{"log level", "KG_LOG_LEVEL", "loud", "KG_LOG_LEVEL"},
		{"neo4j scheme", "NEO4J_URI", "http://localhost:7474", "NEO4J_URI"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadConfig(env(tc.key, tc.value))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one naming %s", err, tc.want)
			}
		})
	}
}

// process is the built server running as a subprocess.
type process struct {
	cmd    *exec.Cmd
	url    string
	stderr *bytes.Buffer
}

func buildServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "autograph")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func startServer(t *testing.T, bin string, env ...string) *process {
	t.Helper()
	port := freePort(t)
	p := &process{cmd: exec.Command(bin), url: fmt.Sprintf("http://127.0.0.1:%d", port), stderr: &bytes.Buffer{}}
	p.cmd.Env = append(os.Environ(), append(env, fmt.Sprintf("PORT=%d", port))...)
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(p.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server did not become ready; stderr:\n%s", p.stderr)
	return nil
}

func (p *process) graphql(auth, query string, vars map[string]any) (map[string]any, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, p.url+"/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var out struct {
		Data   map[string]any `json:"data"`
		Errors []any          `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("status %d: %s", resp.StatusCode, raw)
	}
	if len(out.Errors) > 0 {
		return nil, fmt.Errorf("errors: %v", out.Errors)
	}
	return out.Data, nil
}

// TestAcknowledgedWritesSurviveSIGKILL streams writes at the built server, kills it with
// SIGKILL in the middle of the stream, restarts it on the same store and checks that every
// write that was acknowledged is there: on the embedded store's data directory, and on the
// Neo4j test database (see package neo4jtest).
func TestAcknowledgedWritesSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server; skipped with -short")
	}
	const token = "kill-test-token-0123456789"
	bin := buildServer(t)
	t.Run("embedded", func(t *testing.T) {
		writesSurviveSIGKILL(t, bin, "KG_DATA_DIR="+t.TempDir(), "KG_WRITE_TOKEN="+token)
	})
	t.Run("neo4j", func(t *testing.T) {
		s := neo4jtest.Use(t)
		writesSurviveSIGKILL(t, bin, "KG_WRITE_TOKEN="+token, "NEO4J_URI="+s.URI, "NEO4J_USERNAME="+s.Username,
			"NEO4J_PASSWORD="+s.Password, "NEO4J_DATABASE="+s.Database)
	})
}

func writesSurviveSIGKILL(t *testing.T, bin string, env ...string) {
	const token = "kill-test-token-0123456789"
	p := startServer(t, bin, env...)

	var (
		mu    sync.Mutex
		acked []string
		wg    sync.WaitGroup
	)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				id := fmt.Sprintf("writer-%d-org-%d", w, i)
				_, err := p.graphql(token, `mutation($id: ID!, $name: String!) {
					upsertOrganization(input: {id: $id, name: $name, type: ASSEMBLER, sources: ["tass-2023-04-18-avtotor-baic"]}) { id }
				}`, map[string]any{"id": id, "name": "Organization " + id})
				if err != nil {
					return // the server is gone
				}
				_, err = p.graphql(token, `mutation($id: ID!) {
					addRelation(input: {type: LOCATED_IN, from: $id, to: "kaliningrad", sourceIds: ["tass-2023-04-18-avtotor-baic"]}) { id }
				}`, map[string]any{"id": id})
				if err != nil {
					return
				}
				mu.Lock()
				acked = append(acked, id)
				mu.Unlock()
			}
		}()
	}
	// Kill once a good number of writes are acknowledged, with more in flight.
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 200 {
			break
		}
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Wait()
	wg.Wait()
	if len(acked) < 50 {
		t.Fatalf("only %d writes acknowledged before the kill; stderr:\n%s", len(acked), p.stderr)
	}

	p2 := startServer(t, bin, env...)
	for start := 0; start < len(acked); start += 100 {
		ids := acked[start:min(start+100, len(acked))]
		data, err := p2.graphql("", `query($ids: [ID!]) {
			organizations(where: {ids: $ids}, first: 100) { totalCount edges { node { id relations(types: [LOCATED_IN]) { totalCount } } } }
		}`, map[string]any{"ids": ids})
		if err != nil {
			t.Fatal(err)
		}
		conn := data["organizations"].(map[string]any)
		if got := int(conn["totalCount"].(float64)); got != len(ids) {
			t.Fatalf("after restart %d of %d acknowledged organizations are there", got, len(ids))
		}
		for _, e := range conn["edges"].([]any) {
			node := e.(map[string]any)["node"].(map[string]any)
			if node["relations"].(map[string]any)["totalCount"].(float64) != 1 {
				t.Errorf("%s lost its acknowledged relation", node["id"])
			}
		}
	}
	t.Logf("%d acknowledged write pairs survived SIGKILL", len(acked))

	// Every acknowledged write kept its revision, and revisions are numbered without a gap.
	for _, id := range acked {
		data, err := p2.graphql("", `query($id: ID!) { history(id: $id) { nodes { operation actor { name } after } } }`, map[string]any{"id": id})
		if err != nil {
			t.Fatal(err)
		}
		nodes := data["history"].(map[string]any)["nodes"].([]any)
		if len(nodes) != 1 || nodes[0].(map[string]any)["operation"] != "UPSERT_ENTITY" || nodes[0].(map[string]any)["after"] == nil {
			t.Fatalf("history of acknowledged %s after restart = %v, want its one UPSERT_ENTITY", id, nodes)
		}
	}
	var next float64 = 1
	for after := ""; ; {
		data, err := p2.graphql("", `query($after: String) { revisions(first: 100, after: $after) { nodes { number } pageInfo { hasNextPage endCursor } } }`, map[string]any{"after": after})
		if err != nil {
			t.Fatal(err)
		}
		conn := data["revisions"].(map[string]any)
		for _, n := range conn["nodes"].([]any) {
			if got := n.(map[string]any)["number"].(float64); got != next {
				t.Fatalf("revision %v follows %v: numbers have a gap", got, next-1)
			}
			next++
		}
		pi := conn["pageInfo"].(map[string]any)
		if pi["hasNextPage"] != true {
			break
		}
		after = pi["endCursor"].(string)
	}
	// The seed's import, then two revisions per acknowledged pair (more for writes cut off
	// after they committed but before they were acknowledged).
	if int(next-1) < 1+2*len(acked) {
		t.Errorf("%d revisions after restart, want at least %d", int(next-1), 1+2*len(acked))
	}

	// The seed is loaded only into a fresh data directory: it is still there, once.
	data, err := p2.graphql("", `{ organization(id: "avtotor") { assembles(status: [ENDED]) { id } } }`, nil)
	if err != nil || len(data["organization"].(map[string]any)["assembles"].([]any)) != 3 {
		t.Errorf("seed after restart: %v %v", data, err)
	}

	// SIGTERM shuts down gracefully.
	if err := p2.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p2.cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v; stderr:\n%s", err, p2.stderr)
	}
}
