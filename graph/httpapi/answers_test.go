package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed"
	"github.com/prometheus/client_golang/prometheus"
)

const cacheToken = "curator-token"

// lookups reads the answer cache's lookup counters from /metrics.
func (o *observed) lookups(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	re := regexp.MustCompile(`(?m)^autograph_answer_cache_lookups_total\{result="(\w+)"\} (\d+)$`)
	for _, m := range re.FindAllStringSubmatch(o.metrics(t), -1) {
		n, _ := strconv.Atoi(m[2])
		out[m[1]] = n
	}
	return out
}

// post sends a query as a client would and returns the raw answer.
func postRaw(t *testing.T, url, auth, accept, query string, vars map[string]any) rawResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := newRequest(t, http.MethodPost, url+"/query", "application/json", body)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return send(t, req)
}

func newCachedServer(t *testing.T, opts httpapi.Options) (*observed, *inmem.Store) {
	t.Helper()
	store := inmem.New()
	if err := seed.Load(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	opts.Store = store
	if opts.AnswerCacheBytes == 0 {
		opts.AnswerCacheBytes = 1 << 20
	}
	if opts.WriteTokens == nil {
		opts.WriteTokens = []string{cacheToken}
	}
	logs := &syncBuffer{}
	opts.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts.Registry = prometheus.NewRegistry()
	srv := &observed{Server: apitest.NewServerWith(t, opts), logs: logs}
	t.Cleanup(func() { _ = store.Close(context.Background()) })
	return srv, store
}

func TestAnswerCacheServesARepeatedQuery(t *testing.T) {
	srv, _ := newCachedServer(t, httpapi.Options{})
	const q = `query($id: ID!) { organization(id: $id) { name brands { id name } } }`
	first := postRaw(t, srv.URL, "", "", q, map[string]any{"id": "baic-group"})
	second := postRaw(t, srv.URL, "", "", q, map[string]any{"id": "baic-group"})
	if first.status != 200 || !bytes.Equal(first.body, second.body) || first.contentType != second.contentType {
		t.Fatalf("a repeated query must be answered the same:\n%d %q %s\n%d %q %s", first.status, first.contentType, first.body, second.status, second.contentType, second.body)
	}
	if !bytes.Contains(first.body, []byte(`"BAIC Group"`)) {
		t.Fatalf("unexpected answer %s", first.body)
	}
	if got := srv.lookups(t); got["hit"] != 1 || got["miss"] != 1 {
		t.Fatalf("lookups %v: want one miss, then one hit", got)
	}
	lines := srv.requestLines(t)
	last := lines[len(lines)-1]
	if last["cached"] != true || last["outcome"] != "OK" || last["storeCalls"] != float64(0) {
		t.Fatalf("the hit's log line: %v", last)
	}
	if lines[len(lines)-2]["cached"] != false {
		t.Fatalf("the miss's log line: %v", lines[len(lines)-2])
	}
	// Other variables, another media type: other answers.
	other := postRaw(t, srv.URL, "", "", q, map[string]any{"id": "avtotor"})
	if !bytes.Contains(other.body, []byte(`"Avtotor"`)) {
		t.Fatalf("other variables got %s", other.body)
	}
	gr := postRaw(t, srv.URL, "", "application/graphql-response+json", q, map[string]any{"id": "baic-group"})
	if !strings.HasPrefix(gr.contentType, "application/graphql-response+json") || !bytes.Equal(gr.body, first.body) {
		t.Fatalf("under the other media type: %q %s", gr.contentType, gr.body)
	}
	if got := srv.lookups(t); got["hit"] != 1 || got["miss"] != 3 {
		t.Fatalf("lookups %v: want 3 misses and 1 hit", got)
	}
}

func TestAnswerCacheNeverServesAStaleAnswer(t *testing.T) {
	srv, store := newCachedServer(t, httpapi.Options{})
	const q = `{ organization(id: "avtotor") { name } }`
	name := func() string {
		t.Helper()
		var out struct {
			Data struct{ Organization struct{ Name string } }
		}
		r := postRaw(t, srv.URL, "", "", q, nil)
		if err := json.Unmarshal(r.body, &out); err != nil {
			t.Fatal(err)
		}
		return out.Data.Organization.Name
	}
	if n := name(); n != "Avtotor" {
		t.Fatalf("name %q", n)
	}
	name()
	// A write through the API.
	rename := `mutation($n: String!) { upsertOrganization(input: {id: "avtotor", name: $n}) { name } }`
	r := postRaw(t, srv.URL, "Bearer "+cacheToken, "", rename, map[string]any{"n": "Avtotor Holding"})
	if bytes.Contains(r.body, []byte(`"errors"`)) {
		t.Fatalf("rename: %s", r.body)
	}
	if n := name(); n != "Avtotor Holding" {
		t.Fatalf("after a write through the API the answer is %q", n)
	}
	name()
	// A write to the store itself, as another part of the process would make it.
	e, err := store.Entity(context.Background(), "avtotor")
	if err != nil {
		t.Fatal(err)
	}
	org := *e.(*model.Organization)
	org.Name = "Avtotor Again"
	if _, err := store.UpsertEntity(context.Background(), &org); err != nil {
		t.Fatal(err)
	}
	if n := name(); n != "Avtotor Again" {
		t.Fatalf("after a write to the store the answer is %q", n)
	}
	// The same mutation twice executes twice: mutations are never served from the cache.
	for range 2 {
		postRaw(t, srv.URL, "Bearer "+cacheToken, "", rename, map[string]any{"n": "Avtotor Holding"})
	}
	if n := name(); n != "Avtotor Holding" {
		t.Fatalf("after the repeated mutation the answer is %q", n)
	}
	if got := srv.lookups(t); got["hit"] != 2 {
		t.Fatalf("lookups %v: want exactly the two repeats right after a read to hit", got)
	}
}

func TestAnswerCacheFollowsThePruneFloor(t *testing.T) {
	srv, store := newCachedServer(t, httpapi.Options{})
	const q = `{ historyInfo { last { number } floorAt } }`
	// Pruning never removes the newest revision: make one more first.
	postRaw(t, srv.URL, "Bearer "+cacheToken, "", `mutation { upsertOrganization(input: {id: "avtotor", name: "Avtotor"}) { name } }`, nil)
	before := postRaw(t, srv.URL, "", "", q, nil)
	postRaw(t, srv.URL, "", "", q, nil)
	if _, err := store.Prune(context.Background(), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	after := postRaw(t, srv.URL, "", "", q, nil)
	if bytes.Equal(before.body, after.body) {
		t.Fatalf("pruning changed what history reaches, but the answer did not: %s", after.body)
	}
}

func TestAnswerCacheKeepsNoErrors(t *testing.T) {
	srv, _ := newCachedServer(t, httpapi.Options{})
	for _, q := range []string{
		`{ organization(id: "no-such-org") { name } relations(first: -1) { totalCount } }`,
		`{ nosuchfield }`,
		`{ search(query: "") { entity { id } } }`,
	} {
		a := postRaw(t, srv.URL, "", "", q, nil)
		b := postRaw(t, srv.URL, "", "", q, nil)
		if !bytes.Contains(a.body, []byte(`"errors"`)) || !bytes.Equal(a.body, b.body) {
			t.Fatalf("%s: want the same error twice, got\n%s\n%s", q, a.body, b.body)
		}
	}
	if got := srv.lookups(t); got["hit"] != 0 {
		t.Fatalf("lookups %v: an answer with errors must not be kept", got)
	}
}

func TestAnswerCacheKeysOnTheCredential(t *testing.T) {
	srv, _ := newCachedServer(t, httpapi.Options{Auth: httpapi.AuthConfig{ReadAuth: true}})
	const q = `{ organization(id: "avtotor") { name } }`
	ok := postRaw(t, srv.URL, "Bearer "+cacheToken, "", q, nil)
	again := postRaw(t, srv.URL, "Bearer "+cacheToken, "", q, nil)
	if ok.status != 200 || !bytes.Equal(ok.body, again.body) {
		t.Fatalf("with a credential: %d %s / %s", ok.status, ok.body, again.body)
	}
	for _, auth := range []string{"", "Bearer wrong"} {
		r := postRaw(t, srv.URL, auth, "", q, nil)
		if r.status != http.StatusUnauthorized || bytes.Contains(r.body, []byte("Avtotor")) {
			t.Fatalf("without a valid credential (%q) a protected server answered %d %s", auth, r.status, r.body)
		}
	}
}

func TestAnswerCacheStaysInItsBudget(t *testing.T) {
	const budget = 64 << 10
	srv, _ := newCachedServer(t, httpapi.Options{AnswerCacheBytes: budget})
	for i := range 200 {
		postRaw(t, srv.URL, "", "", fmt.Sprintf(`{ a%d: relations(first: 20) { edges { node { id type } } } }`, i), nil)
	}
	re := regexp.MustCompile(`(?m)^autograph_answer_cache_bytes (\S+)$`)
	m := re.FindStringSubmatch(srv.metrics(t))
	if m == nil {
		t.Fatal("no autograph_answer_cache_bytes metric")
	}
	held, _ := strconv.ParseFloat(m[1], 64)
	if held <= 0 || held > budget {
		t.Fatalf("the cache holds %v bytes, budget %d", held, budget)
	}
	// The newest answers are still there, the oldest were evicted.
	postRaw(t, srv.URL, "", "", `{ a199: relations(first: 20) { edges { node { id type } } } }`, nil)
	postRaw(t, srv.URL, "", "", `{ a0: relations(first: 20) { edges { node { id type } } } }`, nil)
	if got := srv.lookups(t); got["hit"] != 1 || got["miss"] != 201 {
		t.Fatalf("lookups %v: want the newest to hit and the oldest to miss", got)
	}
}

func TestAnswerCacheOffWithStoreCalls(t *testing.T) {
	srv, _ := newCachedServer(t, httpapi.Options{StoreCallsExtension: true})
	const q = `{ organization(id: "avtotor") { name } }`
	for range 2 {
		r := postRaw(t, srv.URL, "", "", q, nil)
		if !bytes.Contains(r.body, []byte(`"storeCalls":1`)) {
			t.Fatalf("each request executes and counts its store calls: %s", r.body)
		}
	}
	if got := srv.lookups(t); len(got) != 0 {
		t.Fatalf("lookups %v: the cache is off", got)
	}
}

// Many readers and one writer at once: once a write is acknowledged, no reader that starts
// after it may see the graph from before it.
func TestAnswerCacheReadsEveryAcknowledgedWrite(t *testing.T) {
	srv, _ := newCachedServer(t, httpapi.Options{})
	const q = `{ organization(id: "avtotor") { name } }`
	var (
		mu    sync.Mutex
		acked = -1
	)
	read := func() (int, int) {
		mu.Lock()
		floor := acked
		mu.Unlock()
		r := postRaw(t, srv.URL, "", "", q, nil)
		var out struct {
			Data struct{ Organization struct{ Name string } }
		}
		if err := json.Unmarshal(r.body, &out); err != nil {
			t.Error(err)
			return floor, floor
		}
		n := -1
		if s, ok := strings.CutPrefix(out.Data.Organization.Name, "Avtotor "); ok {
			n, _ = strconv.Atoi(s)
		}
		return floor, n
	}
	var wg sync.WaitGroup
	done := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				if floor, seen := read(); seen < floor {
					t.Errorf("a read begun after write %d was acknowledged saw write %d", floor, seen)
					return
				}
			}
		}()
	}
	rename := `mutation($n: String!) { upsertOrganization(input: {id: "avtotor", name: $n}) { name } }`
	for i := range 30 {
		r := postRaw(t, srv.URL, "Bearer "+cacheToken, "", rename, map[string]any{"n": "Avtotor " + strconv.Itoa(i)})
		if bytes.Contains(r.body, []byte(`"errors"`)) {
			t.Fatalf("rename: %s", r.body)
		}
		mu.Lock()
		acked = i
		mu.Unlock()
		time.Sleep(2 * time.Millisecond)
	}
	close(done)
	wg.Wait()
	if got := srv.lookups(t); got["hit"] == 0 {
		t.Fatalf("lookups %v: the readers between writes should have hit", got)
	}
}

// importingStore reports an import under way, or a version that moves at every read, as a
// Neo4j store does while an import shows batch by batch.
type importingStore struct {
	*inmem.Store
	mu        sync.Mutex
	importing bool
	moving    bool
	imports   int64
}

func (s *importingStore) HistoryBounds(ctx context.Context) (model.HistoryBounds, error) {
	b, err := s.Store.HistoryBounds(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.moving {
		s.imports++
	}
	b.Importing, b.Imports = s.importing, s.imports
	return b, err
}

func (s *importingStore) set(importing, moving bool) {
	s.mu.Lock()
	s.importing, s.moving = importing, moving
	s.mu.Unlock()
}

func TestAnswerCacheKeepsNothingWhileAnImportShows(t *testing.T) {
	base := inmem.New()
	if err := seed.Load(context.Background(), base); err != nil {
		t.Fatal(err)
	}
	store := &importingStore{Store: base}
	logs := &syncBuffer{}
	srv := &observed{Server: apitest.NewServerWith(t, httpapi.Options{
		Store: store, AnswerCacheBytes: 1 << 20, Registry: prometheus.NewRegistry(),
		Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}), logs: logs}
	t.Cleanup(func() { _ = base.Close(context.Background()) })
	const q = `{ organization(id: "avtotor") { name } }`
	ask := func(n int) {
		for range n {
			if r := postRaw(t, srv.URL, "", "", q, nil); !bytes.Contains(r.body, []byte(`"Avtotor"`)) {
				t.Fatalf("answer %s", r.body)
			}
		}
	}
	store.set(true, false)
	ask(3)
	if got := srv.lookups(t); got["hit"] != 0 || got["bypass"] != 3 {
		t.Fatalf("lookups %v while an import shows: want every request executed", got)
	}
	// An import that begins while a request executes: its answer is not kept.
	store.set(false, true)
	ask(3)
	if got := srv.lookups(t); got["hit"] != 0 {
		t.Fatalf("lookups %v: an answer read while the version moved was kept", got)
	}
	store.set(false, false)
	ask(3)
	if got := srv.lookups(t); got["hit"] != 2 {
		t.Fatalf("lookups %v: once the version holds, repeats hit", got)
	}
}
