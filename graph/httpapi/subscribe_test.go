package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"go.uber.org/goleak"

	"github.com/autograph-kg/autograph/graph/feed"
	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed"
)

const feedToken = "feed-test-token-0123456789"

// feedServer is a server with a change feed, on a seeded embedded store unless opts.Store is
// set (already loaded).
type feedServer struct {
	*httptest.Server
	feed *feed.Feed
}

func newFeedServer(t *testing.T, opts httpapi.Options) *feedServer {
	t.Helper()
	return newPollingServer(t, opts, 50*time.Millisecond)
}

// newPollingServer is newFeedServer with a feed polling every interval.
func newPollingServer(t *testing.T, opts httpapi.Options, interval time.Duration) *feedServer {
	t.Helper()
	if opts.Store == nil {
		store := inmem.New()
		if err := seed.Load(context.Background(), store); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = store.Close(context.Background()) })
		opts.Store = store
	}
	h, ok := opts.Store.(model.History)
	if !ok {
		t.Fatalf("%T keeps no history", opts.Store)
	}
	f := feed.New(h, feed.Options{Interval: interval})
	opts.Feed = f
	opts.WriteTokens = []string{feedToken}
	srv := httptest.NewServer(httpapi.NewHandler(opts))
	// The feed first: closing it ends the streams, which srv.Close waits for.
	t.Cleanup(srv.Close)
	t.Cleanup(f.Close)
	return &feedServer{Server: srv, feed: f}
}

// waitForSubscribers waits until the feed serves n subscriptions.
func (s *feedServer) waitForSubscribers(t *testing.T, n int) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); s.feed.Subscribers() != n; {
		if time.Now().After(deadline) {
			t.Fatalf("the feed serves %d subscriptions, want %d", s.feed.Subscribers(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// write upserts an organization with a write token and returns when the answer is in.
func (s *feedServer) write(t *testing.T, id string) {
	t.Helper()
	resp := apitest.PostAs(t, s.URL, "Bearer "+feedToken,
		`mutation($id: ID!) { upsertOrganization(input: {id: $id, name: "Feed Test Motors", type: ASSEMBLER, country: "russia"}) { id } }`,
		map[string]any{"id": id})
	if len(resp.Errors) > 0 {
		t.Fatalf("mutation: %+v", resp.Errors)
	}
}

// lastRevision is the number of the newest revision.
func (s *feedServer) lastRevision(t *testing.T) int {
	t.Helper()
	_, resp := apitest.Post(t, s.URL, `{ historyInfo { last { number } } }`, nil)
	var out struct {
		HistoryInfo struct{ Last struct{ Number int } }
	}
	if len(resp.Errors) > 0 || json.Unmarshal(resp.Data, &out) != nil {
		t.Fatalf("historyInfo: %+v %s", resp.Errors, resp.Data)
	}
	return out.HistoryInfo.Last.Number
}

const changesQuery = `subscription($ids: [ID!], $since: Int) { changes(ids: $ids, since: $since) { revision at operation actor { name role via } ids } }`

type changeEvent struct {
	Revision  int
	At        time.Time
	Operation string
	Actor     struct{ Name, Role, Via string }
	IDs       []string `json:"ids"`
}

// wsMessage is one graphql-transport-ws message.
type wsMessage struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
}

// dialWS opens a graphql-transport-ws connection and initialises it with payload.
func dialWS(t *testing.T, url string, payload map[string]any) *wsClient {
	t.Helper()
	c, err := tryDialWS(t, url)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	c.send(wsMessage{Type: "connection_init", Payload: mustJSON(t, payload)})
	if m := c.read(); m.Type != "connection_ack" {
		t.Fatalf("got %s %s, want connection_ack", m.Type, m.Payload)
	}
	return c
}

func tryDialWS(t *testing.T, url string) (*wsClient, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	conn, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(url, "http")+"/query", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		if resp != nil {
			b, _ := io.ReadAll(resp.Body)
			return nil, fmt.Errorf("%w: status %d: %s", err, resp.StatusCode, b)
		}
		return nil, err
	}
	t.Cleanup(func() { _ = conn.CloseNow() })
	return &wsClient{t: t, conn: conn}, nil
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (c *wsClient) send(m wsMessage) {
	c.t.Helper()
	b, _ := json.Marshal(m)
	if err := c.conn.Write(c.t.Context(), websocket.MessageText, b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// read is the next message within 2s, pings answered.
func (c *wsClient) read() wsMessage {
	c.t.Helper()
	m, err := c.tryRead(2 * time.Second)
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return m
}

func (c *wsClient) tryRead(d time.Duration) (wsMessage, error) {
	ctx, cancel := context.WithTimeout(c.t.Context(), d)
	defer cancel()
	for {
		_, b, err := c.conn.Read(ctx)
		if err != nil {
			return wsMessage{}, err
		}
		var m wsMessage
		if err := json.Unmarshal(b, &m); err != nil {
			return wsMessage{}, fmt.Errorf("not JSON: %s", b)
		}
		if m.Type == "ping" {
			c.send(wsMessage{Type: "pong"})
			continue
		}
		return m, nil
	}
}

func (c *wsClient) subscribe(id, query string, vars map[string]any) {
	c.t.Helper()
	c.send(wsMessage{Type: "subscribe", ID: id, Payload: mustJSON(c.t, map[string]any{"query": query, "variables": vars})})
}

// event reads the next message, which must be an event of subscription id.
func (c *wsClient) event(id string) changeEvent {
	c.t.Helper()
	m := c.read()
	if m.Type != "next" || m.ID != id {
		c.t.Fatalf("got %s for %q: %s, want next for %q", m.Type, m.ID, m.Payload, id)
	}
	var resp struct {
		Data   struct{ Changes changeEvent }
		Errors []apitest.Error
	}
	if err := json.Unmarshal(m.Payload, &resp); err != nil || len(resp.Errors) > 0 {
		c.t.Fatalf("event %s: %v", m.Payload, err)
	}
	return resp.Data.Changes
}

// failure reads the next messages, which must be errors for subscription id (a next with
// errors, or an error message) and its complete, and returns the first error.
func (c *wsClient) failure(id string) apitest.Error {
	c.t.Helper()
	m := c.read()
	if m.ID != id {
		c.t.Fatalf("got %s for %q: %s, want one for %q", m.Type, m.ID, m.Payload, id)
	}
	var errs []apitest.Error
	switch m.Type {
	case "next":
		var resp struct{ Errors []apitest.Error }
		_ = json.Unmarshal(m.Payload, &resp)
		errs = resp.Errors
	case "error":
		_ = json.Unmarshal(m.Payload, &errs)
	}
	if len(errs) == 0 || errs[0].Code() == "" || errs[0].Message == "" {
		c.t.Fatalf("got %s %s, want errors with a code and a message", m.Type, m.Payload)
	}
	noInternals(c.t, errs[0].Message)
	c.complete(id)
	return errs[0]
}

func (c *wsClient) complete(id string) {
	c.t.Helper()
	if m := c.read(); m.Type != "complete" || m.ID != id {
		c.t.Fatalf("got %s for %q: %s, want complete for %q", m.Type, m.ID, m.Payload, id)
	}
}

// sseStream is one subscription over Server-Sent Events.
type sseStream struct {
	t      *testing.T
	resp   *http.Response
	events chan sseEvent
}

type sseEvent struct {
	name string
	data []byte
}

// openSSE posts a subscription with Accept: text/event-stream; auth may be "".
func openSSE(t *testing.T, url, auth, query string, vars map[string]any) (*sseStream, *http.Response) {
	t.Helper()
	body := mustJSON(t, map[string]any{"query": query, "variables": vars})
	ctx, cancel := context.WithCancel(t.Context())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/query", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatalf("POST: %v", err)
	}
	t.Cleanup(func() { cancel(); resp.Body.Close() })
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		return nil, resp
	}
	s := &sseStream{t: t, resp: resp, events: make(chan sseEvent, 100)}
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.name != "" {
					s.events <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.data = append(ev.data, strings.TrimPrefix(line, "data: ")...)
			}
		}
	}()
	return s, resp
}

func (s *sseStream) next() sseEvent {
	s.t.Helper()
	select {
	case ev, ok := <-s.events:
		if !ok {
			s.t.Fatal("the stream ended")
		}
		return ev
	case <-time.After(2 * time.Second):
		s.t.Fatal("no event within 2s")
	}
	return sseEvent{}
}

func (s *sseStream) event() changeEvent {
	s.t.Helper()
	ev := s.next()
	var resp struct {
		Data   struct{ Changes changeEvent }
		Errors []apitest.Error
	}
	if ev.name != "next" || json.Unmarshal(ev.data, &resp) != nil || len(resp.Errors) > 0 {
		s.t.Fatalf("got event %q %s, want a change", ev.name, ev.data)
	}
	return resp.Data.Changes
}

func TestSubscribeOverWebSocket(t *testing.T) {
	for _, plain := range []bool{false, true} {
		t.Run(fmt.Sprintf("PlainExecution=%v", plain), func(t *testing.T) {
			srv := newFeedServer(t, httpapi.Options{PlainExecution: plain})
			c := dialWS(t, srv.URL, nil)
			// A subscription starts when the server has read its message, which the protocol
			// does not acknowledge: since says from where, so that no write is missed.
			before := srv.lastRevision(t)
			c.subscribe("1", changesQuery, map[string]any{"ids": []string{"feed-ws-motors"}, "since": before})
			c.subscribe("all", changesQuery, map[string]any{"since": before})
			srv.write(t, "feed-ws-motors")
			byID := map[string]changeEvent{}
			for range 2 {
				m := c.read()
				var resp struct{ Data struct{ Changes changeEvent } }
				if m.Type != "next" || json.Unmarshal(m.Payload, &resp) != nil {
					t.Fatalf("got %s %s, want an event", m.Type, m.Payload)
				}
				byID[m.ID] = resp.Data.Changes
			}
			for _, id := range []string{"1", "all"} {
				ev := byID[id]
				if ev.Revision != before+1 || ev.Operation != "UPSERT_ENTITY" || !slices.Equal(ev.IDs, []string{"feed-ws-motors"}) || ev.At.IsZero() {
					t.Errorf("%s: got %+v, want revision %d upserting feed-ws-motors", id, ev, before+1)
				}
				if ev.Actor.Name != model.UnnamedTokenActor || ev.Actor.Role != "CURATOR" || ev.Actor.Via != "token" {
					t.Errorf("%s: actor %+v, want the unnamed write token's curator", id, ev.Actor)
				}
			}
			srv.write(t, "feed-ws-other")
			if ev := c.event("all"); ev.Revision != before+2 {
				t.Errorf("got revision %d, want %d", ev.Revision, before+2)
			}
			// The filtered subscription heard nothing of the other write; stopping it
			// completes it.
			c.send(wsMessage{Type: "complete", ID: "1"})
			c.complete("1")
			srv.write(t, "feed-ws-third")
			if ev := c.event("all"); ev.Revision != before+3 {
				t.Errorf("got revision %d, want %d", ev.Revision, before+3)
			}
			if m, err := c.tryRead(300 * time.Millisecond); err == nil {
				t.Errorf("after stopping got %s %s", m.Type, m.Payload)
			}
		})
	}
}

// Also with the store-calls extension on: a subscription has no request loaders, and its
// events report none of their batches as waiting.
func TestSubscribeOverSSE(t *testing.T) {
	for name, opts := range map[string]httpapi.Options{"plain": {}, "store calls extension": {StoreCallsExtension: true}} {
		t.Run(name, func(t *testing.T) {
			srv := newFeedServer(t, opts)
			before := srv.lastRevision(t)
			s, resp := openSSE(t, srv.URL, "", changesQuery, map[string]any{"ids": []string{"feed-sse-motors"}, "since": before})
			if s == nil {
				b, _ := io.ReadAll(resp.Body)
				t.Fatalf("status %d, %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
			}
			srv.write(t, "feed-sse-other")
			srv.write(t, "feed-sse-motors")
			if ev := s.event(); ev.Revision != before+2 || !slices.Equal(ev.IDs, []string{"feed-sse-motors"}) {
				t.Errorf("got %+v, want revision %d of feed-sse-motors", ev, before+2)
			}
		})
	}
}

// TestStreamsOutliveTheRequestTimeout: a stream is not a request, and its deadline is not
// the request timeout.
func TestStreamsOutliveTheRequestTimeout(t *testing.T) {
	srv := newFeedServer(t, httpapi.Options{RequestTimeout: 200 * time.Millisecond})
	c := dialWS(t, srv.URL, nil)
	c.subscribe("1", changesQuery, nil)
	s, _ := openSSE(t, srv.URL, "", changesQuery, nil)
	time.Sleep(500 * time.Millisecond)
	srv.waitForSubscribers(t, 2)
	srv.write(t, "feed-late-motors")
	if ev := c.event("1"); !slices.Equal(ev.IDs, []string{"feed-late-motors"}) {
		t.Errorf("websocket: got %+v", ev)
	}
	if ev := s.event(); !slices.Equal(ev.IDs, []string{"feed-late-motors"}) {
		t.Errorf("sse: got %+v", ev)
	}
}

func TestResumeWithSince(t *testing.T) {
	srv := newFeedServer(t, httpapi.Options{})
	c := dialWS(t, srv.URL, nil)
	c.subscribe("1", changesQuery, map[string]any{"since": srv.lastRevision(t)})
	srv.write(t, "feed-resume-a")
	seen := c.event("1").Revision
	_ = c.conn.Close(websocket.StatusNormalClosure, "")
	// Missed while disconnected.
	for _, id := range []string{"feed-resume-b", "feed-resume-c", "feed-resume-d"} {
		srv.write(t, id)
	}
	c = dialWS(t, srv.URL, nil)
	c.subscribe("again", changesQuery, map[string]any{"since": seen})
	var got []string
	for range 3 {
		got = append(got, c.event("again").IDs...)
	}
	srv.write(t, "feed-resume-e")
	ev := c.event("again")
	got = append(got, ev.IDs...)
	if want := []string{"feed-resume-b", "feed-resume-c", "feed-resume-d", "feed-resume-e"}; !slices.Equal(got, want) || ev.Revision != seen+4 {
		t.Errorf("got %v ending at revision %d, want %v ending at %d", got, ev.Revision, want, seen+4)
	}
	// The same over SSE.
	s, _ := openSSE(t, srv.URL, "", changesQuery, map[string]any{"since": seen + 2})
	if a, b := s.event(), s.event(); a.Revision != seen+3 || b.Revision != seen+4 {
		t.Errorf("sse: got revisions %d, %d, want %d, %d", a.Revision, b.Revision, seen+3, seen+4)
	}
}

func TestSubscriptionRefusals(t *testing.T) {
	store := inmem.New()
	if err := seed.Load(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close(context.Background()) })
	srv := newFeedServer(t, httpapi.Options{Store: store, FieldLimit: 9})
	srv.write(t, "feed-refusals-a")
	srv.write(t, "feed-refusals-b")
	if _, err := store.Prune(context.Background(), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	c := dialWS(t, srv.URL, nil)
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
		code        string
		says        string
	}{
		{"query", `{ __typename }`, nil, "BAD_REQUEST", "POST"},
		{"mutation", `mutation { deleteEntity(id: "avtotor") }`, nil, "BAD_REQUEST", "POST"},
		{"since before the floor", changesQuery, map[string]any{"since": 0}, "BAD_USER_INPUT", "pruned"},
		{"negative since", changesQuery, map[string]any{"since": -1}, "BAD_USER_INPUT", "negative"},
		{"bad id", changesQuery, map[string]any{"ids": []string{"Not a slug"}}, "BAD_USER_INPUT", "slug"},
		{"field limit", `subscription { changes { revision at operation ids a: ids b: ids actor { name role via } } }`, nil, "FIELD_LIMIT_EXCEEDED", "fields"},
		{"parse error", `subscription { changes { `, nil, "GRAPHQL_PARSE_FAILED", ""},
		{"two root fields", `subscription { a: changes { revision } b: changes { revision } }`, nil, "GRAPHQL_VALIDATION_FAILED", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.subscribe(tc.name, tc.query, tc.vars)
			e := c.failure(tc.name)
			if e.Code() != tc.code || !strings.Contains(e.Message, tc.says) {
				t.Errorf("got %s %q, want %s saying %q", e.Code(), e.Message, tc.code, tc.says)
			}
		})
	}
	t.Run("subscription over plain HTTP", func(t *testing.T) {
		status, resp := apitest.Post(t, srv.URL, changesQuery, nil)
		if status >= 500 || len(resp.Errors) == 0 || resp.Errors[0].Code() != "BAD_REQUEST" || !strings.Contains(resp.Errors[0].Message, "WebSocket") {
			t.Errorf("status %d, errors %+v, want BAD_REQUEST naming the streaming transports", status, resp.Errors)
		}
	})
	t.Run("query over SSE", func(t *testing.T) {
		s, resp := openSSE(t, srv.URL, "", `{ __typename }`, nil)
		if s == nil {
			t.Fatalf("status %d", resp.StatusCode)
		}
		ev := s.next()
		if ev.name != "next" || !bytes.Contains(ev.data, []byte("BAD_REQUEST")) {
			t.Errorf("got %q %s, want a BAD_REQUEST", ev.name, ev.data)
		}
	})
	t.Run("malformed SSE body", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/query", strings.NewReader(`{"query": 12, "secret": "do not echo"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "text/event-stream")
		r := send(t, req)
		if out := r.decode(t); r.status != http.StatusBadRequest || len(out.Errors) == 0 || out.Errors[0].Code() != "BAD_REQUEST" || bytes.Contains(r.body, []byte("do not echo")) {
			t.Errorf("status %d: %s", r.status, r.body)
		}
	})
	t.Run("bad handshakes", func(t *testing.T) {
		for name, hdr := range map[string]map[string]string{
			"incomplete":    {"Connection": "Upgrade", "Upgrade": "websocket"},
			"not websocket": {"Connection": "Upgrade", "Upgrade": "h2c"},
			"cross-origin":  {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Origin": "https://elsewhere.example"},
		} {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/query", nil)
			for k, v := range hdr {
				req.Header.Set(k, v)
			}
			r := send(t, req)
			out := r.decode(t)
			if r.status < 400 || r.status >= 500 || len(out.Errors) == 0 || out.Errors[0].Code() == "" {
				t.Errorf("%s: status %d: %s", name, r.status, r.body)
			}
		}
	})
}

func TestSubscriptionLimits(t *testing.T) {
	srv := newFeedServer(t, httpapi.Options{MaxSubscriptionsPerConnection: 2, MaxSubscriptionConnections: 2})
	c := dialWS(t, srv.URL, nil)
	since := map[string]any{"since": srv.lastRevision(t)}
	c.subscribe("1", changesQuery, since)
	c.subscribe("2", changesQuery, since)
	// Both run once their first event comes.
	srv.write(t, "feed-limits-0")
	for range 2 {
		if m := c.read(); m.Type != "next" {
			t.Fatalf("got %s %s, want an event", m.Type, m.Payload)
		}
	}
	c.subscribe("3", changesQuery, nil)
	if e := c.failure("3"); e.Code() != "BAD_REQUEST" || !strings.Contains(e.Message, "KG_MAX_SUBSCRIPTIONS_PER_CONNECTION") {
		t.Errorf("third subscription: %s %q", e.Code(), e.Message)
	}
	// Stopping one makes room.
	c.send(wsMessage{Type: "complete", ID: "1"})
	c.complete("1")
	c.subscribe("4", changesQuery, map[string]any{"since": srv.lastRevision(t)})
	srv.write(t, "feed-limits-a")
	got := map[string]bool{}
	for range 2 {
		m := c.read()
		got[m.ID+" "+m.Type] = true
	}
	if !got["2 next"] || !got["4 next"] {
		t.Errorf("got %v, want events for 2 and 4", got)
	}
	// A second connection fits, a third does not.
	s, _ := openSSE(t, srv.URL, "", changesQuery, nil)
	if s == nil {
		t.Fatal("the second connection was refused")
	}
	if _, err := tryDialWS(t, srv.URL); err == nil || !strings.Contains(err.Error(), "503") || !strings.Contains(err.Error(), "KG_MAX_SUBSCRIPTION_CONNECTIONS") {
		t.Errorf("third connection over WebSocket: %v, want 503 naming KG_MAX_SUBSCRIPTION_CONNECTIONS", err)
	}
	_, resp := openSSE(t, srv.URL, "", changesQuery, nil)
	b, _ := io.ReadAll(resp.Body)
	var out apitest.Response
	if resp.StatusCode != http.StatusServiceUnavailable || json.Unmarshal(b, &out) != nil || len(out.Errors) == 0 || out.Errors[0].Code() != "UNAVAILABLE" || resp.Header.Get("Retry-After") == "" {
		t.Errorf("third connection over SSE: status %d, Retry-After %q: %s", resp.StatusCode, resp.Header.Get("Retry-After"), b)
	}
	// Plain requests are not counted.
	if status, resp := apitest.Post(t, srv.URL, `{ __typename }`, nil); status != http.StatusOK || len(resp.Errors) > 0 {
		t.Errorf("a query while the streams are full: %d %+v", status, resp.Errors)
	}
}

// TestShutdownEndsStreams: closing the feed (as the server does when it shuts down) tells
// every subscriber why its stream ended and how to resume.
func TestShutdownEndsStreams(t *testing.T) {
	srv := newFeedServer(t, httpapi.Options{})
	c := dialWS(t, srv.URL, nil)
	c.subscribe("1", changesQuery, nil)
	s, _ := openSSE(t, srv.URL, "", changesQuery, nil)
	srv.waitForSubscribers(t, 2)
	srv.feed.Close()
	if e := c.failure("1"); e.Code() != "UNAVAILABLE" || !strings.Contains(e.Message, "since") {
		t.Errorf("websocket: %s %q", e.Code(), e.Message)
	}
	// Then the connection closes, saying why.
	if m, err := c.tryRead(2 * time.Second); err == nil {
		t.Errorf("after the end got %s %s, want the connection closed", m.Type, m.Payload)
	}
	ev := s.next()
	if ev.name != "next" || !bytes.Contains(ev.data, []byte("UNAVAILABLE")) {
		t.Errorf("sse: got %q %s", ev.name, ev.data)
	}
	if ev := s.next(); ev.name != "complete" {
		t.Errorf("sse: got %q %s, want complete", ev.name, ev.data)
	}
}

// TestChangeLatency measures the time from a mutation's request to its event, over a WebSocket
// and over SSE, for 100 writes (the feed polls every 50ms here, and Notify wakes it after a
// local mutation). It reports the figures and asserts only that every event came.
func TestChangeLatency(t *testing.T) {
	if testing.Short() {
		t.Skip("measures 200 writes")
	}
	srv := newFeedServer(t, httpapi.Options{})
	c := dialWS(t, srv.URL, nil)
	c.subscribe("1", changesQuery, nil)
	s, _ := openSSE(t, srv.URL, "", changesQuery, nil)
	srv.waitForSubscribers(t, 2)
	var ws, sse []time.Duration
	for i := range 100 {
		done := time.Now()
		srv.write(t, fmt.Sprintf("feed-latency-%d", i))
		c.event("1")
		ws = append(ws, time.Since(done))
		s.event()
		sse = append(sse, time.Since(done))
	}
	t.Logf("mutation sent -> event received, 100 writes: websocket %s; sse %s", percentiles(ws), percentiles(sse))
}

func percentiles(d []time.Duration) string {
	slices.Sort(d)
	at := func(p float64) time.Duration { return d[min(len(d)-1, int(p*float64(len(d))))] }
	return fmt.Sprintf("p50 %s p99 %s max %s", at(0.5).Round(10*time.Microsecond), at(0.99).Round(10*time.Microsecond), d[len(d)-1].Round(10*time.Microsecond))
}

// TestReadmeLiveChangesExample sends the README's SSE example as it is written, records a
// fact about Avtotor, and checks that the notice has the shape the README shows: a relation
// at Avtotor is a change of Avtotor's, listed by the relation's id.
func TestReadmeLiveChangesExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	i := strings.Index(text, "\n## Live changes\n")
	if i < 0 {
		t.Fatal(`README.md has no section "## Live changes"`)
	}
	section := text[i:]
	section = section[:strings.Index(section[1:], "\n## ")+1]
	m := regexp.MustCompile(`(?s)curl -N .*? -d '([^']*)'\n((?:# .*\n|#\n)+)`).FindStringSubmatch(section)
	if m == nil {
		t.Fatal("the section has no curl -N example with its output")
	}
	var body struct {
		Query string `json:"query"`
	}
	if err := json.Unmarshal([]byte(m[1]), &body); err != nil {
		t.Fatalf("the example's body is not JSON: %v", err)
	}
	shown := regexp.MustCompile(`# data: (.*)`).FindStringSubmatch(m[2])
	if shown == nil {
		t.Fatal("the example shows no data line")
	}
	var want struct{ Data struct{ Changes changeEvent } }
	if err := json.Unmarshal([]byte(shown[1]), &want); err != nil {
		t.Fatalf("the example's data line is not JSON: %v", err)
	}

	srv := newFeedServer(t, httpapi.Options{})
	s, resp := openSSE(t, srv.URL, "", body.Query, nil)
	if s == nil {
		t.Fatalf("status %d", resp.StatusCode)
	}
	srv.waitForSubscribers(t, 1) // the example has no since (see the README)
	add := apitest.PostAs(t, srv.URL, "Bearer "+feedToken,
		`mutation { addRelation(input: {type: ASSEMBLES, from: "avtotor", to: "kaiyi", validFrom: "2030-01", sourceIds: ["tass-2023-04-18-avtotor-baic"]}) { id } }`, nil)
	var added struct{ AddRelation struct{ ID string } }
	if len(add.Errors) > 0 || json.Unmarshal(add.Data, &added) != nil {
		t.Fatalf("addRelation: %+v", add.Errors)
	}
	ev := s.next()
	var got struct{ Data struct{ Changes changeEvent } }
	if ev.name != "next" || json.Unmarshal(ev.data, &got) != nil {
		t.Fatalf("got %q %s", ev.name, ev.data)
	}
	g, w := got.Data.Changes, want.Data.Changes
	if g.Operation != w.Operation || !slices.Equal(g.IDs, []string{added.AddRelation.ID}) || g.Revision == 0 || g.At.IsZero() || g.Actor.Name == "" {
		t.Errorf("got %s\nthe README shows %s", ev.data, shown[1])
	}
	// The same keys, in the same order.
	keys := regexp.MustCompile(`"([a-zA-Z]+)":`)
	if gk, wk := keys.FindAllString(string(ev.data), -1), keys.FindAllString(shown[1], -1); !slices.Equal(gk, wk) {
		t.Errorf("keys %v, the README shows %v", gk, wk)
	}
}

// TestStreamsLeaveNoGoroutines: once its clients have gone and the server is closed, nothing
// of a stream is left running.
func TestStreamsLeaveNoGoroutines(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	store := inmem.New()
	if err := seed.Load(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	f := feed.New(store, feed.Options{Interval: 10 * time.Millisecond})
	srv := httptest.NewServer(httpapi.NewHandler(httpapi.Options{Store: store, Feed: f, WriteTokens: []string{feedToken}}))
	fs := &feedServer{Server: srv, feed: f}
	client := &http.Client{Transport: &http.Transport{}}

	ctx, cancel := context.WithCancel(context.Background())
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/query", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPClient: client})
	if err != nil {
		t.Fatal(err)
	}
	c := &wsClient{t: t, conn: conn}
	c.send(wsMessage{Type: "connection_init"})
	c.read()
	c.subscribe("1", changesQuery, nil)
	c.subscribe("2", changesQuery, map[string]any{"since": 0})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/query", strings.NewReader(`{"query":"subscription { changes { revision } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	fs.waitForSubscribers(t, 3)
	fs.write(t, "feed-leak-a")

	_ = conn.Close(websocket.StatusNormalClosure, "")
	cancel()
	resp.Body.Close()
	fs.waitForSubscribers(t, 0)
	f.Close()
	srv.Close()
	client.CloseIdleConnections()
	http.DefaultClient.CloseIdleConnections()
	if err := store.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := goleak.Find(ignore); err != nil {
		t.Fatal(err)
	}
}

// TestWebSocketTokenInInitPayload: the connection_init payload carries the token. Reads are
// open, so a subscription runs with a valid token, an invalid one or none, as a query does
// over plain HTTP; a payload that is not a JSON object ends the connection.
func TestWebSocketTokenInInitPayload(t *testing.T) {
	srv := newFeedServer(t, httpapi.Options{})
	for name, payload := range map[string]map[string]any{
		"valid token":   {"Authorization": "Bearer " + feedToken},
		"invalid token": {"Authorization": "Bearer not-the-token-at-all"},
		"none":          nil,
	} {
		t.Run(name, func(t *testing.T) {
			c := dialWS(t, srv.URL, payload)
			c.subscribe("1", changesQuery, map[string]any{"since": srv.lastRevision(t)})
			srv.write(t, "feed-init-"+strings.ReplaceAll(name, " ", "-"))
			if ev := c.event("1"); len(ev.IDs) != 1 {
				t.Errorf("got %+v", ev)
			}
		})
	}
	t.Run("not an object", func(t *testing.T) {
		c, err := tryDialWS(t, srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		c.send(wsMessage{Type: "connection_init", Payload: json.RawMessage(`"Bearer x"`)})
		m, err := c.tryRead(2 * time.Second)
		if err == nil || errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("got %s %s, %v, want the connection closed", m.Type, m.Payload, err)
		}
	})
}

// TestStreamsWithReadAuth: with reads protected, a WebSocket is admitted by the token of its
// connection_init (or of its handshake) and closed with 4403 without one; an event stream
// needs the Authorization header, as any request.
func TestStreamsWithReadAuth(t *testing.T) {
	srv := newFeedServer(t, httpapi.Options{Auth: httpapi.AuthConfig{ReadAuth: true}})
	t.Run("websocket with a token", func(t *testing.T) {
		c := dialWS(t, srv.URL, map[string]any{"Authorization": "Bearer " + feedToken})
		since := map[string]any{"since": 0}
		c.subscribe("1", changesQuery, since)
		if ev := c.event("1"); ev.Revision != 1 {
			t.Errorf("got %+v, want revision 1", ev)
		}
	})
	for name, payload := range map[string]map[string]any{
		"websocket without a token":  nil,
		"websocket with a bad token": {"Authorization": "Bearer not-the-token-at-all"},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := tryDialWS(t, srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			c.send(wsMessage{Type: "connection_init", Payload: mustJSON(t, payload)})
			_, err = c.tryRead(2 * time.Second)
			if got := websocket.CloseStatus(err); got != 4403 {
				t.Errorf("got %v (close status %d), want the connection closed with 4403", err, got)
			}
		})
	}
	t.Run("sse without a token", func(t *testing.T) {
		s, resp := openSSE(t, srv.URL, "", changesQuery, nil)
		if s != nil || resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", resp.StatusCode)
		}
		b, _ := io.ReadAll(resp.Body)
		var out apitest.Response
		if json.Unmarshal(b, &out) != nil || len(out.Errors) == 0 || out.Errors[0].Code() != "UNAUTHENTICATED" {
			t.Errorf("body %s, want UNAUTHENTICATED", b)
		}
	})
	t.Run("sse with a token", func(t *testing.T) {
		s, resp := openSSE(t, srv.URL, "Bearer "+feedToken, changesQuery, map[string]any{"since": 0})
		if s == nil {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if ev := s.event(); ev.Revision != 1 {
			t.Errorf("got %+v, want revision 1", ev)
		}
	})
}
