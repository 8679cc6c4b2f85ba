// Command soak holds a running autograph server under a long mixed load of reads and writes
// and watches its memory and goroutines, to show that neither grows and that nothing fails.
//
// Each of -c workers keeps one connection busy. A worker mostly asks the product questions
// (graph/testdata/questions, weighted as bench/loadgen weighs them) and checks every answer
// against the one the server gave before the load (search scores aside, which a full-text
// index may rescore as documents come and go). One request in -write-every is a write, on
// ids that belong to the worker alone; each write is followed by a read of what it wrote (a
// "verify" request), and at the end every entity and relation the soak wrote or deleted is
// read back. The writes of one worker cycle through a life: upsertOrganization, the same
// again with a new name, addRelation to the worker's anchor organization, updateRelation
// (ACTIVE to ENDED), addRelation to the previous organization, removeRelation of it, and
// deleteEntity of the organization -keep generations back. The data the soak adds is thus
// bounded (about -keep organizations per worker), so the server's memory has no reason to
// grow.
//
// Every request is counted by outcome: OK, HTTP status, transport error, GraphQL error code,
// or a wrong answer. Any outcome but OK is a failure. Every -sample the server's /metrics is
// read (heap in use, heap allocated, the GC's heap target, goroutines, threads, RSS, open
// files) and a line printed. The summary gives requests, req/s, p50/p99 per operation,
// errors by kind, each metric's first/last/min/max, and whether the last -window is flat: a
// least-squares line through the samples of the window must change by at most -tol percent of
// the window's mean over the window. soak exits with status 1 if any request failed, any
// written item did not read back, or the heap or goroutines were not flat.
//
// Usage:
//
//	SOAK_WRITE_TOKEN=... soak -url http://127.0.0.1:8080 -c 64 -d 30m -questions graph/testdata/questions
//
// It only targets loopback addresses.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/autograph-kg/autograph/bench/benchkit"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ok, err := run(ctx, os.Args[1:], os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(1)
	}
}

type config struct {
	base       *url.URL
	conns      int
	duration   time.Duration
	questions  string
	writeEvery int
	keep       int
	sample     time.Duration
	window     time.Duration
	tol        float64
	gtol       float64
	timeout    time.Duration
	warmup     time.Duration
	token      string
	prefix     string
}

func parseFlags(args []string, out io.Writer) (config, bool, error) {
	fs := flag.NewFlagSet("soak", flag.ContinueOnError)
	fs.SetOutput(out)
	c := config{}
	rawURL := fs.String("url", "http://127.0.0.1:8080", "base URL of the server (loopback only); /query and /metrics are appended")
	fs.IntVar(&c.conns, "c", 64, "concurrent connections (one worker each)")
	fs.DurationVar(&c.duration, "d", 30*time.Minute, "duration of the load")
	fs.StringVar(&c.questions, "questions", "graph/testdata/questions", "directory of the question files (*.graphql with optional *.vars.json)")
	fs.IntVar(&c.writeEvery, "write-every", 10, "one request in this many is a write (each followed by a read of what it wrote); 0 sends no writes")
	fs.IntVar(&c.keep, "keep", 4, "organizations each worker keeps before deleting its oldest")
	fs.DurationVar(&c.sample, "sample", 30*time.Second, "interval between two readings of /metrics")
	fs.DurationVar(&c.window, "window", 10*time.Minute, "the final part of the load that must be flat (clipped to the load)")
	fs.Float64Var(&c.tol, "tol", 10, "flatness of the heap: most change of the fitted line over the window, in percent of the window's mean")
	fs.Float64Var(&c.gtol, "gtol", 20, "flatness of the goroutines, likewise (their count follows the requests in flight at the moment of the sample)")
	fs.DurationVar(&c.timeout, "timeout", 15*time.Second, "deadline of one request")
	fs.DurationVar(&c.warmup, "warmup", 0, "load before the measured -d, counted apart: the connections open one after another over its first half")
	fs.StringVar(&c.prefix, "prefix", "soak-"+strconv.FormatInt(time.Now().Unix(), 36), "prefix of the ids the soak writes (a slug)")
	freePort := fs.Bool("free-port", false, "print a free TCP port on 127.0.0.1 and exit (for scripts)")
	if err := fs.Parse(args); err != nil {
		return c, false, err
	}
	if *freePort {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return c, false, fmt.Errorf("free port: %w", err)
		}
		defer ln.Close()
		fmt.Fprintln(out, ln.Addr().(*net.TCPAddr).Port)
		return c, true, nil
	}
	base, err := loopbackURL(*rawURL)
	if err != nil {
		return c, false, err
	}
	c.base = base
	c.token = os.Getenv("SOAK_WRITE_TOKEN")
	switch {
	case c.conns < 1 || c.conns > 4096:
		return c, false, fmt.Errorf("-c %d: want 1 to 4096 connections", c.conns)
	case c.duration <= 0 || c.duration > 48*time.Hour:
		return c, false, fmt.Errorf("-d %s: want a positive duration of at most 48h", c.duration)
	case c.writeEvery < 0:
		return c, false, fmt.Errorf("-write-every %d: want 0 or more", c.writeEvery)
	case c.writeEvery > 0 && c.token == "":
		return c, false, errors.New("writes need a write token: set SOAK_WRITE_TOKEN (or -write-every 0)")
	case c.keep < 1:
		return c, false, fmt.Errorf("-keep %d: want at least 1", c.keep)
	case c.sample < time.Second:
		return c, false, fmt.Errorf("-sample %s: want 1s or more", c.sample)
	case c.window <= 0 || c.tol <= 0 || c.gtol <= 0:
		return c, false, errors.New("-window, -tol and -gtol must be positive")
	case c.timeout <= 0:
		return c, false, fmt.Errorf("-timeout %s: want a positive duration", c.timeout)
	case c.warmup < 0 || c.warmup > time.Hour:
		return c, false, fmt.Errorf("-warmup %s: want 0 to 1h", c.warmup)
	case !regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`).MatchString(c.prefix):
		return c, false, fmt.Errorf("-prefix %q: want a slug (lower-case letters and digits joined by hyphens)", c.prefix)
	}
	return c, false, nil
}

// loopbackURL is benchkit.LoopbackURL for this tool.
func loopbackURL(raw string) (*url.URL, error) { return benchkit.LoopbackURL(raw, "soak") }

// ---------------------------------------------------------------------------------------------
// Requests and outcomes

// class of a request, for the summary.
const (
	classRead   = "read"
	classWrite  = "write"
	classVerify = "verify"
	classSetup  = "setup"
)

// op is one request to send and how to judge its answer.
type op struct {
	name  string // operation, for the per-operation table
	class string
	body  []byte
	auth  bool
	// check judges a 200 answer without GraphQL errors; nil accepts any data.
	check func(data json.RawMessage) error
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string `json:"message"`
		Extensions struct {
			Code string `json:"code"`
		} `json:"extensions"`
	} `json:"errors"`
}

// outcome of one request: "OK" or the kind of failure.
type outcome struct {
	kind   string   // "OK", "HTTP 500", "transport", "GraphQL TIMEOUT", "wrong answer", ...
	codes  []string // every GraphQL error code of the answer
	detail string   // for the first samples of a kind
}

type client struct {
	query  string
	token  string
	http   *http.Client
	reqIDs string
	seq    atomic.Int64
}

func newClient(base *url.URL, conns int, timeout time.Duration, token, prefix string) *client {
	tr := &http.Transport{
		Proxy:               nil,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &client{query: base.JoinPath("query").String(), token: token, http: &http.Client{Transport: tr, Timeout: timeout}, reqIDs: prefix}
}

// do sends o and judges the answer. The request carries an X-Request-Id, which the server
// logs, so that a failure can be found in the server's log.
func (c *client) do(ctx context.Context, o *op, buf *bytes.Buffer) outcome {
	id := c.reqIDs + "-" + strconv.FormatInt(c.seq.Add(1), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.query, bytes.NewReader(o.body))
	if err != nil {
		return outcome{kind: "request", detail: err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-Id", id)
	if o.auth {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return outcome{kind: "transport", detail: fmt.Sprintf("request %s %s: %v", id, o.name, err)}
	}
	defer resp.Body.Close()
	buf.Reset()
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return outcome{kind: "transport", detail: fmt.Sprintf("request %s %s: reading the body: %v", id, o.name, err)}
	}
	body := buf.Bytes()
	detail := func() string {
		return fmt.Sprintf("request %s %s: HTTP %d, sent %s, answered %s", id, o.name, resp.StatusCode, benchkit.Truncate(string(o.body), 600), benchkit.Truncate(string(body), 600))
	}
	var r gqlResponse
	decodeErr := json.Unmarshal(body, &r)
	var codes []string
	for _, e := range r.Errors {
		codes = append(codes, cmpOr(e.Extensions.Code, "(no code)"))
	}
	switch {
	case resp.StatusCode != http.StatusOK:
		return outcome{kind: "HTTP " + strconv.Itoa(resp.StatusCode), codes: codes, detail: detail()}
	case decodeErr != nil:
		return outcome{kind: "answer is not JSON", detail: detail()}
	case len(codes) > 0:
		return outcome{kind: "GraphQL " + codes[0], codes: codes, detail: detail()}
	case len(r.Data) == 0 || string(r.Data) == "null":
		return outcome{kind: "answer has no data", detail: detail()}
	}
	if o.check != nil {
		if err := o.check(r.Data); err != nil {
			return outcome{kind: "wrong answer", detail: fmt.Sprintf("%s: %v; %s", o.name, err, detail())}
		}
	}
	return outcome{kind: "OK"}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func gql(query string, vars map[string]any) []byte {
	req := map[string]any{"query": query}
	if vars != nil {
		req["variables"] = vars
	}
	b, err := json.Marshal(req)
	if err != nil {
		panic(err)
	}
	return b
}

// ---------------------------------------------------------------------------------------------
// Reads: the product questions

type question struct {
	name   string
	weight int
	body   []byte
	answer []byte // normalised answer before the load
}

// scores drops search scores from an answer before comparing: the relevance score of a
// full-text index depends on every document in it, which the soak's writes change.
var scores = regexp.MustCompile(`"score":-?[0-9.eE+-]+`)

func normalise(data []byte) []byte { return scores.ReplaceAll(data, []byte(`"score":0`)) }

// loadQuestions reads the product questions of dir (see benchkit.LoadQuestions).
func loadQuestions(dir string) ([]*question, error) {
	specs, err := benchkit.LoadQuestions(dir)
	if err != nil {
		return nil, err
	}
	qs := make([]*question, len(specs))
	for i, q := range specs {
		qs[i] = &question{name: q.Name, weight: q.Weight, body: q.Body}
	}
	return qs, nil
}

func (q *question) op() *op {
	return &op{name: q.name, class: classRead, body: q.body, check: func(data json.RawMessage) error {
		if got := normalise(data); !bytes.Equal(got, q.answer) {
			return fmt.Errorf("answer differs from the one before the load: got %s", benchkit.Truncate(string(got), 300))
		}
		return nil
	}}
}

// ---------------------------------------------------------------------------------------------
// Writes: each worker's own ids

const (
	mUpsertOrg = `mutation SoakUpsertOrganization($in: OrganizationInput!) { upsertOrganization(input: $in) { id name description } }`
	mAddRel    = `mutation SoakAddRelation($in: RelationInput!) { addRelation(input: $in) { id type status validFrom validTo note from { id } to { id } } }`
	mUpdateRel = `mutation SoakUpdateRelation($id: ID!, $in: RelationInput!) { updateRelation(id: $id, input: $in) { id type status validFrom validTo note from { id } to { id } } }`
	mRemoveRel = `mutation SoakRemoveRelation($id: ID!) { removeRelation(id: $id) }`
	mDelete    = `mutation SoakDeleteEntity($id: ID!) { deleteEntity(id: $id) }`
	mSource    = `mutation SoakUpsertSource($in: SourceInput!) { upsertSource(input: $in) { id } }`
	qOrg       = `query SoakVerifyOrganization($id: ID!) { organization(id: $id) { id name description } }`
	qRel       = `query SoakVerifyRelation($id: ID!) { relation(id: $id) { id type status validFrom validTo note from { id } to { id } } }`
	qGone      = `query SoakVerifyDeleted($id: ID!, $rel: ID!) { organization(id: $id) { id } relation(id: $rel) { id } }`
)

type orgWant struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
}

type relWant struct {
	ID        string  `json:"id"`
	Type      string  `json:"type"`
	Status    string  `json:"status"`
	ValidFrom *string `json:"validFrom"`
	ValidTo   *string `json:"validTo"`
	Note      *string `json:"note"`
	From      struct {
		ID string `json:"id"`
	} `json:"from"`
	To struct {
		ID string `json:"id"`
	} `json:"to"`
}

func strp(s string) *string { return &s }

func eqp(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func (o orgWant) same(got orgWant) error {
	if got.ID != o.ID || got.Name != o.Name || !eqp(got.Description, o.Description) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(o)
		return fmt.Errorf("organization reads %s, want %s", g, w)
	}
	return nil
}

// same compares everything but the id, which the caller checks when it knows it.
func (r relWant) same(got relWant) error {
	if (r.ID != "" && got.ID != r.ID) || got.Type != r.Type || got.Status != r.Status || !eqp(got.ValidFrom, r.ValidFrom) ||
		!eqp(got.ValidTo, r.ValidTo) || !eqp(got.Note, r.Note) || got.From.ID != r.From.ID || got.To.ID != r.To.ID {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(r)
		return fmt.Errorf("relation reads %s, want %s", g, w)
	}
	return nil
}

func (r relWant) input(source string) map[string]any {
	in := map[string]any{"type": r.Type, "from": r.From.ID, "to": r.To.ID, "status": r.Status, "sourceIds": []string{source}}
	if r.ValidFrom != nil {
		in["validFrom"] = *r.ValidFrom
	}
	if r.ValidTo != nil {
		in["validTo"] = *r.ValidTo
	}
	if r.Note != nil {
		in["note"] = *r.Note
	}
	return in
}

func newRel(from, to, status, validFrom string, validTo, note *string) relWant {
	r := relWant{Type: "PARTNERS_WITH", Status: status, ValidFrom: strp(validFrom), ValidTo: validTo, Note: note}
	r.From.ID, r.To.ID = from, to
	return r
}

// liveOrg is an organization of the worker that should exist, with its relation to the anchor.
type liveOrg struct {
	org orgWant
	rel relWant // rel.ID is empty until addRelation was acknowledged
}

// writer is one worker's writes: a model of what the server should hold for its ids.
type writer struct {
	prefix, source, anchor string
	k, step                int
	live                   []*liveOrg // oldest first; the last is generation k once step 0 is done
	side                   relWant    // the relation to the previous organization, steps 4-5
	deleted                []string   // organizations deleted
	gone                   []string   // relations removed, or deleted with their organization
	acked                  map[string]int
	keep                   int
	// failed is set while the last write failed: its effect is then unknown (a timeout may
	// come after the commit), and it is asked again.
	failed bool
	// retriedGone counts removeRelation and deleteEntity answered NOT_FOUND when asked again
	// after a failure: the first attempt did it.
	retriedGone int
}

// judgeRetry accepts NOT_FOUND from a removeRelation or deleteEntity asked again after a failed
// attempt: that attempt, counted as a failure, did remove the item.
func (w *writer) judgeRetry(o *op, r outcome) outcome {
	if w.failed && (o.name == "removeRelation" || o.name == "deleteEntity") && r.kind == "GraphQL NOT_FOUND" {
		w.retriedGone++
		return outcome{kind: "OK"}
	}
	return r
}

func newWriter(prefix string, w, keep int) *writer {
	p := fmt.Sprintf("%s-w%d", prefix, w)
	return &writer{prefix: p, source: p + "-source", anchor: p + "-anchor", acked: map[string]int{}, keep: keep}
}

func (w *writer) orgID(k int) string { return fmt.Sprintf("%s-o%d", w.prefix, k) }

// setup is the source and anchor organization the worker's relations need.
func (w *writer) setup() []*op {
	return []*op{
		{name: "upsertSource", class: classSetup, auth: true, body: gql(mSource, map[string]any{"in": map[string]any{
			"id": w.source, "title": "Soak source " + w.prefix, "publishedOn": "2026-12-01"}})},
		{name: "upsertOrganization", class: classSetup, auth: true, body: gql(mUpsertOrg, map[string]any{"in": map[string]any{
			"id": w.anchor, "name": "Soak anchor " + w.prefix, "type": "OTHER", "sources": []string{w.source}}})},
	}
}

// write is one write and the read that checks it; ack applies the write to the model once the
// server acknowledged it, and must run before verify is sent.
type write struct {
	op     *op
	ack    func()
	verify func() *op
}

func (w *writer) cur() *liveOrg { return w.live[len(w.live)-1] }

// next returns the worker's next write. A write that fails is asked again (every write is
// idempotent until acknowledged), so the model never runs ahead of the server.
func (w *writer) next() *write {
	for {
		if wr := w.stepWrite(); wr != nil {
			return wr
		}
		w.advance() // a step with nothing to do
	}
}

func (w *writer) advance() {
	w.step++
	if w.step == 7 {
		w.step = 0
		w.k++
	}
}

func (w *writer) ackOp(name string) { w.acked[name]++; w.advance() }

func (w *writer) stepWrite() *write {
	switch w.step {
	case 0, 1: // create generation k, then rename it
		want := orgWant{ID: w.orgID(w.k), Name: fmt.Sprintf("Soak %s o%d", w.prefix, w.k)}
		in := map[string]any{"id": want.ID, "name": want.Name, "type": "ASSEMBLER", "sources": []string{w.source}, "founded": "2020-05"}
		if w.step == 1 {
			want.Name += " renamed"
			want.Description = strp("renamed by the soak")
			in["name"], in["description"], in["type"] = want.Name, *want.Description, "MANUFACTURER"
		}
		return &write{
			op: &op{name: "upsertOrganization", class: classWrite, auth: true, body: gql(mUpsertOrg, map[string]any{"in": in}),
				check: func(data json.RawMessage) error {
					var d struct{ UpsertOrganization orgWant }
					if err := json.Unmarshal(data, &d); err != nil {
						return err
					}
					return want.same(d.UpsertOrganization)
				}},
			ack: func() {
				if w.step == 0 {
					w.live = append(w.live, &liveOrg{org: want})
				} else {
					w.cur().org = want
				}
				w.ackOp("upsertOrganization")
			},
			verify: func() *op { return verifyOrg(want) },
		}
	case 2, 3: // relate generation k to the anchor, then end that relation
		cur := w.cur()
		want := newRel(cur.org.ID, w.anchor, "ACTIVE", "2024-01", nil, nil)
		o := &op{name: "addRelation", class: classWrite, auth: true, body: gql(mAddRel, map[string]any{"in": want.input(w.source)})}
		if w.step == 3 {
			want = newRel(cur.org.ID, w.anchor, "ENDED", "2024-01", strp("2025-06"), strp("ended by the soak"))
			want.ID = cur.rel.ID
			o = &op{name: "updateRelation", class: classWrite, auth: true, body: gql(mUpdateRel, map[string]any{"id": cur.rel.ID, "in": want.input(w.source)})}
		}
		var gotID string
		o.check = func(data json.RawMessage) error {
			var d struct {
				AddRelation, UpdateRelation *relWant
			}
			if err := json.Unmarshal(data, &d); err != nil {
				return err
			}
			got := d.AddRelation
			if got == nil {
				got = d.UpdateRelation
			}
			if got == nil || got.ID == "" {
				return errors.New("no relation in the answer")
			}
			gotID = got.ID
			return want.same(*got)
		}
		return &write{op: o,
			ack: func() {
				want.ID = gotID
				cur.rel = want
				w.ackOp(o.name)
			},
			verify: func() *op { return verifyRel(want) },
		}
	case 4: // a planned relation to the previous generation (or the anchor), removed at step 5
		to := w.anchor
		if len(w.live) > 1 {
			to = w.live[len(w.live)-2].org.ID
		}
		want := newRel(w.cur().org.ID, to, "PLANNED", "2027-01", nil, strp("planned by the soak"))
		var gotID string
		return &write{
			op: &op{name: "addRelation", class: classWrite, auth: true, body: gql(mAddRel, map[string]any{"in": want.input(w.source)}),
				check: func(data json.RawMessage) error {
					var d struct{ AddRelation relWant }
					if err := json.Unmarshal(data, &d); err != nil {
						return err
					}
					gotID = d.AddRelation.ID
					return want.same(d.AddRelation)
				}},
			ack:    func() { want.ID = gotID; w.side = want; w.ackOp("addRelation") },
			verify: func() *op { return verifyRel(want) },
		}
	case 5:
		id := w.side.ID
		return &write{
			op: &op{name: "removeRelation", class: classWrite, auth: true, body: gql(mRemoveRel, map[string]any{"id": id}),
				check: func(data json.RawMessage) error { return wantID(data, "removeRelation", id) }},
			ack:    func() { w.gone = append(w.gone, id); w.ackOp("removeRelation") },
			verify: func() *op { return verifyGone("", id) },
		}
	case 6: // delete the oldest generation once there are more than keep
		if len(w.live) <= w.keep {
			return nil
		}
		old := w.live[0]
		return &write{
			op: &op{name: "deleteEntity", class: classWrite, auth: true, body: gql(mDelete, map[string]any{"id": old.org.ID}),
				check: func(data json.RawMessage) error { return wantID(data, "deleteEntity", old.org.ID) }},
			ack: func() {
				w.live = w.live[1:]
				w.deleted = append(w.deleted, old.org.ID)
				w.gone = append(w.gone, old.rel.ID)
				w.ackOp("deleteEntity")
			},
			verify: func() *op { return verifyGone(old.org.ID, old.rel.ID) },
		}
	}
	panic("unreachable")
}

func wantID(data json.RawMessage, field, id string) error {
	var d map[string]string
	if err := json.Unmarshal(data, &d); err != nil {
		return err
	}
	if d[field] != id {
		return fmt.Errorf("%s returned %q, want %q", field, d[field], id)
	}
	return nil
}

func verifyOrg(want orgWant) *op {
	return &op{name: "verify organization", class: classVerify, body: gql(qOrg, map[string]any{"id": want.ID}),
		check: func(data json.RawMessage) error {
			var d struct{ Organization *orgWant }
			if err := json.Unmarshal(data, &d); err != nil {
				return err
			}
			if d.Organization == nil {
				return fmt.Errorf("organization %s reads null after its upsert was acknowledged", want.ID)
			}
			return want.same(*d.Organization)
		}}
}

func verifyRel(want relWant) *op {
	return &op{name: "verify relation", class: classVerify, body: gql(qRel, map[string]any{"id": want.ID}),
		check: func(data json.RawMessage) error {
			var d struct{ Relation *relWant }
			if err := json.Unmarshal(data, &d); err != nil {
				return err
			}
			if d.Relation == nil {
				return fmt.Errorf("relation %s reads null after its write was acknowledged", want.ID)
			}
			return want.same(*d.Relation)
		}}
}

// verifyGone checks that an organization (if org is not empty) and a relation read null.
func verifyGone(org, rel string) *op {
	q, vars := qRel, map[string]any{"id": rel}
	if org != "" {
		q, vars = qGone, map[string]any{"id": org, "rel": rel}
	}
	return &op{name: "verify deleted", class: classVerify, body: gql(q, vars),
		check: func(data json.RawMessage) error {
			var d map[string]json.RawMessage
			if err := json.Unmarshal(data, &d); err != nil {
				return err
			}
			for k, v := range d {
				if string(v) != "null" {
					return fmt.Errorf("%s still reads %s after its deletion was acknowledged", k, benchkit.Truncate(string(v), 200))
				}
			}
			return nil
		}}
}

// ---------------------------------------------------------------------------------------------
// Counting

// hist is a latency histogram with 5% buckets, for the figures of one sampling interval.
type hist struct{ b [400]atomic.Int64 }

func bucketOf(d time.Duration) int {
	us := float64(d) / 1e3
	if us < 1 {
		return 0
	}
	return min(int(math.Log(us)*20), 399)
}

func (h *hist) add(d time.Duration) { h.b[bucketOf(d)].Add(1) }

// drain returns the p50 and p99 of what was added since the last drain, and empties it.
func (h *hist) drain() (p50, p99 time.Duration, n int64) {
	var counts [400]int64
	for i := range h.b {
		counts[i] = h.b[i].Swap(0)
		n += counts[i]
	}
	at := func(q float64) time.Duration {
		rank := int64(math.Ceil(float64(n) * q))
		var c int64
		for i, v := range counts {
			if c += v; c >= rank && v > 0 {
				return time.Duration(math.Exp((float64(i)+0.5)/20) * 1e3)
			}
		}
		return 0
	}
	if n == 0 {
		return 0, 0, 0
	}
	return at(0.5), at(0.99), n
}

// stats is what one worker saw.
type stats struct {
	lat     map[string][]time.Duration // operation -> latencies
	class   map[string]string          // operation -> class
	kinds   map[string]map[string]int  // operation -> outcome kind -> count
	codes   map[string]int             // GraphQL error code -> count (every error of every answer)
	samples map[string][]string        // outcome kind -> first few details
}

func newStats() *stats {
	return &stats{lat: map[string][]time.Duration{}, class: map[string]string{}, kinds: map[string]map[string]int{}, codes: map[string]int{}, samples: map[string][]string{}}
}

func (s *stats) record(o *op, out outcome, lat time.Duration) {
	s.lat[o.name] = append(s.lat[o.name], lat)
	s.class[o.name] = o.class
	if s.kinds[o.name] == nil {
		s.kinds[o.name] = map[string]int{}
	}
	s.kinds[o.name][out.kind]++
	for _, c := range out.codes {
		s.codes[c]++
	}
	if out.kind != "OK" && len(s.samples[out.kind]) < 3 {
		s.samples[out.kind] = append(s.samples[out.kind], out.detail)
	}
}

func (s *stats) merge(o *stats) {
	for k, v := range o.lat {
		s.lat[k] = append(s.lat[k], v...)
	}
	maps.Copy(s.class, o.class)
	for k, m := range o.kinds {
		if s.kinds[k] == nil {
			s.kinds[k] = map[string]int{}
		}
		for kk, n := range m {
			s.kinds[k][kk] += n
		}
	}
	for k, n := range o.codes {
		s.codes[k] += n
	}
	for k, v := range o.samples {
		for _, d := range v {
			if len(s.samples[k]) < 3 {
				s.samples[k] = append(s.samples[k], d)
			}
		}
	}
}

// live counters, for the sampling lines.
type counters struct {
	reqs, errs atomic.Int64
	h          hist
}

// ---------------------------------------------------------------------------------------------
// Metrics

var metricNames = []struct{ key, name string }{
	{"heap_inuse", "go_memstats_heap_inuse_bytes"},
	{"heap_alloc", "go_memstats_heap_alloc_bytes"},
	{"next_gc", "go_memstats_next_gc_bytes"},
	{"gogc", "go_gc_gogc_percent"},
	{"goroutines", "go_goroutines"},
	{"threads", "go_threads"},
	{"rss", "process_resident_memory_bytes"},
	{"fds", "process_open_fds"},
	{"gcs", "go_gc_duration_seconds_count"},
	{"inflight", "autograph_graphql_requests_in_flight"},
}

type sample struct {
	at     time.Duration // since the load started (negative before it)
	phase  string
	v      map[string]float64
	errors map[string]float64 // autograph_graphql_errors_total by code
	err    error
}

// heapLive estimates the heap live after the last GC from the GC's next target, which the
// runtime sets to about live*(1+GOGC/100): heap in use also counts garbage not yet collected.
func (s sample) heapLive() float64 {
	if s.v["gogc"] <= 0 || s.v["next_gc"] <= 0 {
		return math.NaN()
	}
	return s.v["next_gc"] / (1 + s.v["gogc"]/100)
}

func (s sample) get(key string) float64 {
	if key == "heap_live" {
		return s.heapLive()
	}
	v, ok := s.v[key]
	if !ok {
		return math.NaN()
	}
	return v
}

var errorLine = regexp.MustCompile(`^autograph_graphql_errors_total\{code="([^"]*)"\} (\S+)$`)

func readMetrics(ctx context.Context, hc *http.Client, base *url.URL) (map[string]float64, map[string]float64, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base.JoinPath("metrics").String(), nil)
	if err != nil {
		return nil, nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("GET /metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("GET /metrics: HTTP %d", resp.StatusCode)
	}
	byName := map[string]string{}
	for _, m := range metricNames {
		byName[m.name] = m.key
	}
	v, errs := map[string]float64{}, map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := errorLine.FindStringSubmatch(line); m != nil {
			if f, err := strconv.ParseFloat(m[2], 64); err == nil {
				errs[m[1]] = f
			}
			continue
		}
		name, value, ok := strings.Cut(line, " ")
		if key, known := byName[name]; ok && known {
			if f, err := strconv.ParseFloat(strings.TrimSpace(value), 64); err == nil {
				v[key] = f
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("reading /metrics: %w", err)
	}
	return v, errs, nil
}

// readMedian reads /metrics nine times, 250 ms apart, and keeps each gauge's median (the
// count of GC cycles and of errors: the last reading). Goroutines follow the requests in flight
// at the instant of a reading, and heap in use the GC cycle: the median of a burst steadies
// both without hiding a trend.
func readMedian(ctx context.Context, hc *http.Client, base *url.URL) (map[string]float64, map[string]float64, error) {
	const n = 9
	all := map[string][]float64{}
	var errs map[string]float64
	var v map[string]float64
	for i := range n {
		if i > 0 {
			time.Sleep(250 * time.Millisecond)
		}
		var err error
		v, errs, err = readMetrics(ctx, hc, base)
		if err != nil {
			return nil, nil, err
		}
		for k, x := range v {
			all[k] = append(all[k], x)
		}
	}
	med := map[string]float64{}
	for k, xs := range all {
		slices.Sort(xs)
		med[k] = xs[len(xs)/2]
	}
	med["gcs"] = v["gcs"]
	return med, errs, nil
}

func mib(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return strconv.FormatFloat(v/(1<<20), 'f', 1, 64)
}

func num(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// fit is the least-squares line through (x, y): the slope per unit of x.
func fit(xs, ys []float64) (slope, mean float64) {
	n := float64(len(xs))
	var sx, sy float64
	for i := range xs {
		sx += xs[i]
		sy += ys[i]
	}
	mx, my := sx/n, sy/n
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	if sxx == 0 {
		return 0, my
	}
	return sxy / sxx, my
}

// ---------------------------------------------------------------------------------------------
// The run

func run(ctx context.Context, args []string, out io.Writer) (bool, error) {
	cfg, done, err := parseFlags(args, out)
	if err != nil || done {
		return true, err
	}
	qs, err := loadQuestions(cfg.questions)
	if err != nil {
		return false, err
	}
	cl := newClient(cfg.base, cfg.conns, cfg.timeout, cfg.token, cfg.prefix)
	mc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil}}

	// Every question once, before any load: the answers every later one is compared with.
	var buf bytes.Buffer
	for _, q := range qs {
		o := &op{name: q.name, class: classRead, body: q.body}
		if r := cl.do(ctx, o, &buf); r.kind != "OK" {
			return false, fmt.Errorf("the server does not answer %s cleanly before any load: %s: %s", q.name, r.kind, r.detail)
		}
		var r gqlResponse
		if err := json.Unmarshal(buf.Bytes(), &r); err != nil {
			return false, err
		}
		q.answer = normalise(slices.Clone(r.Data))
	}
	var table []*question
	for _, q := range qs {
		for range q.weight {
			table = append(table, q)
		}
	}

	writers := make([]*writer, cfg.conns)
	setup := newStats()
	for w := range writers {
		writers[w] = newWriter(cfg.prefix, w, cfg.keep)
		if cfg.writeEvery == 0 {
			continue
		}
		for _, o := range writers[w].setup() {
			t0 := time.Now()
			r := cl.do(ctx, o, &buf)
			setup.record(o, r, time.Since(t0))
			if r.kind != "OK" {
				return false, fmt.Errorf("setup write failed: %s: %s", r.kind, r.detail)
			}
		}
	}

	writeMix := "no writes"
	if cfg.writeEvery > 0 {
		writeMix = fmt.Sprintf("1 request in %d a write, each followed by a read of what it wrote", cfg.writeEvery)
	}
	fmt.Fprintf(out, "soak: %s, %d connections, %s, %d questions, %s; ids %s-*; GOMAXPROCS %d (client and server share the machine)\n",
		cl.query, cfg.conns, cfg.duration, len(qs), writeMix, cfg.prefix, runtime.GOMAXPROCS(0))

	// Times are counted from the end of the warm-up, when the measured load begins: the
	// warm-up's samples have negative times.
	var cnt, warmCnt counters
	var samples []sample
	var smu sync.Mutex
	var begin, start, deadline time.Time
	takeSample := func(phase string) sample {
		v, errs, err := readMedian(ctx, mc, cfg.base)
		at := time.Since(start) // the end of the burst, when the caller reads its counters
		s := sample{at: at, phase: phase, v: v, errors: errs, err: err}
		smu.Lock()
		samples = append(samples, s)
		smu.Unlock()
		return s
	}
	var last struct {
		phase string
		reqs  int64
		at    time.Duration
	}
	const row = "%7s %7s %9s %6s %6s %7s %7s %10s %10s %10s %10s %8s %7s %8s %5s %6s\n"
	printSample := func(s sample, c *counters, p50, p99 time.Duration) {
		if s.err != nil {
			fmt.Fprintf(out, "%7.0f  metrics error: %v\n", s.at.Seconds(), s.err)
			return
		}
		reqs, errs := c.reqs.Load(), c.errs.Load()
		if s.phase == "load" && last.phase == "warmup" {
			last.reqs, last.at = 0, 0 // the measured counters start at the end of the warm-up
		}
		rate := 0.0
		if dt := (s.at - last.at).Seconds(); dt > 0 {
			rate = float64(reqs-last.reqs) / dt
		}
		last.phase, last.reqs, last.at = s.phase, reqs, s.at
		fmt.Fprintf(out, row, strconv.FormatFloat(s.at.Seconds(), 'f', 0, 64), s.phase, strconv.FormatInt(reqs, 10), strconv.FormatFloat(rate, 'f', 0, 64),
			strconv.FormatInt(errs, 10), ms(p50), ms(p99), mib(s.get("heap_inuse")), mib(s.get("heap_alloc")), mib(s.heapLive()),
			num(s.get("goroutines")), num(s.get("inflight")), num(s.get("threads")), mib(s.get("rss")), num(s.get("fds")), num(s.get("gcs")))
	}
	fmt.Fprintf(out, row, "t s", "phase", "requests", "req/s", "errors", "p50 ms", "p99 ms", "inuse MiB", "alloc MiB", "live~ MiB", "goroutines", "inflight", "threads", "RSS MiB", "fds", "GCs")
	before := takeSample("before")
	begin = time.Now()
	start = begin.Add(cfg.warmup)
	deadline = start.Add(cfg.duration)
	before.at = -cfg.warmup
	samples[0].at = before.at
	printSample(before, &cnt, 0, 0)

	// The load. With a warm-up, the workers start one after another over its first half
	// (a ramp), and what they see before its end is counted apart.
	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	all := make([]*stats, cfg.conns)
	warm := make([]*stats, cfg.conns)
	var wg sync.WaitGroup
	for w := range cfg.conns {
		st, wst := newStats(), newStats()
		all[w], warm[w] = st, wst
		wr := writers[w]
		wg.Add(1)
		go func() {
			defer wg.Done()
			if cfg.warmup > 0 {
				select {
				case <-time.After(cfg.warmup / 2 * time.Duration(w) / time.Duration(cfg.conns)):
				case <-loadCtx.Done():
					return
				}
			}
			rng := rand.New(rand.NewPCG(uint64(w), 0x50a4))
			var buf bytes.Buffer
			var verify *op
			for loadCtx.Err() == nil && time.Now().Before(deadline) {
				var o *op
				var wrt *write
				switch {
				case verify != nil:
					o, verify = verify, nil
				case cfg.writeEvery > 0 && rng.IntN(cfg.writeEvery) == 0:
					wrt = wr.next()
					o = wrt.op
				default:
					o = table[rng.IntN(len(table))].op()
				}
				t0 := time.Now()
				r := cl.do(loadCtx, o, &buf)
				lat := time.Since(t0)
				if ctx.Err() != nil {
					return // interrupted: not the server's fault
				}
				if wrt != nil {
					r = wr.judgeRetry(o, r)
				}
				s, c := st, &cnt
				if t0.Before(start) {
					s, c = wst, &warmCnt
				}
				s.record(o, r, lat)
				c.reqs.Add(1)
				cnt.h.add(lat)
				if r.kind != "OK" {
					c.errs.Add(1)
					if wrt != nil {
						wr.failed = true
					}
					continue
				}
				if wrt != nil {
					wr.failed = false
					wrt.ack()
					verify = wrt.verify()
				}
			}
		}()
	}
	sampler := make(chan struct{})
	go func() {
		defer close(sampler)
		// A sample every -sample from the start of the measured load (in the warm-up too, at
		// the same phase). Its burst of readings takes 2 s and ends at the sample's time; a
		// last one ends 1 s before the deadline, unless a sample falls close to it.
		const burst = 2 * time.Second
		sampleNow := func() {
			phase, c := "load", &cnt
			if time.Now().Before(start) {
				phase, c = "warmup", &warmCnt
			}
			s := takeSample(phase)
			p50, p99, _ := cnt.h.drain()
			printSample(s, c, p50, p99)
		}
		wait := func(at time.Time) bool {
			select {
			case <-time.After(time.Until(at)):
				return true
			case <-loadCtx.Done():
				return false
			}
		}
		var lastAt time.Time
		for k := -int(cfg.warmup / cfg.sample); ; k++ {
			at := start.Add(time.Duration(k) * cfg.sample)
			if k == 0 || at.Add(-burst).Before(begin.Add(time.Second)) {
				continue
			}
			if deadline.Sub(at) < time.Second {
				break
			}
			if !wait(at.Add(-burst)) {
				return
			}
			sampleNow()
			lastAt = at
		}
		if final := deadline.Add(-time.Second); final.Sub(lastAt) > cfg.sample/4 && wait(final.Add(-burst)) {
			sampleNow()
		}
	}()
	wg.Wait()
	elapsed := time.Since(start)
	stopLoad()
	<-sampler
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("interrupted: %w", err)
	}
	end := takeSample("end")
	p50, p99, _ := cnt.h.drain()
	printSample(end, &cnt, p50, p99)

	// After the load: the client's idle connections closed, the server's goroutines should fall
	// back to what they were before it.
	cl.http.CloseIdleConnections()
	time.Sleep(3 * time.Second)
	after := takeSample("after")
	printSample(after, &cnt, 0, 0)
	fmt.Fprintln(out)

	// Everything written, read back.
	verr := verifyAll(ctx, cl, writers, out)

	total := newStats()
	for _, s := range all {
		total.merge(s)
	}
	warmTotal := newStats()
	for _, s := range warm {
		warmTotal.merge(s)
	}
	ok := report(out, cfg, total, warmTotal, setup, writers, samples, elapsed, verr)
	return ok, nil
}

// verifyAll reads back every live organization and its relation, and checks that every
// deleted organization and removed relation reads null.
func verifyAll(ctx context.Context, cl *client, writers []*writer, out io.Writer) error {
	// The ids go in variables, and the items are grouped by field, so that the read-back sends
	// a handful of distinct documents: the server caches parsed documents by their text.
	type item struct {
		field string // the GraphQL field, $v standing for the id's variable
		id    string
		check func(json.RawMessage) error
	}
	var items []item
	var nLive, nRel, nDeleted, nGone int
	for _, w := range writers {
		for _, l := range w.live {
			org := l.org
			nLive++
			items = append(items, item{`organization(id: $v) { id name description }`, org.ID, func(v json.RawMessage) error {
				var got *orgWant
				if err := json.Unmarshal(v, &got); err != nil {
					return err
				}
				if got == nil {
					return fmt.Errorf("organization %s reads null", org.ID)
				}
				return org.same(*got)
			}})
			if l.rel.ID != "" {
				rel := l.rel
				nRel++
				items = append(items, item{`relation(id: $v) { id type status validFrom validTo note from { id } to { id } }`, rel.ID, func(v json.RawMessage) error {
					var got *relWant
					if err := json.Unmarshal(v, &got); err != nil {
						return err
					}
					if got == nil {
						return fmt.Errorf("relation %s reads null", rel.ID)
					}
					return rel.same(*got)
				}})
			}
		}
		isNull := func(what string) func(json.RawMessage) error {
			return func(v json.RawMessage) error {
				if string(v) != "null" {
					return fmt.Errorf("%s still reads %s", what, benchkit.Truncate(string(v), 200))
				}
				return nil
			}
		}
		for _, id := range w.deleted {
			nDeleted++
			items = append(items, item{`entity(id: $v) { id }`, id, isNull("deleted entity " + id)})
		}
		for _, id := range w.gone {
			nGone++
			items = append(items, item{`relation(id: $v) { id }`, id, isNull("removed relation " + id)})
		}
	}
	slices.SortStableFunc(items, func(a, b item) int { return strings.Compare(a.field, b.field) })
	var bad []string
	var buf bytes.Buffer
	const batch = 50 // 11 fields per relation: 550, within the server's 1000
	for i := 0; i < len(items); i += batch {
		part := items[i:min(i+batch, len(items))]
		var params, sel strings.Builder
		vars := map[string]any{}
		for j, it := range part {
			v := "$v" + strconv.Itoa(j)
			if j > 0 {
				params.WriteString(", ")
			}
			params.WriteString(v + ": ID!")
			fmt.Fprintf(&sel, " i%d: %s", j, strings.ReplaceAll(it.field, "$v", v))
			vars[v[1:]] = it.id
		}
		q := "query SoakVerifyAll(" + params.String() + ") {" + sel.String() + " }"
		var data json.RawMessage
		o := &op{name: "verify all", class: classVerify, body: gql(q, vars), check: func(d json.RawMessage) error { data = d; return nil }}
		if r := cl.do(ctx, o, &buf); r.kind != "OK" {
			return fmt.Errorf("final read-back failed: %s: %s", r.kind, r.detail)
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(data, &fields); err != nil {
			return fmt.Errorf("final read-back: %w", err)
		}
		for j, it := range part {
			if err := it.check(fields["i"+strconv.Itoa(j)]); err != nil {
				bad = append(bad, err.Error())
			}
		}
	}
	fmt.Fprintf(out, "== read-back of everything written: %d live organizations, %d relations to anchors, %d deleted organizations, %d removed relations: %d wrong\n",
		nLive, nRel, nDeleted, nGone, len(bad))
	for _, b := range bad[:min(len(bad), 10)] {
		fmt.Fprintln(out, "  ", b)
	}
	if len(bad) > 0 {
		return fmt.Errorf("%d written items did not read back as written", len(bad))
	}
	return nil
}

func report(out io.Writer, cfg config, total, warm, setup *stats, writers []*writer, samples []sample, elapsed time.Duration, verr error) bool {
	ok := true
	var failures []string

	fmt.Fprintf(out, "\n== requests over %.1f s, %d connections\n", elapsed.Seconds(), cfg.conns)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "operation\tclass\trequests\terrors\treq/s\tp50 ms\tp99 ms\tmax ms\t")
	byClass := map[string][]time.Duration{}
	errsByClass := map[string]int{}
	var everything []time.Duration
	nerr := 0
	names := slices.Sorted(maps.Keys(total.lat))
	slices.SortStableFunc(names, func(a, b string) int {
		order := map[string]int{classRead: 0, classWrite: 1, classVerify: 2}
		return order[total.class[a]] - order[total.class[b]]
	})
	for _, name := range names {
		lat := total.lat[name]
		slices.Sort(lat)
		e := 0
		for k, n := range total.kinds[name] {
			if k != "OK" {
				e += n
			}
		}
		c := total.class[name]
		byClass[c] = append(byClass[c], lat...)
		errsByClass[c] += e
		everything = append(everything, lat...)
		nerr += e
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.1f\t%s\t%s\t%s\t\n", name, c, len(lat), e, float64(len(lat))/elapsed.Seconds(),
			ms(benchkit.Percentile(lat, 0.5)), ms(benchkit.Percentile(lat, 0.99)), ms(benchkit.Percentile(lat, 1)))
	}
	for _, c := range []string{classRead, classWrite, classVerify} {
		lat := byClass[c]
		slices.Sort(lat)
		fmt.Fprintf(tw, "all %ss\t\t%d\t%d\t%.1f\t%s\t%s\t%s\t\n", c, len(lat), errsByClass[c], float64(len(lat))/elapsed.Seconds(),
			ms(benchkit.Percentile(lat, 0.5)), ms(benchkit.Percentile(lat, 0.99)), ms(benchkit.Percentile(lat, 1)))
	}
	slices.Sort(everything)
	fmt.Fprintf(tw, "overall\t\t%d\t%d\t%.1f\t%s\t%s\t%s\t\n", len(everything), nerr, float64(len(everything))/elapsed.Seconds(),
		ms(benchkit.Percentile(everything, 0.5)), ms(benchkit.Percentile(everything, 0.99)), ms(benchkit.Percentile(everything, 1)))
	_ = tw.Flush()
	if n := len(everything); n > 0 {
		fmt.Fprintf(out, "mix: %.1f%% reads, %.1f%% writes, %.1f%% read-your-write checks; plus %d setup writes before the load\n",
			100*float64(len(byClass[classRead]))/float64(n), 100*float64(len(byClass[classWrite]))/float64(n),
			100*float64(len(byClass[classVerify]))/float64(n), len(setup.lat["upsertSource"])+len(setup.lat["upsertOrganization"]))
	}
	acked := map[string]int{}
	for _, w := range writers {
		for k, n := range w.acked {
			acked[k] += n
		}
	}
	if len(acked) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(acked)) {
			parts = append(parts, fmt.Sprintf("%s %d", k, acked[k]))
		}
		fmt.Fprintf(out, "acknowledged writes: %s\n", strings.Join(parts, ", "))
	}

	kinds := map[string]int{}
	for _, m := range total.kinds {
		for k, n := range m {
			kinds[k] += n
		}
	}
	fmt.Fprint(out, "outcomes:")
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		fmt.Fprintf(out, " %s %d;", k, kinds[k])
	}
	fmt.Fprintln(out)
	if len(total.codes) > 0 {
		fmt.Fprint(out, "GraphQL error codes (every error of every answer):")
		for _, k := range slices.Sorted(maps.Keys(total.codes)) {
			fmt.Fprintf(out, " %s %d;", k, total.codes[k])
		}
		fmt.Fprintln(out)
	}
	for _, k := range slices.Sorted(maps.Keys(total.samples)) {
		for _, d := range total.samples[k] {
			fmt.Fprintf(out, "  %s: %s\n", k, benchkit.Truncate(d, 1500))
		}
	}
	if nerr > 0 {
		failures = append(failures, fmt.Sprintf("%d requests failed", nerr))
	}
	retried := 0
	for _, w := range writers {
		retried += w.retriedGone
	}
	if retried > 0 {
		fmt.Fprintf(out, "removals asked again after a failed attempt and answered NOT_FOUND (the failed attempt had removed the item; counted OK): %d\n", retried)
	}
	warmNote := ""
	if cfg.warmup > 0 {
		n, e := 0, 0
		kinds := map[string]int{}
		for _, m := range warm.kinds {
			for k, c := range m {
				n += c
				if k != "OK" {
					e += c
					kinds[k] += c
				}
			}
		}
		fmt.Fprintf(out, "warm-up before the measured load (%s, connections opened one after another over its first half; not in the figures above): %d requests, %d failed", cfg.warmup, n, e)
		for _, k := range slices.Sorted(maps.Keys(kinds)) {
			fmt.Fprintf(out, "; %s %d", k, kinds[k])
		}
		fmt.Fprintln(out)
		for _, k := range slices.Sorted(maps.Keys(warm.samples)) {
			for _, d := range warm.samples[k] {
				fmt.Fprintf(out, "  warm-up %s: %s\n", k, benchkit.Truncate(d, 700))
			}
		}
		if e > 0 {
			warmNote = fmt.Sprintf("; %d requests failed during the warm-up, see above", e)
		}
	}

	// The server's own count of errors, over the load.
	var first, lastS *sample
	for i := range samples {
		if samples[i].err == nil {
			if first == nil {
				first = &samples[i]
			}
			lastS = &samples[i]
		}
	}
	if first != nil {
		codes := map[string]bool{}
		for k := range first.errors {
			codes[k] = true
		}
		for k := range lastS.errors {
			codes[k] = true
		}
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(codes)) {
			if d := lastS.errors[k] - first.errors[k]; d != 0 {
				parts = append(parts, fmt.Sprintf("%s %.0f", k, d))
			}
		}
		if len(parts) == 0 {
			parts = []string{"none"}
		}
		fmt.Fprintf(out, "server's autograph_graphql_errors_total over the soak: %s\n", strings.Join(parts, ", "))
	}

	// Memory and goroutines.
	var load []sample
	var before, after *sample
	for i, s := range samples {
		if s.err != nil {
			failures = append(failures, fmt.Sprintf("reading /metrics at %.0f s: %v", s.at.Seconds(), s.err))
			continue
		}
		switch s.phase {
		case "load":
			load = append(load, s)
		case "before":
			before = &samples[i]
		case "after":
			after = &samples[i]
		}
	}
	if len(load) == 0 {
		failures = append(failures, "no metrics sample during the load")
		load = []sample{{v: map[string]float64{}}}
	}
	winStart := max(elapsed-cfg.window, 0)
	if cfg.window > elapsed {
		winStart = 0
	}
	fmt.Fprintf(out, "\n== server metrics over the load (%d samples every %s); flatness over the last %s (from %.0f s): the least-squares line's change over the window, in %% of the window's mean (flat if within ±%.0f%% for the heap, ±%.0f%% for goroutines)\n",
		len(load), cfg.sample, min(cfg.window, elapsed).Round(time.Second), winStart.Seconds(), cfg.tol, cfg.gtol)
	tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "metric\tbefore\tfirst\tlast\tmin\tmax\twindow mean\tfitted change\tchange %\twindow max-min %\tverdict\t")
	for _, m := range []struct {
		key, label string
		bytes      bool
		gate       bool
		tol        float64
	}{
		{"heap_inuse", "heap in use (MiB)", true, true, cfg.tol},
		{"heap_live", "heap live~ next_gc/(1+GOGC/100) (MiB)", true, false, cfg.tol},
		{"heap_alloc", "heap allocated (MiB)", true, false, cfg.tol},
		{"goroutines", "goroutines", false, true, cfg.gtol},
		{"inflight", "GraphQL requests in flight", false, false, cfg.gtol},
		{"threads", "OS threads", false, false, cfg.gtol},
		{"rss", "RSS (MiB)", true, false, cfg.tol},
		{"fds", "open fds", false, false, cfg.gtol},
	} {
		f := num
		if m.bytes {
			f = mib
		}
		var xs, ys []float64
		lo, hi := math.Inf(1), math.Inf(-1)
		wlo, whi := math.Inf(1), math.Inf(-1)
		for _, s := range load {
			v := s.get(m.key)
			if math.IsNaN(v) {
				continue
			}
			lo, hi = min(lo, v), max(hi, v)
			if s.at >= winStart {
				xs = append(xs, s.at.Seconds())
				ys = append(ys, v)
				wlo, whi = min(wlo, v), max(whi, v)
			}
		}
		if len(ys) == 0 {
			continue
		}
		bv := math.NaN()
		if before != nil {
			bv = before.get(m.key)
		}
		verdict := "n/a (fewer than 3 samples)"
		change, pct, rng := math.NaN(), math.NaN(), math.NaN()
		if len(ys) >= 3 {
			slope, mean := fit(xs, ys)
			change = slope * (xs[len(xs)-1] - xs[0])
			pct = 100 * change / mean
			rng = 100 * (whi - wlo) / mean
			verdict = "flat"
			if math.Abs(pct) > m.tol {
				verdict = "NOT FLAT"
				if m.gate {
					failures = append(failures, fmt.Sprintf("%s not flat: %+.1f%% over the last %s", m.label, pct, cfg.window))
				}
			}
			if !m.gate {
				verdict += " (not gated)"
			}
		} else if m.gate && !slices.Contains(failures, tooFew) {
			failures = append(failures, tooFew)
		}
		changeS := f(change)
		if !math.IsNaN(change) && change >= 0 {
			changeS = "+" + changeS
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", m.label, f(bv), f(load[0].get(m.key)), f(load[len(load)-1].get(m.key)),
			f(lo), f(hi), f(meanOf(ys)), changeS, pctS(pct, true), pctS(rng, false), verdict)
	}
	_ = tw.Flush()
	if before != nil && after != nil {
		fmt.Fprintf(out, "goroutines before the load %s, 3 s after it (client connections closed) %s\n", num(before.get("goroutines")), num(after.get("goroutines")))
		if after.get("goroutines") > before.get("goroutines")+10 {
			failures = append(failures, fmt.Sprintf("goroutines did not fall back after the load: %s before, %s after", num(before.get("goroutines")), num(after.get("goroutines"))))
		}
	}

	if verr != nil {
		failures = append(failures, verr.Error())
	}
	fmt.Fprintln(out)
	if len(failures) > 0 {
		ok = false
		fmt.Fprintln(out, "RESULT: FAIL")
		for _, f := range failures {
			fmt.Fprintln(out, "  -", f)
		}
	} else {
		fmt.Fprintf(out, "RESULT: PASS (no failed request, every write read back, heap and goroutines flat%s)\n", warmNote)
	}
	return ok
}

const tooFew = "too few samples in the window to judge flatness (a shorter -sample, or a longer -window?)"

func pctS(v float64, sign bool) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case sign && v >= 0:
		return "+" + strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func meanOf(ys []float64) float64 {
	var s float64
	for _, y := range ys {
		s += y
	}
	return s / float64(len(ys))
}

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 1, 64) }
