package web_test

// Browser tests: the real server handler (GraphQL and the explorer) in-process, driven by a
// real headless Chromium over the DevTools protocol. They skip when no Chromium is installed.
// Every wait is on a DOM condition with a timeout, never on elapsed time.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/autograph-kg/autograph/graph/feed"
	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/seed"
	"github.com/autograph-kg/autograph/web"
)

// waitTimeout bounds every wait for a DOM condition. Generous, because -race slows the
// server; a passing run waits far less.
const waitTimeout = 20 * time.Second

// ---- The browser, shared by all tests -----------------------------------------------------

var (
	browserOnce   sync.Once
	browserCtx    context.Context
	browserCancel context.CancelFunc
	browserErr    error
	browserPath   string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if browserCancel != nil {
		browserCancel()
	}
	os.Exit(code)
}

// findChromium looks for a Chromium or Chrome binary: $KG_CHROMIUM, then the usual names on
// PATH, then Debian's path.
func findChromium() string {
	if p := os.Getenv("KG_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	return ""
}

// inCI reports whether the tests run under CI, where a missing browser is a failure.
func inCI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "0" && v != "false"
}

// browser starts Chromium once (the first test that needs it) and returns its context.
func browser(t *testing.T) context.Context {
	t.Helper()
	browserOnce.Do(func() {
		browserPath = findChromium()
		if browserPath == "" {
			return
		}
		dir, err := os.MkdirTemp("", "autograph-chromium-")
		if err != nil {
			browserErr = err
			return
		}
		// As root, in a container, with no internet: no sandbox, no GPU, and none of the
		// background traffic (updates, sync, QUIC probes) that would flood refused connections.
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(browserPath),
			chromedp.UserDataDir(dir),
			chromedp.Flag("headless", true),
			chromedp.Flag("no-sandbox", true),
			chromedp.Flag("disable-gpu", true),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("no-first-run", true),
			chromedp.Flag("no-default-browser-check", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-extensions", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.Flag("hide-scrollbars", true),
			chromedp.Flag("mute-audio", true),
			chromedp.Flag("font-render-hinting", "none"),
		}
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelCtx := chromedp.NewContext(alloc)
		browserCtx = ctx
		browserCancel = func() {
			cancelCtx()
			cancelAlloc()
			_ = os.RemoveAll(dir)
		}
		browserErr = chromedp.Do(ctx) // starts the browser
	})
	if browserPath == "" && inCI() {
		t.Fatal("CI=true but no Chromium found (looked for $KG_CHROMIUM, chromium, chromium-browser, google-chrome on PATH and /usr/bin/chromium): install it with `apt-get install -y chromium`")
	}
	if browserPath == "" {
		t.Skip("no Chromium found (looked for $KG_CHROMIUM, chromium, chromium-browser, google-chrome on PATH and /usr/bin/chromium); install it with `apt-get install -y chromium` to run the browser tests")
	}
	if browserErr != nil {
		t.Fatalf("starting %s: %v", browserPath, browserErr)
	}
	return browserCtx
}

// ---- The app under test ------------------------------------------------------------------

// app is the real handler serving the seed (and, for the big-graph test, a generated hub) with
// a switch to make /query fail the way a stopped server does.
type app struct {
	*httptest.Server
	handler     http.Handler // the server's own handler, without the switches below
	store       *inmem.Store
	down        atomic.Bool  // /query drops the connection, as a stopped server would
	unavailable atomic.Bool  // /query answers as the server does when its store is down
	streams     atomic.Int64 // requests for an event stream (subscriptions) in progress
}

// writeToken is the bearer token the tests write with (see mutate).
const writeToken = "explorer-test-write-token"

// mutate runs a mutation with the write token straight on the server's handler (so it works
// while the switches make /query fail for the page) and returns its data, failing the test on
// any error.
func (a *app) mutate(t *testing.T, query string, vars map[string]any) map[string]any {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+writeToken)
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	var out struct {
		Data   map[string]any    `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.Errors) > 0 || rec.Code != http.StatusOK {
		t.Fatalf("mutation %s: status %d, %s", query, rec.Code, rec.Body.String())
	}
	return out.Data
}

func newApp(t *testing.T) *app {
	t.Helper()
	ctx := context.Background()
	store := inmem.New()
	if err := seed.Load(ctx, store); err != nil {
		t.Fatalf("seed.Load: %v", err)
	}
	for name, data := range map[string]string{"big hub": bigHub(), "future plant": futurePlant} {
		d, err := seed.Decode(strings.NewReader(data))
		if err != nil {
			t.Fatalf("%s dataset: %v", name, err)
		}
		if err := store.Import(ctx, d); err != nil {
			t.Fatalf("import %s: %v", name, err)
		}
	}
	changes := feed.New(store, feed.Options{})
	h := httpapi.NewHandler(httpapi.Options{Store: store, Explorer: web.Handler(), Playground: web.Playground(), WriteTokens: []string{writeToken}, Feed: changes})
	a := &app{handler: h, store: store}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
			a.streams.Add(1)
			defer a.streams.Add(-1)
		}
		if a.unavailable.Load() && r.URL.Path == "/query" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"errors":[{"message":"the knowledge graph store is unavailable","extensions":{"code":"UNAVAILABLE"}}],"data":null}`))
			return
		}
		if a.down.Load() && r.URL.Path == "/query" {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					_ = conn.Close()
					return
				}
			}
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		changes.Close() // ends the streams still open, so that the server can close
		a.Close()
		_ = store.Close(context.Background())
	})
	return a
}

// futurePlant is an operator and a plant it is to run from 2099, stored as ACTIVE: today that
// relation has not begun.
const futurePlant = `{
  "sources": [{"id": "future-source", "title": "Generated for the explorer's tests", "publishedOn": "2024-01-15"}],
  "organizations": [{"id": "future-operator", "name": "Future Operator", "type": "ASSEMBLER", "sources": ["future-source"]}],
  "plants": [{"id": "future-plant", "name": "Future plant", "sources": ["future-source"]}],
  "relations": [{"id": "future-operator-operates-future-plant", "type": "OPERATES", "from": "future-operator", "to": "future-plant",
    "status": "ACTIVE", "validFrom": "2099", "sources": ["future-source"]}]
}`

// bigHub is a generated dataset around "hub-group": 56 brands with two or three models each and
// a dozen plants, so its two-hop neighbourhood holds about 200 entities.
func bigHub() string {
	type ent = map[string]any
	src := []string{"hub-source"}
	// Invented, distinct names of varied length: syllables picked by the digits of i.
	syll := []string{"ka", "lo", "ve", "ran", "dor", "mi", "tes", "pal", "qui", "nor", "bex", "sut"}
	name := func(i, n int) string {
		var b strings.Builder
		for j, k := 0, i+5; j < n; j, k = j+1, k/len(syll)+j+3 {
			b.WriteString(syll[k%len(syll)])
		}
		s := b.String()
		return strings.ToUpper(s[:1]) + s[1:]
	}
	d := map[string]any{
		"sources":       []ent{{"id": "hub-source", "title": "Generated for the explorer's tests", "publishedOn": "2024-01-15"}},
		"organizations": []ent{{"id": "hub-group", "name": "Hub Group", "type": "GROUP", "sources": src}},
	}
	var brands, models, plants, rels []ent
	rel := func(typ, from, to, status string) {
		rels = append(rels, ent{"id": from + "-" + strings.ReplaceAll(strings.ToLower(typ), "_", "-") + "-" + to, "type": typ, "from": from, "to": to, "status": status, "sources": src})
	}
	for i := 0; i < 56; i++ {
		id := fmt.Sprintf("hub-brand-%02d", i)
		brands = append(brands, ent{"id": id, "name": name(i, 2+i%3), "sources": src})
		status := []string{"ACTIVE", "ACTIVE", "ENDED", "PLANNED"}[i%4]
		rel("OWNS_BRAND", "hub-group", id, status)
		for j := 0; j < 2+i%2; j++ {
			mid := fmt.Sprintf("%s-model-%d", id, j)
			models = append(models, ent{"id": mid, "name": fmt.Sprintf("%s %s %d", name(i, 2+i%3), name(i+j, 1), 10*(j+1)+i), "sources": src})
			rel("HAS_MODEL", id, mid, "ACTIVE")
		}
	}
	for i := 0; i < 12; i++ {
		id := fmt.Sprintf("hub-plant-%02d", i)
		plants = append(plants, ent{"id": id, "name": fmt.Sprintf("%s plant No. %d", name(i+3, 2), i+1), "sources": src})
		rel("OPERATES", "hub-group", id, "ACTIVE")
	}
	d["brands"], d["vehicleModels"], d["plants"], d["relations"] = brands, models, plants, rels
	b, _ := json.Marshal(d)
	return string(b)
}

// ---- A tab -------------------------------------------------------------------------------

// page is one browser tab on the app, collecting what the page reports to the console.
type page struct {
	t    *testing.T
	ctx  context.Context
	base string

	mu       sync.Mutex
	problems []string // console errors and warnings, uncaught exceptions, failed loads
}

// newPage opens a tab with the given viewport. Unless allowProblems, the test fails at the
// end if the page logged an error or warning, threw, or failed to load something.
func newPage(t *testing.T, a *app, width, height int64, allowProblems bool) *page {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser(t))
	t.Cleanup(cancel)
	p := &page{t: t, ctx: ctx, base: a.URL}
	// Subscribe before the first page loads, so nothing the page logs is missed.
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.Type == chromedp.ConsoleException || m.Type == "assert" {
				p.mu.Lock()
				p.problems = append(p.problems, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line+1))
				p.mu.Unlock()
			}
		}
	}()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	if !allowProblems {
		t.Cleanup(func() {
			if probs := p.consoleProblems(); len(probs) > 0 {
				t.Errorf("the page reported problems:\n  %s", strings.Join(probs, "\n  "))
			}
		})
	}
	return p
}

func (p *page) consoleProblems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.problems...)
}

// run runs actions with a timeout, failing the test (with a screenshot) on error.
func (p *page) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.screenshot("failed-" + sanitize(what))
		p.t.Fatalf("%s: %v", what, err)
	}
}

func (p *page) open(path string) {
	p.t.Helper()
	p.run("open "+path, chromedp.Navigate(p.base+path))
	p.waitFor("the app has started", `document.querySelector('#main-search input') !== null`)
}

// eval evaluates a JavaScript expression and decodes its value (through JSON) into out.
func (p *page) eval(expr string, out any) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string]("JSON.stringify("+expr+")"))
	if err == nil {
		err = json.Unmarshal([]byte(s), out)
	}
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", expr, err)
	}
}

// waitFor polls a JavaScript condition until it holds.
func (p *page) waitFor(what, cond string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitTimeout)
	defer cancel()
	var ok bool
	var err error
	for {
		ok, err = chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(25*time.Millisecond), chromedp.WithPollingTimeout(waitTimeout)))
		// A page that navigates away while the condition is polled takes the poll's
		// context with it: ask again in the new page.
		if err != nil && ctx.Err() == nil && navigatedAway(err) {
			time.Sleep(25 * time.Millisecond)
			continue
		}
		break
	}
	if err != nil || !ok {
		sctx, scancel := context.WithTimeout(p.ctx, 5*time.Second)
		defer scancel()
		state, _ := chromedp.Run(sctx, chromedp.Evaluate[string](`location.href + "\n" + document.querySelector('main').innerText.slice(0, 1500)`))
		p.screenshot("failed-" + sanitize(what))
		p.t.Fatalf("waiting until %s (%s): %v\npage: %s", what, cond, err, state)
	}
}

// navigatedAway says whether err is Chromium's way of saying the page under evaluation went away
// (a navigation replaced it, or its execution context was destroyed), rather than that the
// condition failed or the wait ran out: either comes as a CDP error, and both are worth asking
// again in the page that replaced it.
func navigatedAway(err error) bool {
	msg := err.Error()
	if strings.Contains(msg, "deadline") {
		return false
	}
	for _, s := range []string{
		"Inspected target navigated or closed",
		"Execution context was destroyed",
		"Cannot find context with specified id",
		"context",
	} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// screenshotDir is $KG_SCREENSHOT_DIR when set, else a directory of the test's own.
func (p *page) screenshotDir() string {
	if d := os.Getenv("KG_SCREENSHOT_DIR"); d != "" {
		if err := os.MkdirAll(d, 0o755); err == nil {
			return d
		}
	}
	return p.t.TempDir()
}

// screenshot saves the viewport as <name>.png.
func (p *page) screenshot(name string) {
	p.capture(name, chromedp.CaptureScreenshot())
}

// fullScreenshot saves the whole page, beyond the viewport, as <name>.png.
func (p *page) fullScreenshot(name string) {
	p.capture(name, chromedp.FullScreenshot(100))
}

func (p *page) capture(name string, shot chromedp.Action[[]byte]) {
	ctx, cancel := context.WithTimeout(p.ctx, waitTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, shot)
	if err != nil {
		p.t.Logf("screenshot %s: %v", name, err)
		return
	}
	p.saveFile(name+".png", png)
}

// saveFile keeps a file the test made (a screenshot, an export) beside the screenshots.
func (p *page) saveFile(name string, body []byte) {
	path := filepath.Join(p.screenshotDir(), name)
	if err := os.WriteFile(path, body, 0o644); err != nil {
		p.t.Logf("save %s: %v", name, err)
		return
	}
	p.t.Logf("saved: %s", path)
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return '-'
	}, s)
}

// fill replaces the text of an input as a user would: focus it, clear it, type.
func (p *page) fill(sel, text string) {
	p.t.Helper()
	var ok bool
	p.eval(fmt.Sprintf(`(() => { const el = document.querySelector(%q); el.focus(); el.select(); return true; })()`, sel), &ok)
	p.run("type into "+sel, chromedp.KeyEvent(kb.Delete), chromedp.SendKeys(chromedp.CSS(sel), text))
}

func (p *page) location() string {
	var s string
	p.eval(`location.pathname + location.search`, &s)
	return s
}

// drawn is the JavaScript list of the ids drawn as nodes.
const drawn = `[...document.querySelectorAll('.graph-svg .node')].map(n => n.dataset.id)`

func (p *page) nodes() []string {
	var ids []string
	p.eval(drawn, &ids)
	return ids
}

// hasNodes is a condition: every id in `in` is drawn and none in `out`.
func hasNodes(in, out []string) string {
	q := func(ids []string) string { b, _ := json.Marshal(append([]string{}, ids...)); return string(b) }
	return fmt.Sprintf(`(() => { const ids = new Set(%s); return %s.every(i => ids.has(i)) && !%s.some(i => ids.has(i)); })()`,
		drawn, q(in), q(out))
}

// collisionsJS lists what crowds the drawing, in drawing units (the SVG's user space, so the
// same at any zoom): pairs of visible labels (node labels and the edge labels not hidden) less
// than clear apart, a label less than clear from the symbol of a node other than its own, and
// an edge label less than clear from an arrowhead. Labels may be rotated, so each box is the
// rectangle of its text mapped to the drawing, and two shapes are apart when some edge of
// either separates them by clear or more (the separating axis test).
const collisionsJS = `((clear) => {
  const svg = document.querySelector('.graph-svg');
  const toDrawing = svg.getScreenCTM().inverse();
  const poly = (el) => {
    const b = el.getBBox(), m = toDrawing.multiply(el.getScreenCTM());
    return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
      .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
  };
  const shown = (el) => getComputedStyle(el).display !== 'none' && getComputedStyle(el.parentNode).display !== 'none';
  const nodeLabels = [...svg.querySelectorAll('.node-label')].map(t => ({ name: 'label of ' + t.closest('.node').dataset.id, own: t.closest('.node').dataset.id, p: poly(t) }));
  const edgeLabels = [...svg.querySelectorAll('.edge-label')].filter(shown)
    .map(g => ({ name: 'label of ' + g.dataset.id, own: null, p: poly(g.querySelector('rect')) }));
  const labels = nodeLabels.concat(edgeLabels);
  const shapes = [...svg.querySelectorAll('.node > .shape')].map(el => ({ name: 'node ' + el.closest('.node').dataset.id, id: el.closest('.node').dataset.id, p: poly(el) }));
  const arrows = [...svg.querySelectorAll('.edge .arrowhead')].map(el => ({ name: 'arrowhead of ' + el.closest('.edge').dataset.id,
    p: el.getAttribute('points').trim().split(/\s+/).map(pt => pt.split(',').map(Number)) }));
  const apart = (p, q) => [p, q].some(poly => poly.some((a, i) => {
    const b = poly[(i + 1) % poly.length];
    let ax = a[1] - b[1], ay = b[0] - a[0];
    const len = Math.hypot(ax, ay) || 1; ax /= len; ay /= len;
    const proj = pts => pts.map(([x, y]) => x * ax + y * ay);
    const pp = proj(p), qq = proj(q);
    return Math.max(Math.min(...pp), Math.min(...qq)) - Math.min(Math.max(...pp), Math.max(...qq)) >= clear;
  }));
  const out = [];
  for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
    if (!apart(labels[i].p, labels[j].p)) out.push(labels[i].name + ' / ' + labels[j].name);
  }
  for (const l of labels) for (const s of shapes) if (s.id !== l.own && !apart(l.p, s.p)) out.push(l.name + ' / ' + s.name);
  for (const l of edgeLabels) for (const a of arrows) if (!apart(l.p, a.p)) out.push(l.name + ' / ' + a.name);
  return out;
})`

// collisions lists what is less than clear drawing units apart (see collisionsJS).
func (p *page) collisions(clear float64) []string {
	p.t.Helper()
	var out []string
	p.eval(fmt.Sprintf("%s(%g)", collisionsJS, clear), &out)
	return out
}

// labelClearance is how far apart, in drawing units, labels keep from each other and from
// other nodes: the layout keeps 3 around edge labels and 1.5 around node labels.
const labelClearance = 1

func (p *page) assertNoLabelOverlap() {
	p.t.Helper()
	if c := p.collisions(labelClearance); len(c) > 0 {
		p.screenshot("failed-label-overlap")
		p.t.Errorf("%d labels are closer than %dpx to another label or a node: %v", len(c), labelClearance, c)
	}
}

// ---- Tests -------------------------------------------------------------------------------

var avtotorBrands = []string{"kia", "hyundai", "bmw", "kaiyi", "baic"}

func TestSearchOpensAvtotorAndDrawsItsBrands(t *testing.T) {
	a := newApp(t)
	p := newPage(t, a, 1280, 800, false)
	p.open("/explore")
	p.waitFor("the welcome page", `document.querySelector('.welcome') !== null`)
	p.screenshot("welcome")

	input := `#main-search input`
	p.run("type avtotor", chromedp.Click(chromedp.CSS(input)), chromedp.SendKeys(chromedp.CSS(input), "avtotor"))
	p.waitFor("suggestions", `document.querySelector('#main-search [role=option][data-id=avtotor]') !== null`)
	var expanded string
	p.eval(`document.querySelector('#main-search input').getAttribute('aria-expanded')`, &expanded)
	if expanded != "true" {
		t.Errorf("aria-expanded = %q with suggestions showing", expanded)
	}

	// Arrow keys move the active option; Escape closes; Enter picks.
	p.run("arrow down twice, up once", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowUp))
	var active struct {
		Descendant string `json:"descendant"`
		Selected   string `json:"selected"`
	}
	p.eval(`({descendant: document.querySelector('#main-search input').getAttribute('aria-activedescendant'),
	          selected: document.querySelector('#main-search [aria-selected=true]').id})`, &active)
	if active.Descendant == "" || active.Descendant != active.Selected || !strings.HasSuffix(active.Selected, "-0") {
		t.Errorf("after Down, Down, Up the first option should be active: %+v", active)
	}
	p.run("escape", chromedp.KeyEvent(kb.Escape))
	p.waitFor("the list closes on Escape", `document.querySelector('#main-search input').getAttribute('aria-expanded') === 'false' && document.querySelector('#main-search [role=listbox]').hidden`)
	p.run("arrow down and enter", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter))

	p.waitFor("Avtotor's neighbourhood is drawn", hasNodes(append([]string{"avtotor"}, avtotorBrands...), nil))
	if loc := p.location(); loc != "/explore?id=avtotor&view=graph" {
		t.Errorf("location = %s", loc)
	}
	var card string
	p.eval(`document.querySelector('#entity-card').textContent`, &card)
	for _, want := range []string{"Avtotor", "Organization", "Kaliningrad", "Автотор"} {
		if !strings.Contains(card, want) {
			t.Errorf("the entity card lacks %q:\n%s", want, card)
		}
	}

	// Edges carry their type and status: Kia ended, Kaiyi active, a BAIC plan.
	var edges []string
	p.eval(`[...document.querySelectorAll('.graph-svg .edge')].map(e => e.dataset.from + ' ' + e.dataset.type + ' ' + e.dataset.to + ' ' + e.dataset.status)`, &edges)
	for _, want := range []string{"avtotor ASSEMBLES kia ENDED", "avtotor ASSEMBLES kaiyi ACTIVE", "avtotor ASSEMBLES baic PLANNED", "avtotor PARTNERS_WITH baic-group ACTIVE"} {
		if !contains(edges, want) {
			t.Errorf("no edge %q among %v", want, edges)
		}
	}
	var labels []string
	p.eval(`[...document.querySelectorAll('.graph-svg .edge-label:not(.is-hidden)')].map(e => e.textContent)`, &labels)
	if !contains(labels, "assembles") || !contains(labels, "partners with") {
		t.Errorf("edge labels %v lack the relation types", labels)
	}
	p.assertNoLabelOverlap()
	p.screenshot("avtotor-graph-1280")

	// The relation-type filter re-queries with only the chosen types.
	p.run("keep only assembles", chromedp.Click(chromedp.CSS(`#types-none`)))
	p.waitFor("the empty drawing", `document.querySelector('#view .empty-state') !== null`)
	p.run("tick assembles", chromedp.Click(chromedp.CSS(`#type-list input[value=ASSEMBLES]`)))
	p.waitFor("only ASSEMBLES relations", hasNodes(avtotorBrands, []string{"kaliningrad", "baic-group"}))
	if loc := p.location(); loc != "/explore?id=avtotor&view=graph&types=ASSEMBLES" {
		t.Errorf("location = %s", loc)
	}
	// Two hops.
	p.run("all types, two hops", chromedp.Click(chromedp.CSS(`#types-all`)))
	p.waitFor("all types again", hasNodes([]string{"kaliningrad"}, nil))
	p.run("depth 2", chromedp.Click(chromedp.CSS(`input[name=depth][value="2"]`)))
	p.waitFor("two hops", hasNodes([]string{"beijing-benz", "arcfox", "china"}, nil))
	p.assertNoLabelOverlap()
	p.screenshot("avtotor-graph-depth2-1280")
}

func TestAsOfMovesThroughTime(t *testing.T) {
	a := newApp(t)
	p := newPage(t, a, 1280, 800, false)
	p.open("/explore?id=avtotor&view=graph")
	p.waitFor("all time", hasNodes(avtotorBrands, nil))

	p.fill(`#asof-date`, "2021"+kb.Enter)
	p.waitFor("2021: Kia, Hyundai, BMW and no Kaiyi", hasNodes([]string{"kia", "hyundai", "bmw"}, []string{"kaiyi", "baic"}))
	if loc := p.location(); loc != "/explore?id=avtotor&asOf=2021&view=graph" {
		t.Errorf("location = %s", loc)
	}
	var year string
	p.eval(`document.querySelector('#asof-year').value + ' ' + document.querySelector('#asof-year-out').textContent`, &year)
	if year != "2021 2021" {
		t.Errorf("slider and its output read %q, want 2021", year)
	}
	p.assertNoLabelOverlap()
	p.screenshot("avtotor-2021")

	// Two steps of the slider, by keyboard: 2023.
	p.run("slider to 2023", chromedp.Focus(chromedp.CSS(`#asof-year`)), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight))
	p.waitFor("2023: Kaiyi and BAIC arrive, Kia, Hyundai and BMW leave", hasNodes([]string{"kaiyi", "baic"}, []string{"kia", "hyundai", "bmw"}))
	p.waitFor("the URL says 2023", `location.search.includes('asOf=2023')`)
	var changes string
	p.eval(`document.querySelector('.changes').innerText`, &changes)
	for _, want := range []string{"Compared with 2021", "Arrived:", "Kaiyi", "BAIC", "Left:", "Kia", "Hyundai", "BMW"} {
		if !strings.Contains(changes, want) {
			t.Errorf("the change summary lacks %q:\n%s", want, changes)
		}
	}
	p.screenshot("avtotor-2023")

	// An impossible date is refused before asking, with a reason.
	p.fill(`#asof-date`, "2023-02-30"+kb.Enter)
	p.waitFor("the date error", `document.querySelector('#asof-error').textContent.includes('no day 30') && document.querySelector('#asof-date').getAttribute('aria-invalid') === 'true'`)

	p.run("all time", chromedp.Click(chromedp.CSS(`#asof-clear`)))
	p.waitFor("all time again", hasNodes(avtotorBrands, nil))
	if loc := p.location(); loc != "/explore?id=avtotor&view=graph" {
		t.Errorf("location = %s", loc)
	}
}

func TestPathsFromAvtotorToBeijingBenz(t *testing.T) {
	a := newApp(t)
	p := newPage(t, a, 1280, 800, false)
	p.open("/explore?id=avtotor&view=graph")
	p.waitFor("the drawing", hasNodes([]string{"avtotor"}, nil))
	p.run("paths tab", chromedp.Click(chromedp.CSS(`#tabs a[data-view=paths]`)))
	p.waitFor("the paths form, from Avtotor", `document.querySelector('.paths-form') !== null && document.querySelectorAll('.paths-form input')[0].value === 'Avtotor'`)

	to := `.paths-form .combobox:last-of-type input`
	p.run("type beijing benz", chromedp.Click(chromedp.CSS(to)), chromedp.SendKeys(chromedp.CSS(to), "beijing benz"))
	p.waitFor("suggestion", `document.querySelector('.paths-form [role=option][data-id="beijing-benz"]') !== null`)
	p.run("pick", chromedp.KeyEvent(kb.Enter))
	p.waitFor("the chain through BAIC Group", `document.querySelector('.chain[data-path="avtotor baic-group beijing-benz"]') !== null`)
	if loc := p.location(); loc != "/explore?id=avtotor&view=paths&from=avtotor&to=beijing-benz" {
		t.Errorf("location = %s", loc)
	}
	var chain struct {
		Types []string `json:"types"`
		Text  string   `json:"text"`
		Count int      `json:"count"`
	}
	p.eval(`({types: [...document.querySelectorAll('.chain .chain-step')].map(s => s.dataset.type),
	          text: document.querySelector('.paths-result').innerText,
	          count: document.querySelectorAll('.chain').length})`, &chain)
	if chain.Count != 1 || strings.Join(chain.Types, ",") != "PARTNERS_WITH,JOINT_VENTURE_OF" {
		t.Errorf("chains %d, step types %v; want one path: PARTNERS_WITH, JOINT_VENTURE_OF", chain.Count, chain.Types)
	}
	for _, want := range []string{"One shortest path from Avtotor to Beijing Benz", "partners with", "has the joint venture", "2023 – now", "TASS", "18 Apr 2023"} {
		if !strings.Contains(chain.Text, want) {
			t.Errorf("the path lacks %q:\n%s", want, chain.Text)
		}
	}
	p.screenshot("paths-avtotor-beijing-benz")

	// Swap the ends.
	p.run("swap", chromedp.Click(chromedp.CSS(`.swap`)))
	p.waitFor("the reversed chain", `document.querySelector('.chain[data-path="beijing-benz baic-group avtotor"]') !== null`)
}

func TestDeepLinkAndHistory(t *testing.T) {
	a := newApp(t)
	p := newPage(t, a, 1280, 800, false)
	p.open("/explore?id=avtotor&view=graph")
	p.waitFor("Avtotor's neighbourhood", hasNodes(avtotorBrands, nil))
	p.screenshot("explorer") // docs/explorer.png

	p.open("/explore?id=avtotor&asOf=2021&view=graph")
	p.waitFor("Avtotor as of 2021", hasNodes([]string{"kia", "hyundai", "bmw"}, []string{"kaiyi"}))
	var date string
	p.eval(`document.querySelector('#asof-date').value`, &date)
	if date != "2021" {
		t.Errorf("date field = %q, want 2021", date)
	}

	// Click a node: it becomes the centre, as of the same date.
	p.run("click Kia", chromedp.Click(chromedp.CSS(`.graph-svg .node[data-id=kia]`)))
	p.waitFor("Kia in the centre", `document.querySelector('.graph-svg .node.is-center')?.dataset.id === 'kia'`)
	if loc := p.location(); loc != "/explore?id=kia&asOf=2021&view=graph" {
		t.Errorf("location = %s", loc)
	}
	p.run("relations tab", chromedp.Click(chromedp.CSS(`#tabs a[data-view=table]`)))
	p.waitFor("Kia's relations", `document.querySelector('table.relations tr[data-relation="avtotor-assembles-kia"]') !== null`)

	p.run("back", chromedp.NavigateBack())
	p.waitFor("back: Kia's drawing", `location.search === '?id=kia&asOf=2021&view=graph' && document.querySelector('.graph-svg .node.is-center')?.dataset.id === 'kia'`)
	p.run("back", chromedp.NavigateBack())
	p.waitFor("back: Avtotor in 2021", `location.search === '?id=avtotor&asOf=2021&view=graph' && document.querySelector('.graph-svg .node.is-center')?.dataset.id === 'avtotor'`)
	p.waitFor("Avtotor in 2021", hasNodes([]string{"kia"}, []string{"kaiyi"}))
	p.run("forward", chromedp.NavigateForward())
	p.waitFor("forward: Kia again", `document.querySelector('.graph-svg .node.is-center')?.dataset.id === 'kia'`)

	// Deep links to the other views.
	p.open("/explore?id=avtotor&view=table&asOf=2021")
	p.waitFor("the table as of 2021", `document.querySelectorAll('table.relations tbody tr').length === 5`)
	var table string
	p.eval(`document.querySelector('table.relations').innerText`, &table)
	// In 2021 Avtotor was assembling Kia: the relation is stored as ENDED (in 2022) but was
	// in force then, and the table says so.
	for _, want := range []string{"Relations of Avtotor as of 2021 (5)", "assembles", "Kia", "In force", "2022", "TASS", "18 Apr 2023", "is located in"} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %q:\n%s", want, table)
		}
	}
	if strings.Contains(table, "Ended") {
		t.Errorf("the table as of 2021 calls a relation ended, though all five held then:\n%s", table)
	}
	p.screenshot("avtotor-table-2021")

	p.open("/explore?id=avtotor&view=timeline&asOf=2021")
	p.waitFor("the timeline", `document.querySelectorAll('.timeline .event').length > 5`)
	var dates []string
	p.eval(`[...document.querySelectorAll('.timeline .event time')].map(t => t.getAttribute('datetime'))`, &dates)
	for i := 1; i < len(dates); i++ {
		if (dates[i] + "-01-01")[:10] < (dates[i-1] + "-01-01")[:10] {
			t.Errorf("timeline out of order: %v", dates)
			break
		}
	}
	if len(dates) == 0 || dates[0] != "1994" {
		t.Errorf("the timeline should start with the founding in 1994: %v", dates)
	}
	var marker int
	p.eval(`document.querySelectorAll('.timeline .asof-marker').length`, &marker)
	if marker != 1 {
		t.Errorf("%d as-of markers in the timeline, want 1", marker)
	}
	p.screenshot("avtotor-timeline")
}

func TestErrorStates(t *testing.T) {
	a := newApp(t)

	t.Run("unknown id", func(t *testing.T) {
		p := newPage(t, a, 1280, 800, false)
		p.open("/explore?id=no-such-thing&view=graph")
		p.waitFor("the not-found state", `document.querySelector('.not-found')?.innerText.includes('No entity with id “no-such-thing”')`)
		p.screenshot("not-found")
		p.open("/explore?view=paths&from=avtotor&to=no-such-thing")
		p.waitFor("the not-found state for a path end", `document.querySelector('.not-found')?.innerText.includes('No entity with id “no-such-thing”')`)
	})

	t.Run("GraphQL error message", func(t *testing.T) {
		p := newPage(t, a, 1280, 800, false)
		p.open("/explore")
		p.run("search punctuation", chromedp.SendKeys(chromedp.CSS(`#main-search input`), "!!!"))
		p.waitFor("the server's message", `document.querySelector('#main-search .combobox-message')?.textContent.includes('search query needs at least one letter or digit')`)
	})

	t.Run("GraphQL error in a view", func(t *testing.T) {
		p := newPage(t, a, 1280, 800, true)
		p.open("/explore")
		a.unavailable.Store(true)
		p.run("open the timeline example", chromedp.Click(chromedp.CSS(`.examples li:last-child a`)))
		p.waitFor("the server's message and code", `document.querySelector('.error-state')?.innerText.includes('the knowledge graph store is unavailable') && document.querySelector('.error-code')?.innerText.includes('UNAVAILABLE')`)
		a.unavailable.Store(false)
		p.run("retry", chromedp.Click(chromedp.CSS(`.retry`)))
		p.waitFor("the timeline after retrying", `document.querySelectorAll('.timeline .event').length > 5`)
		for _, msg := range p.consoleProblems() {
			if !strings.Contains(msg, "503") {
				t.Errorf("unexpected console message: %s", msg)
			}
		}
	})

	t.Run("server down, then retry", func(t *testing.T) {
		// Failed loads are the point here, so the console is not held against the page.
		p := newPage(t, a, 1280, 800, true)
		p.open("/explore")
		a.down.Store(true)
		p.run("follow the Avtotor example", chromedp.Click(chromedp.CSS(`.examples a`)))
		p.waitFor("the unreachable state", `document.querySelector('.error-state')?.innerText.includes('The server cannot be reached') && document.querySelector('.retry') !== null`)
		p.screenshot("server-down")
		a.down.Store(false)
		p.run("retry", chromedp.Click(chromedp.CSS(`.retry`)))
		p.waitFor("drawn after retrying", hasNodes(avtotorBrands, nil))
		for _, msg := range p.consoleProblems() {
			if strings.Contains(msg, "uncaught") || strings.Contains(msg, "console.") {
				t.Errorf("the page threw or logged while the server was down: %s", msg)
			}
		}
	})
}

func TestNarrowScreen(t *testing.T) {
	a := newApp(t)
	p := newPage(t, a, 390, 844, false)
	p.open("/explore?id=avtotor&view=graph")
	p.waitFor("the drawing", hasNodes(avtotorBrands, nil))
	noOverflow := `document.documentElement.scrollWidth <= window.innerWidth`
	var fits bool
	p.eval(noOverflow, &fits)
	if !fits {
		var w int
		p.eval(`document.documentElement.scrollWidth`, &w)
		t.Errorf("the page is %dpx wide on a 390px screen", w)
	}
	var svgWidth float64
	p.eval(`document.querySelector('.graph-svg').getBoundingClientRect().width`, &svgWidth)
	if svgWidth < 330 || svgWidth > 390 {
		t.Errorf("the drawing is %.0fpx wide on a 390px screen", svgWidth)
	}
	p.assertNoLabelOverlap()
	p.screenshot("avtotor-graph-390")
	p.fullScreenshot("avtotor-graph-390-full")

	p.open("/explore?id=avtotor&view=table")
	p.waitFor("the table", `document.querySelectorAll('table.relations tbody tr').length > 10`)
	p.eval(noOverflow, &fits)
	if !fits {
		t.Error("the relations table overflows a 390px screen")
	}
	p.screenshot("avtotor-table-390")

	p.open("/explore?view=paths&from=avtotor&to=beijing-benz")
	p.waitFor("the chain", `document.querySelector('.chain') !== null`)
	p.eval(noOverflow, &fits)
	if !fits {
		t.Error("the paths view overflows a 390px screen")
	}
	p.screenshot("paths-390")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
