package httpapi_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
)

// TestPlaygroundOption checks Options.Playground: a page given there is what GET / serves, in
// place of gqlgen's GraphiQL page and untouched (no explorer link is added); it serves only
// GET /; and DisablePlayground turns it off like the GraphiQL page.
func TestPlaygroundOption(t *testing.T) {
	const page = "<!doctype html><title>our own page</title>"
	ours := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("X-Page", "ours")
		_, _ = io.WriteString(w, page)
	})
	get := func(t *testing.T, url string) (*http.Response, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	t.Run("served at GET /", func(t *testing.T) {
		srv := apitest.NewServer(t, httpapi.Options{Playground: ours, Explorer: http.NotFoundHandler()})
		resp, body := get(t, srv.URL+"/")
		if resp.StatusCode != http.StatusOK || body != page || resp.Header.Get("X-Page") != "ours" {
			t.Errorf("GET /: status %d, X-Page %q, body %.200q; want our page as it is", resp.StatusCode, resp.Header.Get("X-Page"), body)
		}
		if strings.Contains(body, "graphiql") {
			t.Errorf("GET / still serves GraphiQL: %.200q", body)
		}
	})
	t.Run("only at GET /", func(t *testing.T) {
		srv := apitest.NewServer(t, httpapi.Options{Playground: ours})
		if resp, body := get(t, srv.URL+"/elsewhere"); resp.StatusCode != http.StatusNotFound || body == page {
			t.Errorf("GET /elsewhere: status %d, body %.100q; want 404", resp.StatusCode, body)
		}
		resp, err := http.Post(srv.URL+"/", "text/plain", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST /: status %d, want 405", resp.StatusCode)
		}
	})
	t.Run("GraphiQL without it", func(t *testing.T) {
		srv := apitest.NewServer(t, httpapi.Options{})
		if resp, body := get(t, srv.URL+"/"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "graphiql") {
			t.Errorf("GET /: status %d, body %.200q; want the GraphiQL page", resp.StatusCode, body)
		}
	})
	t.Run("off with DisablePlayground", func(t *testing.T) {
		srv := apitest.NewServer(t, httpapi.Options{Playground: ours, DisablePlayground: true})
		if resp, body := get(t, srv.URL+"/"); resp.StatusCode != http.StatusNotFound || body == page {
			t.Errorf("GET /: status %d, body %.100q; want 404", resp.StatusCode, body)
		}
	})
}
