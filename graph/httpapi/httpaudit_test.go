package httpapi_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
)

// TestGraphQLOverHTTPAudit runs the GraphQL-over-HTTP conformance audit (serverAudits of the
// npm package graphql-http, the spec's reference implementation) against the real handler and
// fails on any audit that is not ok, warnings included. It needs Node.js and the package
// installed beside audit.js:
//
//	cd graph/httpapi/testdata/httpaudit && npm ci
//
// and is skipped without them, except in CI (CI=true), where that is a failure.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	dir := filepath.Join("testdata", "httpaudit")
	node, err := exec.LookPath("node")
	_, statErr := os.Stat(filepath.Join(dir, "node_modules", "graphql-http", "package.json"))
	if err != nil || statErr != nil {
		msg := "needs node and `npm ci` in " + dir + " to run the GraphQL-over-HTTP audit"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	srv := apitest.NewServer(t, httpapi.Options{})
	cmd := exec.CommandContext(t.Context(), node, "audit.js", srv.URL+"/query")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the audit did not run (%v):\n%s", err, stderr.String())
	}
	counts := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r struct {
			ID, Name, Status, Reason, ResponseBody string
			ResponseStatus                         int
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("audit output is not JSON: %s", sc.Bytes())
		}
		counts[r.Status]++
		if r.Status != "ok" {
			t.Errorf("%s %s [%s]: %s (status %d, body %.300s)", r.Status, r.Name, r.ID, r.Reason, r.ResponseStatus, r.ResponseBody)
		}
	}
	if counts["ok"] == 0 {
		t.Fatalf("no audit passed; output:\n%s", out)
	}
	t.Logf("GraphQL-over-HTTP audit: %d ok, %d notice, %d warn, %d error", counts["ok"], counts["notice"], counts["warn"], counts["error"])
}
