// Package web serves the browser side of the server: the relationship explorer, mounted at
// /explore, that draws the knowledge graph around an entity, moves it through time, finds the
// paths between two entities and lists an entity's relations and timeline; the query console
// at /explore/console, a GraphQL editor with the product questions and a schema browser; and
// the page at / that loads GraphiQL from its CDN and offers the console when it cannot.
//
// The explorer and the console are plain JavaScript modules, CSS and SVG embedded in the
// binary (no build step, no CDN, no npm), and they talk to the server only through the public
// GraphQL endpoint /query, so the explorer doubles as the worked example of a frontend on
// this API.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"
)

//go:embed static
var static embed.FS

// Prefix is where the explorer lives; the server mounts Handler at Prefix and Prefix+"/".
const Prefix = "/explore"

// ConsolePath is where the query console lives, under Prefix.
const ConsolePath = Prefix + "/console"

// assetsPrefix is where the files under static/assets are served, with or without a version
// segment: /explore/assets/<version>/app.js or /explore/assets/app.js.
const assetsPrefix = Prefix + "/assets/"

// ContentSecurityPolicy is sent with every response of Handler: the explorer and the console
// load scripts, styles, images and data from this origin only, run no inline script or style,
// and may not be framed. Images may also come from blob: URLs, the pictures the explorer makes
// of its drawing to export it as PNG.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' blob:; font-src 'self'; connect-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// asset is one embedded file, ready to serve.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// site is the explorer's and the console's content, read once from the embedded files.
type site struct {
	index      asset
	console    asset
	playground asset
	assets     map[string]asset // by path under static/assets, e.g. "app.js"
	version    string
}

// contentTypes are set explicitly rather than taken from the system's MIME tables, because
// browsers refuse JavaScript modules served with any other type and the tables vary by host.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".json": "application/json",
	".png":  "image/png",
}

// Handler serves the explorer: its page at /explore (and /explore/, whatever the query string,
// so deep links such as /explore?id=avtotor&asOf=2021&view=graph work), the query console at
// /explore/console, and their files under /explore/assets/. Every response carries a strict
// Content-Security-Policy.
//
// The page is never cached without revalidation, so a new release is picked up at once. It
// refers to the files through a version segment derived from their content
// (/explore/assets/<version>/app.js), so those responses may be cached for a year: a release
// that changes any file changes the version. The modules import each other by relative path,
// so they all resolve within the same version.
func Handler() http.Handler {
	s, err := load()
	if err != nil {
		// The files are embedded at build time: failing here is a broken build, not a runtime
		// condition a caller could handle.
		panic("web: " + err.Error())
	}
	return s
}

func load() (*site, error) {
	s := &site{assets: map[string]asset{}}
	err := fs.WalkDir(static, "static/assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := static.ReadFile(p)
		if err != nil {
			return err
		}
		s.assets[strings.TrimPrefix(p, "static/assets/")] = newAsset(p, b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	examples, err := loadExamples()
	if err != nil {
		return nil, err
	}
	s.assets["examples.json"] = newAsset("examples.json", examples)
	// The version covers every asset, names included, in a stable order.
	names := make([]string, 0, len(s.assets))
	for n := range s.assets {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		h.Write([]byte(n))
		h.Write([]byte{0})
		h.Write([]byte(s.assets[n].etag))
	}
	s.version = hex.EncodeToString(h.Sum(nil))[:12]

	for _, pg := range []struct {
		file string
		dst  *asset
	}{{"index.html", &s.index}, {"console.html", &s.console}, {"playground.html", &s.playground}} {
		page, err := static.ReadFile("static/" + pg.file)
		if err != nil {
			return nil, err
		}
		page = bytes.ReplaceAll(page, []byte(assetsPrefix), []byte(assetsPrefix+s.version+"/"))
		if pg.file == "playground.html" {
			list, err := json.Marshal(graphiQLAssets)
			if err != nil {
				return nil, err
			}
			page = bytes.ReplaceAll(page, []byte("{{graphiql-assets}}"), []byte(html.EscapeString(string(list))))
		}
		*pg.dst = newAsset(pg.file, page)
	}
	return s, nil
}

// example is one of the product questions, as the console offers it.
type example struct {
	Name      string `json:"name"`      // the file name without extension, e.g. "q05-as-of"
	Title     string `json:"title"`     // the question, from the comment that opens the file
	Query     string `json:"query"`     // the whole file
	Variables string `json:"variables"` // the .vars.json file next to it, or ""
}

// loadExamples lists static/examples (copies of graph/testdata/questions, which a test keeps
// equal) as JSON, in file order.
func loadExamples() ([]byte, error) {
	files, err := fs.Glob(static, "static/examples/*.graphql")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	out := make([]example, 0, len(files))
	for _, f := range files {
		q, err := static.ReadFile(f)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(path.Base(f), ".graphql")
		ex := example{Name: name, Query: string(q)}
		var title []string
		for _, line := range strings.Split(ex.Query, "\n") {
			if !strings.HasPrefix(line, "#") {
				break
			}
			title = append(title, strings.TrimSpace(strings.TrimPrefix(line, "#")))
		}
		ex.Title = strings.Join(title, " ")
		if ex.Title == "" {
			return nil, fmt.Errorf("example %s does not open with a comment saying what it asks", name)
		}
		if v, err := static.ReadFile("static/examples/" + name + ".vars.json"); err == nil {
			ex.Variables = string(v)
		}
		out = append(out, ex)
	}
	return json.Marshal(out)
}

func newAsset(name string, body []byte) asset {
	sum := sha256.Sum256(body)
	ct := contentTypes[path.Ext(name)]
	if ct == "" {
		ct = "application/octet-stream"
	}
	return asset{body: body, contentType: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
}

// ServeHTTP implements http.Handler.
func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	switch {
	case p == Prefix || p == Prefix+"/" || p == Prefix+"/index.html":
		h.Set("Cache-Control", "no-cache")
		serve(w, r, s.index)
	case p == ConsolePath || p == ConsolePath+"/":
		h.Set("Cache-Control", "no-cache")
		serve(w, r, s.console)
	case strings.HasPrefix(p, assetsPrefix):
		name := strings.TrimPrefix(p, assetsPrefix)
		cache := "no-cache"
		if v, rest, ok := strings.Cut(name, "/"); ok && isVersion(v) {
			name = rest
			if v == s.version {
				cache = "public, max-age=31536000, immutable"
			}
			// A page from an earlier release may still ask for an old version: it gets
			// today's file, revalidated each time rather than cached under the wrong name.
		}
		a, ok := s.assets[name]
		if !ok {
			notFound(w)
			return
		}
		h.Set("Cache-Control", cache)
		serve(w, r, a)
	default:
		notFound(w)
	}
}

// isVersion reports whether v looks like a version segment (12 hex digits), as opposed to a
// directory under static/assets.
func isVersion(v string) bool {
	if len(v) != 12 {
		return false
	}
	for _, c := range v {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func serve(w http.ResponseWriter, r *http.Request, a asset) {
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("ETag", a.etag)
	// ServeContent answers If-None-Match with 304 and handles HEAD and ranges.
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
}

func notFound(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, "404 page not found", http.StatusNotFound)
}
