package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/web"
)

func get(t *testing.T, h http.Handler, method, target string, header http.Header) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	resp := rec.Result()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

var assetRef = regexp.MustCompile(`(?:src|href)="(/explore/assets/[^"]+)"`)

func TestPageAndAssets(t *testing.T) {
	h := web.Handler()
	for _, target := range []string{"/explore", "/explore/", "/explore?id=avtotor&asOf=2021&view=graph", "/explore/index.html"} {
		resp, body := get(t, h, http.MethodGet, target, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", target, resp.StatusCode)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", target, ct)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache so a release shows at once", target, cc)
		}
		if !strings.Contains(body, `<script type="module"`) {
			t.Errorf("GET %s: no module script in the page", target)
		}
	}

	_, page := get(t, h, http.MethodGet, "/explore", nil)
	refs := assetRef.FindAllStringSubmatch(page, -1)
	if len(refs) < 3 {
		t.Fatalf("the page refers to %d assets, want the script, the stylesheet and the icon", len(refs))
	}
	want := map[string]string{
		".js":  "text/javascript; charset=utf-8",
		".css": "text/css; charset=utf-8",
		".svg": "image/svg+xml",
	}
	for _, m := range refs {
		ref := m[1]
		// Versioned: /explore/assets/<12 hex>/name.
		if !regexp.MustCompile(`^/explore/assets/[0-9a-f]{12}/[a-z]+\.[a-z]+$`).MatchString(ref) {
			t.Errorf("asset %s is not versioned", ref)
			continue
		}
		resp, body := get(t, h, http.MethodGet, ref, nil)
		if resp.StatusCode != http.StatusOK || body == "" {
			t.Errorf("GET %s: status %d, %d bytes", ref, resp.StatusCode, len(body))
			continue
		}
		ext := ref[strings.LastIndex(ref, "."):]
		if ct := resp.Header.Get("Content-Type"); ct != want[ext] {
			t.Errorf("GET %s: Content-Type %q, want %q", ref, ct, want[ext])
		}
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
			t.Errorf("GET %s: Cache-Control %q, want a year, immutable", ref, cc)
		}
		etag := resp.Header.Get("ETag")
		if etag == "" {
			t.Errorf("GET %s: no ETag", ref)
			continue
		}
		resp, _ = get(t, h, http.MethodGet, ref, http.Header{"If-None-Match": {etag}})
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with If-None-Match: status %d, want 304", ref, resp.StatusCode)
		}
	}
}

func TestUnversionedAndStaleAssetsRevalidate(t *testing.T) {
	h := web.Handler()
	for _, target := range []string{"/explore/assets/app.js", "/explore/assets/000000000000/app.js"} {
		resp, body := get(t, h, http.MethodGet, target, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "import") {
			t.Fatalf("GET %s: status %d", target, resp.StatusCode)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache (not this release's version)", target, cc)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	h := web.Handler()
	for _, target := range []string{"/explore", "/explore/console", "/explore/assets/app.js", "/explore/nothing-here"} {
		resp, _ := get(t, h, http.MethodGet, target, nil)
		csp := resp.Header.Get("Content-Security-Policy")
		for _, d := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"} {
			if !strings.Contains(csp, d) {
				t.Errorf("GET %s: CSP %q lacks %q", target, csp, d)
			}
		}
		if strings.Contains(csp, "unsafe") || strings.Contains(csp, "http") {
			t.Errorf("GET %s: CSP %q allows more than this origin", target, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no X-Content-Type-Options: nosniff", target)
		}
	}
}

func TestNotFoundAndMethods(t *testing.T) {
	h := web.Handler()
	for _, target := range []string{"/explore/nothing", "/explore/assets/nothing.js", "/explore/assets/", "/explore/assets/0123456789ab/nothing.js"} {
		if resp, _ := get(t, h, http.MethodGet, target, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", target, resp.StatusCode)
		}
	}
	resp, _ := get(t, h, http.MethodPost, "/explore", nil)
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /explore: status %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
	resp, body := get(t, h, http.MethodHead, "/explore", nil)
	if resp.StatusCode != http.StatusOK || body != "" {
		t.Errorf("HEAD /explore: status %d, %d bytes of body", resp.StatusCode, len(body))
	}
}

// The app must run from this origin alone: no CDN, no absolute URLs to load code or styles
// from, no inline script or style (which the CSP would block anyway).
func TestNoThirdPartyOrInlineCode(t *testing.T) {
	h := web.Handler()
	for _, target := range []string{"/explore", "/explore/console"} {
		_, page := get(t, h, http.MethodGet, target, nil)
		if regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`).MatchString(page) {
			t.Errorf("%s has an inline script", target)
		}
		if strings.Contains(page, "<style") || strings.Contains(page, " style=") {
			t.Errorf("%s has inline styles", target)
		}
		if strings.Contains(page, "http://") || strings.Contains(page, "https://") {
			t.Errorf("%s refers to another site", target)
		}
	}
	for _, name := range []string{"app.js", "api.js", "combobox.js", "format.js", "graph.js", "layout.js", "views.js", "style.css",
		"history.js", "live.js", "console.js", "editor.js", "schema.js", "console.css", "playground.js", "playground.css"} {
		_, body := get(t, h, http.MethodGet, "/explore/assets/"+name, nil)
		if body == "" || strings.HasPrefix(body, "404") {
			t.Errorf("%s is missing", name)
			continue
		}
		for _, m := range regexp.MustCompile(`https?://[^\s'"`+"`"+`)]+`).FindAllString(body, -1) {
			if m != "http://www.w3.org/2000/svg" {
				t.Errorf("%s refers to %s", name, m)
			}
		}
		if strings.HasSuffix(name, ".js") {
			for _, imp := range regexp.MustCompile(`(?m)^import .* from '([^']+)'`).FindAllStringSubmatch(body, -1) {
				if !strings.HasPrefix(imp[1], "./") {
					t.Errorf("%s imports %s: modules must import each other by relative path so a version resolves to one release", name, imp[1])
				}
			}
		}
	}
}
