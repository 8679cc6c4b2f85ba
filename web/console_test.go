package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/google/go-cmp/cmp"

	"github.com/autograph-kg/autograph/web"
)

// questionsDir holds the product questions the server's own tests answer; the console
// offers copies of them (static/examples), which must not drift.
const questionsDir = "../graph/testdata/questions"

func TestConsoleExamplesAreTheProductQuestions(t *testing.T) {
	h := web.Handler()
	_, page := get(t, h, http.MethodGet, "/explore/console", nil)
	m := regexp.MustCompile(`src="(/explore/assets/[0-9a-f]{12}/)console\.js"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the console page does not load a versioned console.js:\n%s", page)
	}
	resp, body := get(t, h, http.MethodGet, m[1]+"examples.json", nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET %sexamples.json: status %d, Content-Type %q", m[1], resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var got []struct{ Name, Title, Query, Variables string }
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("examples.json: %v", err)
	}

	files, err := filepath.Glob(filepath.Join(questionsDir, "*.graphql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no questions in %s (%v)", questionsDir, err)
	}
	sort.Strings(files)
	if len(got) != len(files) {
		t.Errorf("the console offers %d examples, %s has %d questions", len(got), questionsDir, len(files))
	}
	for i, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".graphql")
		if i >= len(got) {
			break
		}
		q, _ := os.ReadFile(f)
		vars, err := os.ReadFile(filepath.Join(questionsDir, name+".vars.json"))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if got[i].Name != name {
			t.Errorf("example %d is %q, want %q", i, got[i].Name, name)
		}
		if diff := cmp.Diff(string(q), got[i].Query); diff != "" {
			t.Errorf("the console's %s differs from %s (copy it to web/static/examples) (-question +console):\n%s", name, f, diff)
		}
		if got[i].Variables != string(vars) {
			t.Errorf("the console's variables for %s are %q, the question's %q", name, got[i].Variables, vars)
		}
		if !regexp.MustCompile(`^\d+\. \S`).MatchString(got[i].Title) {
			t.Errorf("example %s has the title %q, want the question from its opening comment", name, got[i].Title)
		}
	}
}

func TestConsolePage(t *testing.T) {
	h := web.Handler()
	for _, target := range []string{"/explore/console", "/explore/console/", "/explore/console?example=q05-as-of&type=Organization"} {
		resp, body := get(t, h, http.MethodGet, target, nil)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-cache" {
			t.Fatalf("GET %s: status %d, Cache-Control %q", target, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
		for _, want := range []string{`id="query"`, `id="variables"`, `id="example"`, `id="run"`, `id="schema"`, `href="/explore"`} {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s: the page lacks %s", target, want)
			}
		}
	}
}

// The page at / loads exactly the files gqlgen's playground loads, with the same integrity
// hashes, and its policy allows those files and nothing else from another origin.
func TestPlaygroundPage(t *testing.T) {
	rec := httptest.NewRecorder()
	playground.Handler("x", "/query").ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	ref := regexp.MustCompile(`(?s)(?:src|href)="(https://[^"]+)"\s+integrity="([^"]+)"`)
	want := map[string]string{}
	for _, m := range ref.FindAllStringSubmatch(rec.Body.String(), -1) {
		want[html.UnescapeString(m[1])] = html.UnescapeString(m[2])
	}
	if len(want) < 4 {
		t.Fatalf("gqlgen's playground loads %d files from its CDN, expected React, ReactDOM and GraphiQL's script and stylesheet: %v", len(want), want)
	}

	h := web.Playground()
	resp, body := get(t, h, http.MethodGet, "/", nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET /: status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	m := regexp.MustCompile(`data-assets="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the page lists no GraphiQL files:\n%s", body)
	}
	var assets []struct{ URL, Integrity, Kind string }
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &assets); err != nil {
		t.Fatalf("data-assets: %v", err)
	}
	got := map[string]string{}
	for _, a := range assets {
		got[a.URL] = a.Integrity
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the page's GraphiQL files differ from gqlgen's playground (-gqlgen +page):\n%s", diff)
	}

	csp := resp.Header.Get("Content-Security-Policy")
	if csp != web.PlaygroundContentSecurityPolicy() {
		t.Errorf("CSP %q, want %q", csp, web.PlaygroundContentSecurityPolicy())
	}
	for _, d := range []string{"default-src 'self'", "connect-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("CSP %q lacks %q", csp, d)
		}
	}
	if strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q allows inline or eval'd code", csp)
	}
	// Every source from another origin is one of the files, named in full.
	for _, src := range regexp.MustCompile(`https?://\S+`).FindAllString(csp, -1) {
		src = strings.TrimSuffix(src, ";")
		if _, ok := want[src]; !ok {
			t.Errorf("CSP allows %s, which is not one of GraphiQL's files", src)
		}
	}
	for u := range want {
		if !strings.Contains(csp, u) {
			t.Errorf("CSP does not allow %s", u)
		}
	}
	for _, link := range []string{`href="/explore/console"`, `href="/explore"`, "Loading…"} {
		if !strings.Contains(body, link) {
			t.Errorf("the page lacks %s", link)
		}
	}
	if regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`).MatchString(body) || strings.Contains(body, "<style") || strings.Contains(body, " style=") {
		t.Error("the page has inline script or style")
	}
	if resp, _ := get(t, h, http.MethodPost, "/", nil); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: status %d, want 405", resp.StatusCode)
	}
}
