// Command neo4jcompare asks autograph (on Neo4j) and the Neo4j GraphQL Library (the peer in
// peer/, under Apollo Server) the same questions about the same Neo4j graph, checks that each
// pair of answers states the same facts, then times both: the p50 latency on one connection
// and the throughput on -c connections (16), with the CPU each server and Neo4j spent per
// request when their pids are given. bench/neo4jcompare/run.sh starts Neo4j, loads a dataset
// through autograph, starts both servers and runs this command.
//
// Usage:
//
//	neo4jcompare -autograph http://127.0.0.1:8080 -peer http://127.0.0.1:4000 [-pids autograph=P,peer=P,neo4j=P]
//	neo4jcompare reset      deletes every node of the database NEO4J_URI names (loopback only)
//	neo4jcompare load [-batch N] [-again] ENTITIES
//	                        imports the seed and a synthetic dataset into it through the
//	                        store's Import and prints how long each took
//
// With NEO4J_URI set (and NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE) it reads the graph's
// size and picks the group with the most models for the "large group" question; without it,
// -large names that group. A pair of answers that disagree is printed in full as a MISMATCH,
// and the command exits with status 1 after its table, as it does when any request fails. It
// prints figures and asserts nothing about them.
package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/bench/benchkit"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch {
	case len(os.Args) > 1 && os.Args[1] == "reset":
		err = reset(ctx, os.Stdout)
	case len(os.Args) > 1 && os.Args[1] == "load":
		err = load(ctx, os.Args[2:], os.Stdout)
	default:
		err = run(ctx, os.Args[1:], os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "neo4jcompare:", err)
		os.Exit(1)
	}
}

// config is what the flags say.
type config struct {
	auto, peer *url.URL
	conns      int
	duration   time.Duration // the -c connections run
	single     time.Duration // the one-connection run
	warmup     time.Duration
	prewarm    time.Duration // every question on both servers before any is measured
	maxReqs    int64
	timeout    time.Duration
	org        string
	large      string
	assembler  string
	fragment   string
	label      string
	only       []string
	pids       map[string]int
}

func parseFlags(args []string, out io.Writer) (config, error) {
	fs := flag.NewFlagSet("neo4jcompare", flag.ContinueOnError)
	fs.SetOutput(out)
	var c config
	autoURL := fs.String("autograph", "", "base URL of autograph on Neo4j (loopback only)")
	peerURL := fs.String("peer", "", "base URL of the peer, the Neo4j GraphQL Library (loopback only)")
	fs.IntVar(&c.conns, "c", 16, "connections of the throughput run")
	fs.DurationVar(&c.duration, "d", 10*time.Second, "measured duration of the throughput run, per question and server")
	fs.DurationVar(&c.single, "d1", 5*time.Second, "measured duration of the one-connection run, per question and server")
	fs.DurationVar(&c.warmup, "warmup", time.Second, "unmeasured load before each throughput run")
	fs.DurationVar(&c.prewarm, "prewarm", 2*time.Second, "unmeasured load of every question on both servers, before the first question is measured, so that neither pays Neo4j's warm-up (query plans, JIT) for the other")
	fs.Int64Var(&c.maxReqs, "n", 5_000_000, "most requests in one run")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Second, "deadline of one request")
	fs.StringVar(&c.org, "org", "baic-group", "organization of the brands, joint ventures and models questions")
	fs.StringVar(&c.large, "large", "", "the large group (default: with NEO4J_URI, the organization with the most brand models)")
	fs.StringVar(&c.assembler, "assembler", "avtotor", "organization of the assembly, asOf and neighbourhood questions")
	fs.StringVar(&c.fragment, "fragment", "bai", "name fragment of the search question (normalised: lower case, no accents)")
	fs.StringVar(&c.label, "label", "", "the dataset's name, for the header")
	only := fs.String("only", "", "comma-separated question names to ask (default all)")
	pids := fs.String("pids", "", "comma-separated name=pid of autograph, peer and neo4j, for CPU per request")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var err error
	if c.auto, err = benchkit.LoopbackURL(*autoURL, "neo4jcompare"); err != nil {
		return c, fmt.Errorf("-autograph: %w", err)
	}
	if c.peer, err = benchkit.LoopbackURL(*peerURL, "neo4jcompare"); err != nil {
		return c, fmt.Errorf("-peer: %w", err)
	}
	for _, n := range strings.Split(*only, ",") {
		if n = strings.TrimSpace(n); n != "" {
			c.only = append(c.only, n)
		}
	}
	c.pids = map[string]int{}
	for _, kv := range strings.Split(*pids, ",") {
		if kv = strings.TrimSpace(kv); kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n <= 0 || !slices.Contains([]string{"autograph", "peer", "neo4j"}, k) {
			return c, fmt.Errorf("-pids %q: want autograph=PID, peer=PID or neo4j=PID", kv)
		}
		c.pids[k] = n
	}
	switch {
	case c.conns < 1 || c.conns > 1024:
		return c, fmt.Errorf("-c %d: want 1 to 1024 connections", c.conns)
	case c.duration <= 0 || c.single <= 0 || c.duration > time.Hour || c.single > time.Hour:
		return c, fmt.Errorf("-d and -d1: want positive durations of at most 1h")
	case c.warmup < 0:
		return c, fmt.Errorf("-warmup %s: want 0 or more", c.warmup)
	case c.prewarm < 0:
		return c, fmt.Errorf("-prewarm %s: want 0 or more", c.prewarm)
	case c.maxReqs < 1:
		return c, fmt.Errorf("-n %d: want at least 1", c.maxReqs)
	}
	return c, nil
}

// side is one server's figures for one question.
type side struct {
	p50one        time.Duration // one connection
	rate          float64       // -c connections
	p50, p99      time.Duration // -c connections
	cpu, neo4jCPU time.Duration // per request over the -c run; -1 unknown
	errors        int
	firstErr      string
}

// row is one question's line of the table.
type row struct {
	q          question
	facts      int
	mismatch   string
	auto, peer side
}

func run(ctx context.Context, args []string, out io.Writer) error {
	cfg, err := parseFlags(args, out)
	if err != nil {
		return err
	}
	graph := ""
	if os.Getenv("NEO4J_URI") != "" {
		g, large, err := inspect(ctx)
		if err != nil {
			return err
		}
		graph = g
		cfg.large = cmp.Or(cfg.large, large)
	}
	if cfg.large == "" {
		return errors.New("-large: name the large group, or set NEO4J_URI so it can be found")
	}
	qs := questions(cfg.org, cfg.large, cfg.assembler, cfg.fragment)
	if len(cfg.only) > 0 {
		qs = slices.DeleteFunc(qs, func(q question) bool { return !slices.Contains(cfg.only, q.name) })
		if len(qs) == 0 {
			return fmt.Errorf("-only %s: no such question", strings.Join(cfg.only, ","))
		}
	}
	fmt.Fprintf(out, "neo4jcompare: %s\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(out, "machine: %s\n", benchkit.Machine())
	if cfg.label != "" {
		fmt.Fprintf(out, "dataset: %s\n", cfg.label)
	}
	if graph != "" {
		fmt.Fprintf(out, "graph in Neo4j: %s\n", graph)
	}
	fmt.Fprintf(out, "autograph %s, peer %s; every question on both for %s first, unmeasured; then one connection for %s, then %d connections for %s after %s warm-up, per question and server\n",
		cfg.auto, cfg.peer, cfg.prewarm, cfg.single, cfg.conns, cfg.duration, cfg.warmup)
	fmt.Fprintf(out, "load average at the start: %s\n\n", benchkit.LoadAvg())

	auto := benchkit.NewTarget("autograph", cfg.auto.JoinPath("query").String(), cfg.conns, cfg.timeout)
	peer := benchkit.NewTarget("peer", cfg.peer.JoinPath("query").String(), cfg.conns, cfg.timeout)
	if cfg.prewarm > 0 {
		for _, q := range qs {
			for _, side := range []struct {
				t     *benchkit.Target
				query string
			}{{auto, q.autoQ}, {peer, q.peerQ}} {
				load := []benchkit.Question{{Name: side.t.Name, Weight: 1, Body: benchkit.RequestBody(side.query, q.vars)}}
				benchkit.RunLoad(ctx, side.t, load, cfg.conns, cfg.prewarm, cfg.maxReqs, false)
			}
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("interrupted: %w", err)
		}
	}
	var rows []row
	for _, q := range qs {
		r := row{q: q}
		facts, err := agree(ctx, auto, peer, q)
		if err != nil {
			r.mismatch = err.Error()
			fmt.Fprintf(out, "!!! MISMATCH in %s (%s):\n%s\n\n", q.name, q.what, err)
		}
		r.facts = len(facts)
		r.auto = measure(ctx, cfg, auto, q.autoQ, q.vars, cfg.pids["autograph"])
		r.peer = measure(ctx, cfg, peer, q.peerQ, q.vars, cfg.pids["peer"])
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("interrupted: %w", err)
		}
		rows = append(rows, r)
	}
	fmt.Fprintf(out, "load average at the end: %s\n\n", benchkit.LoadAvg())
	return report(out, cfg, rows)
}

// agree asks both servers q once and compares the facts of their answers.
func agree(ctx context.Context, auto, peer *benchkit.Target, q question) ([]string, error) {
	ask := func(t *benchkit.Target, query string, facts func(json.RawMessage) ([]string, error)) ([]string, error) {
		var buf bytes.Buffer
		if err := t.Do(ctx, benchkit.RequestBody(query, q.vars), &buf); err != nil {
			return nil, fmt.Errorf("%s: %w\n%s", t.Name, err, benchkit.Truncate(buf.String(), 2000))
		}
		f, err := facts(buf.Bytes())
		if err != nil {
			return nil, fmt.Errorf("%s: %w\n%s", t.Name, err, benchkit.Truncate(buf.String(), 2000))
		}
		return f, nil
	}
	a, err := ask(auto, q.autoQ, q.autoFact)
	if err != nil {
		return nil, err
	}
	p, err := ask(peer, q.peerQ, q.peerFact)
	if err != nil {
		return a, err
	}
	if len(a) == 0 {
		return a, errors.New("autograph's answer holds no facts: the question would compare nothing")
	}
	if !slices.Equal(a, p) {
		var b strings.Builder
		onlyIn := func(name string, x, y []string) {
			for _, f := range x {
				if !slices.Contains(y, f) {
					fmt.Fprintf(&b, "  only %s: %s\n", name, f)
				}
			}
		}
		onlyIn("autograph", a, p)
		onlyIn("peer", p, a)
		if b.Len() == 0 {
			b.WriteString("  the same facts in another order\n")
		}
		return a, fmt.Errorf("autograph states %d facts, the peer %d:\n%s", len(a), len(p), b.String())
	}
	return a, nil
}

// measure times one server on one question: one connection, then cfg.conns connections
// with the CPU of the server (pid) and of Neo4j read around the second run.
func measure(ctx context.Context, cfg config, t *benchkit.Target, query string, vars map[string]any, pid int) side {
	qs := []benchkit.Question{{Name: t.Name, Weight: 1, Body: benchkit.RequestBody(query, vars)}}
	s := side{cpu: -1, neo4jCPU: -1}
	note := func(r *benchkit.Result) {
		s.errors += r.TotalErrors()
		for _, msg := range r.Sample {
			s.firstErr = cmp.Or(s.firstErr, msg)
		}
	}
	one := benchkit.RunLoad(ctx, t, qs, 1, cfg.single, cfg.maxReqs, true)
	note(one)
	s.p50one = benchkit.Percentile(one.All(), 0.5)
	if cfg.warmup > 0 {
		benchkit.RunLoad(ctx, t, qs, cfg.conns, cfg.warmup, cfg.maxReqs, false)
	}
	cpu := func(pid int) (time.Duration, bool) {
		if pid == 0 {
			return 0, false
		}
		d, err := benchkit.ProcCPU(pid)
		return d, err == nil
	}
	c0, okC0 := cpu(pid)
	n0, okN0 := cpu(cfg.pids["neo4j"])
	many := benchkit.RunLoad(ctx, t, qs, cfg.conns, cfg.duration, cfg.maxReqs, true)
	c1, okC1 := cpu(pid)
	n1, okN1 := cpu(cfg.pids["neo4j"])
	note(many)
	all := many.All()
	s.rate, s.p50, s.p99 = many.Rate(), benchkit.Percentile(all, 0.5), benchkit.Percentile(all, 0.99)
	if n := time.Duration(len(all)); n > 0 {
		if okC0 && okC1 {
			s.cpu = (c1 - c0) / n
		}
		if okN0 && okN1 {
			s.neo4jCPU = (n1 - n0) / n
		}
	}
	return s
}

func report(out io.Writer, cfg config, rows []row) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "question\tfacts\tagree\tp50 1c autograph\tp50 1c peer\treq/s %dc autograph\treq/s %dc peer\tautograph/peer\tp99 %dc autograph\tp99 %dc peer\tCPU ms/req autograph+neo4j\tCPU ms/req peer+neo4j\terrors\t\n",
		cfg.conns, cfg.conns, cfg.conns, cfg.conns)
	ms := func(d time.Duration) string {
		if d < 0 {
			return "n/a"
		}
		return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64)
	}
	cpu := func(s side) string { return ms(s.cpu) + "+" + ms(s.neo4jCPU) }
	failed, mismatches := 0, 0
	for _, r := range rows {
		agree := "yes"
		if r.mismatch != "" {
			agree, mismatches = "NO", mismatches+1
		}
		ratio := "n/a"
		if r.peer.rate > 0 {
			ratio = strconv.FormatFloat(r.auto.rate/r.peer.rate, 'f', 2, 64)
		}
		errs := r.auto.errors + r.peer.errors
		failed += errs
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%.0f\t%.0f\t%s\t%s\t%s\t%s\t%s\t%d\t\n", r.q.name, r.facts, agree,
			ms(r.auto.p50one), ms(r.peer.p50one), r.auto.rate, r.peer.rate, ratio, ms(r.auto.p99), ms(r.peer.p99),
			cpu(r.auto), cpu(r.peer), errs)
	}
	_ = tw.Flush()
	fmt.Fprintln(out)
	fmt.Fprintln(out, "questions (latencies in ms):")
	for _, r := range rows {
		fmt.Fprintf(out, "  %-13s %s\n", r.q.name, r.q.what)
	}
	for _, r := range rows {
		for name, s := range map[string]side{"autograph": r.auto, "peer": r.peer} {
			if s.firstErr != "" {
				fmt.Fprintf(out, "errors in %s, %s: %s\n", r.q.name, name, benchkit.Truncate(s.firstErr, 400))
			}
		}
	}
	fmt.Fprintln(out)
	switch {
	case mismatches > 0 && failed > 0:
		return fmt.Errorf("%d questions got different facts from the two servers, and %d requests failed", mismatches, failed)
	case mismatches > 0:
		return fmt.Errorf("%d questions got different facts from the two servers (see MISMATCH above)", mismatches)
	case failed > 0:
		return fmt.Errorf("%d requests failed", failed)
	}
	return nil
}

// neo4jConn opens the database that NEO4J_URI names, refusing anything but loopback: reset
// deletes every node.
func neo4jConn(ctx context.Context) (neo4j.DriverWithContext, string, error) {
	uri := os.Getenv("NEO4J_URI")
	u, err := url.Parse(uri)
	if err != nil || uri == "" {
		return nil, "", fmt.Errorf("NEO4J_URI=%q: want a bolt:// or neo4j:// URL", uri)
	}
	switch u.Hostname() {
	case "127.0.0.1", "localhost", "::1":
	default:
		return nil, "", fmt.Errorf("NEO4J_URI=%q: neo4jcompare only uses a Neo4j on this machine's loopback interface", uri)
	}
	d, err := neo4j.NewDriverWithContext(uri, neo4j.BasicAuth(os.Getenv("NEO4J_USERNAME"), os.Getenv("NEO4J_PASSWORD"), ""))
	if err != nil {
		return nil, "", fmt.Errorf("neo4j: %w", err)
	}
	if err := d.VerifyConnectivity(ctx); err != nil {
		return nil, "", errors.Join(fmt.Errorf("neo4j: %w", err), d.Close(ctx))
	}
	return d, cmp.Or(os.Getenv("NEO4J_DATABASE"), "neo4j"), nil
}

// inspect reads the graph's size and the organization with the most brand models.
func inspect(ctx context.Context) (string, string, error) {
	d, db, err := neo4jConn(ctx)
	if err != nil {
		return "", "", err
	}
	defer d.Close(ctx)
	res, err := neo4j.ExecuteQuery(ctx, d, `
CALL () { MATCH (n:Entity) RETURN count(n) AS entities }
CALL () { MATCH (:Entity)-[r]->(:Entity) RETURN count(r) AS relations }
CALL () {
  MATCH (o:Organization)-[:OWNS_BRAND]->(:Brand)-[:HAS_MODEL]->(m:VehicleModel)
  RETURN o.id AS large, count(m) AS models ORDER BY models DESC, large LIMIT 1
}
RETURN entities, relations, large, models`, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(db), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return "", "", fmt.Errorf("neo4j: reading the graph's size: %w", err)
	}
	if len(res.Records) != 1 {
		return "", "", errors.New("neo4j: the graph has no organization with brand models")
	}
	rec := res.Records[0]
	ents, _, err1 := neo4j.GetRecordValue[int64](rec, "entities")
	rels, _, err2 := neo4j.GetRecordValue[int64](rec, "relations")
	large, _, err3 := neo4j.GetRecordValue[string](rec, "large")
	models, _, err4 := neo4j.GetRecordValue[int64](rec, "models")
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return "", "", fmt.Errorf("neo4j: %w", err)
	}
	return fmt.Sprintf("%d entities, %d relations; the group with the most models is %s (%d)", ents, rels, large, models), large, nil
}

// reset deletes every node and relationship of the database, in batches, so the next
// dataset starts from an empty graph (constraints and indexes stay).
func reset(ctx context.Context, out io.Writer) error {
	d, db, err := neo4jConn(ctx)
	if err != nil {
		return err
	}
	defer d.Close(ctx)
	s := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db})
	defer s.Close(ctx)
	// CALL { } IN TRANSACTIONS needs an implicit (auto-commit) transaction: Run, not a
	// managed one.
	r, err := s.Run(ctx, `MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS`, nil)
	if err == nil {
		_, err = r.Consume(ctx)
	}
	if err != nil {
		return fmt.Errorf("neo4j: deleting the graph: %w", err)
	}
	fmt.Fprintf(out, "neo4jcompare: database %s is empty\n", db)
	return nil
}
