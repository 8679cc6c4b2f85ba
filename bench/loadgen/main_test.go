package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/bench/benchkit"
)

func TestLoopbackURL(t *testing.T) {
	for raw, want := range map[string]string{
		"http://127.0.0.1:8080":        "http://127.0.0.1:8080",
		"http://localhost:9/query":     "http://localhost:9",
		"http://[::1]:8080/":           "http://[::1]:8080",
		"https://127.0.0.1/api/query?": "https://127.0.0.1/api",
	} {
		u, err := loopbackURL(raw)
		if err != nil || u.String() != want {
			t.Errorf("loopbackURL(%q) = %v, %v; want %s", raw, u, err, want)
		}
	}
	for _, raw := range []string{"http://10.0.0.1:8080", "http://example.com", "http://127.0.0.2", "ftp://127.0.0.1", "http://localhost.example.com", "127.0.0.1:8080"} {
		if _, err := loopbackURL(raw); err == nil {
			t.Errorf("loopbackURL(%q) accepted a target that is not loopback http", raw)
		}
	}
}

// TestRunCountsErrors runs a short load against a fake server that answers one question with a
// GraphQL error and another with HTTP 500: both are errors, counted per question and by kind.
func TestRunCountsErrors(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"q01-ok": "{ ok }", "q02-gql": "{ gql }", "q03-http": "{ http }"} {
		if err := os.WriteFile(filepath.Join(dir, name+".graphql"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "q01-ok.vars.json"), []byte(`{"x":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" {
			io.WriteString(w, "# HELP x\nprocess_resident_memory_bytes 1.048576e+07\ngo_memstats_heap_inuse_bytes 2097152\ngo_memstats_next_gc_bytes 4e+06\ngo_gc_gogc_percent 100\ngo_gc_duration_seconds_count 7\n")
			return
		}
		var req struct{ Query string }
		_ = json.NewDecoder(r.Body).Decode(&req)
		switch {
		case strings.Contains(req.Query, "gql"):
			io.WriteString(w, `{"errors":[{"message":"boom","extensions":{"code":"TIMEOUT"}}],"data":null}`)
		case strings.Contains(req.Query, "http"):
			w.WriteHeader(http.StatusInternalServerError)
		default:
			io.WriteString(w, `{"data":{"ok":true}}`)
		}
	}))
	defer srv.Close()

	qs, err := loadQuestions(dir)
	if err != nil || len(qs) != 3 {
		t.Fatalf("loadQuestions = %d, %v", len(qs), err)
	}
	if !bytes.Contains(qs[0].Body, []byte(`"variables":{"x":1}`)) {
		t.Errorf("variables not sent: %s", qs[0].Body)
	}
	tg := benchkit.NewTarget("fake", srv.URL+"/query", 4, time.Second)
	r := benchkit.RunLoad(context.Background(), tg, specs(qs), 4, time.Hour, 300, true)
	total := 0
	for _, l := range r.Lat {
		total += len(l)
	}
	if total != 300 {
		t.Errorf("%d requests, want the -n bound of 300", total)
	}
	if r.Errs[0] != 0 || r.Errs[1] != len(r.Lat[1]) || r.Errs[2] != len(r.Lat[2]) {
		t.Errorf("errors per question %v for requests %d/%d/%d", r.Errs, len(r.Lat[0]), len(r.Lat[1]), len(r.Lat[2]))
	}
	if r.Kinds["GraphQL error TIMEOUT"] != r.Errs[1] || r.Kinds["HTTP 500"] != r.Errs[2] {
		t.Errorf("error kinds %v", r.Kinds)
	}
	u, _ := loopbackURL(srv.URL)
	m := sampleMemory(context.Background(), http.DefaultClient, u, "now", time.Now())
	if m.err != nil || m.rss != 10<<20 || m.heapInuse != 2<<20 || m.liveHeap() != 2e6 || m.gcs != 7 {
		t.Errorf("memory sample %+v", m)
	}
}
