// Command embedded measures the embedded store's data directory at scale, with the real server
// process: the first start that imports a synthetic dataset into an empty data directory, the
// restarts that read it back, a SIGTERM during the import, and latency at a fixed number of
// connections on the loaded server. It prints figures and asserts nothing about speed.
//
// It runs a server binary built with -tags synth (bench/embedded/run.sh builds one):
//
//	go build -tags synth -o /tmp/ag . && go run ./bench/embedded -server /tmp/ag -n 1000000
//
// Phases (-phases, comma-separated, in this order):
//
//	import   a fresh data directory, KG_SYNTHETIC_ENTITIES=n: time from process start to
//	         /readyz, RSS when ready, peak RSS (VmHWM), time to exit after SIGTERM
//	restart  the same directory without KG_SYNTHETIC_ENTITIES, -restarts times: the same figures
//	cancel   a second fresh directory: SIGTERM after each of -cancel-after into the import,
//	         time to exit, then a start on that directory that must answer, and what it holds
//	load     the server on the imported directory; -c connections, each question alone for -d
//	         after -warmup: req/s, p50, p99, errors
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/autograph-kg/autograph/bench/benchkit"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed/synth"
)

type config struct {
	server      string
	n           int
	dir         string
	phases      map[string]bool
	restarts    int
	cancelAfter []time.Duration
	conns       int
	d, warmup   time.Duration
	serverCPU   string
	readyWait   time.Duration
	keep        bool
	memory      bool
}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "embedded:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	var c config
	fs := flag.NewFlagSet("embedded", flag.ContinueOnError)
	fs.StringVar(&c.server, "server", "", "server binary built with -tags synth (required)")
	fs.IntVar(&c.n, "n", 1_000_000, "synthetic entities")
	fs.StringVar(&c.dir, "dir", "", "work directory for the data directories (default: a new temporary one, removed at the end)")
	phases := fs.String("phases", "import,restart,cancel,load", "phases to run, comma-separated")
	fs.IntVar(&c.restarts, "restarts", 3, "restarts measured in the restart phase")
	cancelAfter := fs.String("cancel-after", "2s,8s", "delays after process start at which the cancel phase sends SIGTERM, comma-separated")
	fs.IntVar(&c.conns, "c", 16, "connections in the load phase")
	fs.DurationVar(&c.d, "d", 20*time.Second, "measured duration of each question in the load phase")
	fs.DurationVar(&c.warmup, "warmup", 3*time.Second, "unmeasured load before each question")
	fs.StringVar(&c.serverCPU, "server-cpu", "", "CPU list to pin the server to (taskset -c); empty: unpinned")
	fs.DurationVar(&c.readyWait, "ready-timeout", 15*time.Minute, "longest wait for a server to become ready")
	fs.BoolVar(&c.keep, "keep", false, "keep the work directory")
	fs.BoolVar(&c.memory, "memory", false, "load phase: serve from memory (KG_DATA_DIR=:memory:) with the synthetic dataset imported at start, instead of the imported data directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.server == "" {
		return errors.New("-server is required")
	}
	c.phases = map[string]bool{}
	for _, p := range strings.Split(*phases, ",") {
		c.phases[strings.TrimSpace(p)] = true
	}
	for _, s := range strings.Split(*cancelAfter, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("-cancel-after: %w", err)
		}
		c.cancelAfter = append(c.cancelAfter, d)
	}
	if c.dir == "" {
		d, err := os.MkdirTemp("", "embedded-bench-")
		if err != nil {
			return err
		}
		c.dir = d
		if !c.keep {
			defer os.RemoveAll(d)
		}
	}
	fmt.Fprintf(out, "machine: %s\nserver: %s, %d synthetic entities, work dir %s, server CPUs %q\n", benchkit.Machine(), c.server, c.n, c.dir, c.serverCPU)
	data := filepath.Join(c.dir, "data")
	ctx := context.Background()

	if c.phases["import"] {
		if err := os.RemoveAll(data); err != nil {
			return err
		}
		fmt.Fprintf(out, "\n== import (load average %s)\n", benchkit.LoadAvg())
		p, err := c.start(ctx, data, true)
		if err != nil {
			return err
		}
		st, err := p.waitReady(c.readyWait)
		if err != nil {
			return errors.Join(err, p.kill())
		}
		fmt.Fprintf(out, "import: ready after %s (server CPU %s); RSS %s MiB, peak %s MiB; %s\n", secs(st.ready), secs(st.cpu), mib(st.rss), mib(st.peak), p.logTail())
		fmt.Fprintf(out, "import: %s (load average %s)\n", p.stop(), benchkit.LoadAvg())
	}
	if c.phases["restart"] {
		fmt.Fprintf(out, "\n== restart ×%d (load average %s)\n", c.restarts, benchkit.LoadAvg())
		for i := range c.restarts {
			p, err := c.start(ctx, data, false)
			if err != nil {
				return err
			}
			st, err := p.waitReady(c.readyWait)
			if err != nil {
				return errors.Join(err, p.kill())
			}
			fmt.Fprintf(out, "restart %d: ready after %s (server CPU %s); RSS %s MiB, peak %s MiB; %s; load average %s\n", i+1, secs(st.ready), secs(st.cpu), mib(st.rss), mib(st.peak), p.stop(), benchkit.LoadAvg())
		}
	}
	if c.phases["cancel"] {
		cdata := filepath.Join(c.dir, "cancel")
		fmt.Fprintf(out, "\n== SIGTERM during the import (load average %s)\n", benchkit.LoadAvg())
		for _, after := range c.cancelAfter {
			if err := os.RemoveAll(cdata); err != nil {
				return err
			}
			p, err := c.start(ctx, cdata, true)
			if err != nil {
				return err
			}
			time.Sleep(after)
			ready := p.isReady()
			fmt.Fprintf(out, "cancel at %s (ready already: %v): %s\n", after, ready, p.stop())
			// The directory must open, and hold the seed alone or the whole import.
			q, err := c.start(ctx, cdata, false)
			if err != nil {
				return err
			}
			st, err := q.waitReady(c.readyWait)
			if err != nil {
				return errors.Join(fmt.Errorf("the data directory does not open after the cancel: %w", err), q.kill())
			}
			counts, err := q.counts()
			fmt.Fprintf(out, "  reopened in %s: %s (err %v); %s\n", secs(st.ready), counts, err, q.stop())
		}
	}
	if c.phases["load"] {
		if err := c.load(ctx, out, data); err != nil {
			return err
		}
	}
	return nil
}

// proc is one server process.
type proc struct {
	cmd   *exec.Cmd
	url   string
	start time.Time
	log   *strings.Builder
	done  chan error
}

type readyStats struct {
	ready     time.Duration
	cpu       time.Duration // the server's user+system CPU time until ready
	rss, peak int64         // KiB
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (c *config) start(ctx context.Context, data string, synthetic bool) (*proc, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	argv := []string{c.server}
	if c.serverCPU != "" {
		argv = append([]string{"taskset", "-c", c.serverCPU}, argv...)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), "KG_DATA_DIR="+data, "PORT="+strconv.Itoa(port), "KG_LOG_LEVEL=info")
	if synthetic {
		cmd.Env = append(cmd.Env, "KG_SYNTHETIC_ENTITIES="+strconv.Itoa(c.n))
	}
	log := &strings.Builder{}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	p := &proc{cmd: cmd, url: fmt.Sprintf("http://127.0.0.1:%d", port), log: log, done: make(chan error, 1)}
	p.start = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	logged := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
		}
		close(logged)
	}()
	go func() { <-logged; p.done <- cmd.Wait() }()
	return p, nil
}

// probe is the client of the readiness checks: the server takes its port before it loads,
// so until it serves a request waits in the listen backlog, and a probe must give up soon.
var probe = &http.Client{Timeout: 250 * time.Millisecond}

func (p *proc) isReady() bool {
	resp, err := probe.Get(p.url + "/readyz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func (p *proc) waitReady(limit time.Duration) (readyStats, error) {
	deadline := time.Now().Add(limit)
	for !p.isReady() {
		select {
		case err := <-p.done:
			p.done <- err
			return readyStats{}, fmt.Errorf("the server exited during start-up (%v): %s", err, p.logTail())
		default:
		}
		if time.Now().After(deadline) {
			return readyStats{}, fmt.Errorf("the server was not ready after %s", limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
	st := readyStats{ready: time.Since(p.start)}
	st.rss, st.peak = memOf(p.cmd.Process.Pid)
	st.cpu, _ = benchkit.ProcCPU(p.cmd.Process.Pid)
	return st, nil
}

// memOf reads VmRSS and VmHWM (KiB) of a process.
func memOf(pid int) (rss, peak int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1, -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		v, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			rss = v
		case "VmHWM:":
			peak = v
		}
	}
	return rss, peak
}

// stop sends SIGTERM and says how the process ended and how long that took.
func (p *proc) stop() string {
	_, peak := memOf(p.cmd.Process.Pid)
	t0 := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return "SIGTERM failed: " + err.Error()
	}
	select {
	case err := <-p.done:
		status := "status 0"
		if err != nil {
			status = err.Error()
		}
		return fmt.Sprintf("exited (%s) %s after SIGTERM (peak RSS %s MiB)", status, secs(time.Since(t0)), mib(peak))
	case <-time.After(60 * time.Second):
		_ = p.kill()
		return "still running 60 s after SIGTERM: killed"
	}
}

func (p *proc) kill() error {
	_ = p.cmd.Process.Kill()
	<-p.done
	return nil
}

// logTail is the server's last log line that says how long a load took, if any.
func (p *proc) logTail() string {
	lines := strings.Split(strings.TrimSpace(p.log.String()), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], "seconds") {
			return "log: " + benchkit.Truncate(lines[i], 300)
		}
	}
	return "log: " + benchkit.Truncate(lines[len(lines)-1], 300)
}

// counts asks the server how many brands and relations it holds.
func (p *proc) counts() (string, error) {
	t := benchkit.NewTarget("count", p.url+"/query", 1, time.Minute)
	body := benchkit.RequestBody(`{ brands(first: 1) { totalCount } relations(first: 1) { totalCount } }`, nil)
	resp, err := t.Client.Post(t.URL, "application/json", strings.NewReader(string(body)))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var ans struct {
		Data struct {
			Brands    struct{ TotalCount int }
			Relations struct{ TotalCount int }
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d brands, %d relations", ans.Data.Brands.TotalCount, ans.Data.Relations.TotalCount), nil
}

// The questions of the load phase: the explorer's queries (bench/ladder's copies of
// web/static/assets/api.js) and a plain lookup.
const (
	qLookup = `query Lookup($id: ID!) { entity(id: $id) { id name kind } }`

	qRelations = `query ExplorerRelations($id: ID!, $asOf: Date, $after: String) {
  entity(id: $id) {
    id
    relations(asOf: $asOf, first: 20, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...RelationFields } }
    }
  }
}
fragment RelationFields on Relation {
  id type status validFrom validTo quantity note
  from { id name kind }
  to { id name kind }
  sources { ...SourceFields }
}
fragment SourceFields on Source { id title url publishedOn dateline publisher { id name } }`

	qRelationIDs = `query RelationIDs($id: ID!, $after: String) {
  entity(id: $id) { relations(first: 20, after: $after) { totalCount pageInfo { endCursor } edges { node { id } } } }
}`

	qNeighborhood = `query ExplorerNeighborhood($id: ID!, $depth: Int, $types: [RelationType!], $asOf: Date, $limit: Int) {
  neighborhood(id: $id, depth: $depth, types: $types, asOf: $asOf, limit: $limit) {
    truncated
    nodes { id name kind }
    relations { id type status validFrom validTo from { id } to { id } sources { id publisher { name } } }
  }
}`

	qSearch = `query ExplorerSearch($q: String!) {
  search(query: $q, first: 8) { score entity { id name kind aliases } }
}`
)

// rung is one question (or a few variants of it, sent at random) measured alone.
type rung struct {
	name string
	qs   []benchkit.Question
}

func q(name, query string, vars map[string]any) benchkit.Question {
	return benchkit.Question{Name: name, Weight: 1, Body: benchkit.RequestBody(query, vars)}
}

func (c *config) load(ctx context.Context, out io.Writer, data string) error {
	// The questions' ids come from the dataset the server imported: seed/synth is
	// deterministic, so generating it again gives the same ids.
	d := synth.Generate(c.n, 1)
	degree := map[string]int{}
	for _, r := range d.Relations {
		degree[r.FromID]++
		degree[r.ToID]++
	}
	ents := d.Entities()
	hub, hubDeg := "", 0
	for _, e := range ents {
		if n := degree[e.GetID()]; n > hubDeg || (n == hubDeg && e.GetID() < hub) {
			hub, hubDeg = e.GetID(), n
		}
	}
	var lookups []benchkit.Question
	for i := range 64 {
		lookups = append(lookups, q("lookup", qLookup, map[string]any{"id": ents[(i*7919)%len(ents)].GetID()}))
	}
	var searches []benchkit.Question
	seen := map[string]bool{}
	for i := 0; len(searches) < 8 && i < len(d.Brands); i += len(d.Brands) / 16 {
		p := model.Normalize(d.Brands[i].Name)
		if len(p) < 3 || seen[p[:3]] {
			continue
		}
		seen[p[:3]] = true
		searches = append(searches, q("search", qSearch, map[string]any{"q": p[:3]}))
	}
	d = nil
	fmt.Fprintf(out, "\n== load: %d connections, %s per question after %s warm-up; hub %s (degree %d)\n", c.conns, c.d, c.warmup, hub, hubDeg)

	if c.memory {
		data = ":memory:"
	}
	p, err := c.start(ctx, data, c.memory)
	if err != nil {
		return err
	}
	st, err := p.waitReady(c.readyWait)
	if err != nil {
		return errors.Join(err, p.kill())
	}
	fmt.Fprintf(out, "server ready after %s, RSS %s MiB\n", secs(st.ready), mib(st.rss))
	defer func() { fmt.Fprintf(out, "load: %s\n", p.stop()) }()

	// Pages 1, 2 and 5 of the hub's relations, through the cursors the server hands out.
	t := benchkit.NewTarget("autograph", p.url+"/query", c.conns, 30*time.Second)
	cursors := []any{nil}
	for len(cursors) < 5 {
		cur, err := endCursor(t, hub, cursors[len(cursors)-1])
		if err != nil {
			return err
		}
		cursors = append(cursors, cur)
	}
	var relPages, relIDPages []benchkit.Question
	for _, i := range []int{0, 1, 4} {
		relPages = append(relPages, q("relations", qRelations, map[string]any{"id": hub, "asOf": nil, "after": cursors[i]}))
		relIDPages = append(relIDPages, q("relation-ids", qRelationIDs, map[string]any{"id": hub, "after": cursors[i]}))
	}
	rungs := []rung{
		{"lookup (entity by id, 64 random ids)", lookups},
		{"relations page on the hub (explorer query, pages 1, 2, 5)", relPages},
		{"relations page on the hub (ids only, pages 1, 2, 5)", relIDPages},
		{"neighborhood depth 2 on the hub, limit 200 (explorer query)", []benchkit.Question{q("neighborhood", qNeighborhood, map[string]any{"id": hub, "depth": 2, "types": nil, "asOf": nil, "limit": 200})}},
		{"search, 3 letters (explorer query, " + strconv.Itoa(len(searches)) + " brand-name prefixes)", searches},
	}
	fmt.Fprintf(out, "%-64s %9s %9s %9s %9s %7s %s\n", "question", "req/s", "p50 ms", "p99 ms", "max ms", "errors", "load average")
	for _, r := range rungs {
		benchkit.RunLoad(ctx, t, r.qs, c.conns, c.warmup, 1<<40, false)
		res := benchkit.RunLoad(ctx, t, r.qs, c.conns, c.d, 1<<40, true)
		all := res.All()
		fmt.Fprintf(out, "%-64s %9.0f %9s %9s %9s %7d %s\n", r.name, res.Rate(), benchkit.MS(benchkit.Percentile(all, 0.5)), benchkit.MS(benchkit.Percentile(all, 0.99)), benchkit.MS(slices.Max(append(all, 0))), res.TotalErrors(), benchkit.LoadAvg())
		for k, v := range res.Sample {
			fmt.Fprintf(out, "  error %s ×%d: %s\n", k, res.Kinds[k], v)
		}
	}
	return nil
}

// endCursor is the end cursor of the page of id's relations after after.
func endCursor(t *benchkit.Target, id string, after any) (string, error) {
	body := benchkit.RequestBody(qRelationIDs, map[string]any{"id": id, "after": after})
	resp, err := t.Client.Post(t.URL, "application/json", strings.NewReader(string(body)))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var ans struct {
		Data struct {
			Entity struct {
				Relations struct {
					PageInfo struct{ EndCursor string }
				}
			}
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil {
		return "", err
	}
	return ans.Data.Entity.Relations.PageInfo.EndCursor, nil
}

func secs(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) + " s" }

func mib(kib int64) string { return strconv.FormatInt(kib/1024, 10) }
