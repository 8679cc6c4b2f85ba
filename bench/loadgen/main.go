// Command loadgen puts a running autograph server under load with a fixed, weighted mix of
// the ten product questions and reports throughput and latency, per question and overall.
//
// In the same run it puts the same load on a bare net/http handler that it starts itself on
// 127.0.0.1 and that answers each request with the server's own answer, precomputed: the
// difference between the two is what GraphQL parsing, validation, resolving and the store
// cost, above the HTTP and JSON plumbing that any server pays. It samples the server's memory
// (its /metrics endpoint) at the start, middle and end of the measured run.
//
// Usage:
//
//	loadgen -url http://127.0.0.1:8080 -c 64 -d 60s -warmup 5s -questions graph/testdata/questions
//
// Every response must be HTTP 200 with data and without GraphQL errors; anything else is
// counted as an error, by kind, and makes loadgen exit with status 1 after its report. It only
// targets loopback addresses, and every phase is bounded in time (-d) and in requests (-n).
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/autograph-kg/autograph/bench/benchkit"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// config is what the flags say.
type config struct {
	base      *url.URL // the server, without a path
	conns     int
	duration  time.Duration
	warmup    time.Duration
	questions string
	maxReqs   int64
	timeout   time.Duration
	baseline  bool
	only      []string // question name prefixes to keep; empty keeps all
}

func parseFlags(args []string, out io.Writer) (config, bool, error) {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(out)
	rawURL := fs.String("url", "http://127.0.0.1:8080", "base URL of the server (loopback only); /query and /metrics are appended")
	c := config{}
	fs.IntVar(&c.conns, "c", 64, "concurrent connections (one worker each)")
	fs.DurationVar(&c.duration, "d", 60*time.Second, "duration of each measured run")
	fs.DurationVar(&c.warmup, "warmup", 5*time.Second, "unmeasured load before each measured run")
	fs.StringVar(&c.questions, "questions", "graph/testdata/questions", "directory of the question files (*.graphql with optional *.vars.json)")
	fs.Int64Var(&c.maxReqs, "n", 5_000_000, "most requests per measured run")
	fs.DurationVar(&c.timeout, "timeout", 15*time.Second, "deadline of one request")
	fs.BoolVar(&c.baseline, "baseline", true, "also measure the bare net/http baseline")
	only := fs.String("only", "", "comma-separated question name prefixes to send (for example q09,q01); empty sends the whole mix")
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
	for _, p := range strings.Split(*only, ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.only = append(c.only, p)
		}
	}
	base, err := loopbackURL(*rawURL)
	if err != nil {
		return c, false, err
	}
	c.base = base
	switch {
	case c.conns < 1 || c.conns > 4096:
		return c, false, fmt.Errorf("-c %d: want 1 to 4096 connections", c.conns)
	case c.duration <= 0 || c.duration > 24*time.Hour:
		return c, false, fmt.Errorf("-d %s: want a positive duration of at most 24h", c.duration)
	case c.warmup < 0 || c.warmup > time.Hour:
		return c, false, fmt.Errorf("-warmup %s: want 0 to 1h", c.warmup)
	case c.maxReqs < 1:
		return c, false, fmt.Errorf("-n %d: want at least 1", c.maxReqs)
	case c.timeout <= 0:
		return c, false, fmt.Errorf("-timeout %s: want a positive duration", c.timeout)
	}
	return c, false, nil
}

// loopbackURL is benchkit.LoopbackURL for this tool.
func loopbackURL(raw string) (*url.URL, error) { return benchkit.LoopbackURL(raw, "loadgen") }

// question is one product question with the server's answer, captured once before the load.
type question struct {
	benchkit.Question
	answer []byte
}

// loadQuestions reads the product questions of dir (see benchkit.LoadQuestions).
func loadQuestions(dir string) ([]*question, error) {
	specs, err := benchkit.LoadQuestions(dir)
	if err != nil {
		return nil, err
	}
	qs := make([]*question, len(specs))
	for i, q := range specs {
		qs[i] = &question{Question: q}
	}
	return qs, nil
}

// specs is the questions as benchkit.RunLoad takes them.
func specs(qs []*question) []benchkit.Question {
	out := make([]benchkit.Question, len(qs))
	for i, q := range qs {
		out[i] = q.Question
	}
	return out
}

// memSample is one reading of the server's /metrics.
type memSample struct {
	when string
	at   time.Duration
	// Values are -1 when the server does not export them.
	rss, heapInuse float64 // bytes
	nextGC, gogc   float64 // the GC's next heap target (bytes) and GOGC
	gcs            float64 // GC cycles so far
	err            error
}

// liveHeap estimates the heap live after the last GC from the next GC target, which the
// runtime sets to live*(1+GOGC/100): heap in use alone also counts garbage not yet collected,
// so it swings between GCs even when nothing leaks.
func (m memSample) liveHeap() float64 {
	if m.nextGC < 0 || m.gogc <= 0 {
		return -1
	}
	return m.nextGC / (1 + m.gogc/100)
}

// sampleMemory reads process_resident_memory_bytes and go_memstats_heap_inuse_bytes from the
// server's Prometheus endpoint.
func sampleMemory(ctx context.Context, client *http.Client, base *url.URL, when string, since time.Time) memSample {
	s := memSample{when: when, at: time.Since(since), rss: -1, heapInuse: -1, nextGC: -1, gogc: -1, gcs: -1}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base.JoinPath("metrics").String(), nil)
	if err != nil {
		s.err = err
		return s
	}
	resp, err := client.Do(req)
	if err != nil {
		s.err = fmt.Errorf("GET /metrics: %w", err)
		return s
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		s.err = fmt.Errorf("GET /metrics: HTTP %d", resp.StatusCode)
		return s
	}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			continue
		}
		switch name {
		case "process_resident_memory_bytes":
			s.rss = v
		case "go_memstats_heap_inuse_bytes":
			s.heapInuse = v
		case "go_memstats_next_gc_bytes":
			s.nextGC = v
		case "go_gc_gogc_percent":
			s.gogc = v
		case "go_gc_duration_seconds_count":
			s.gcs = v
		}
	}
	if err := sc.Err(); err != nil {
		s.err = fmt.Errorf("reading /metrics: %w", err)
	}
	return s
}

// baselineServer serves the precomputed answers on 127.0.0.1: it reads the request body as a
// server must and writes the answer that the real server gave for that body.
func baselineServer(qs []*question) (*http.Server, string, error) {
	answers := make(map[string][]byte, len(qs))
	for _, q := range qs {
		answers[string(q.Body)] = q.answer
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /query", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, "read error", http.StatusBadRequest)
			return
		}
		ans, ok := answers[string(body)]
		if !ok {
			http.Error(w, "unknown request", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(ans)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("baseline: %w", err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return srv, "http://" + ln.Addr().String() + "/query", nil
}

func run(ctx context.Context, args []string, out io.Writer) error {
	cfg, done, err := parseFlags(args, out)
	if err != nil || done {
		return err
	}
	qs, err := loadQuestions(cfg.questions)
	if err != nil {
		return err
	}
	if len(cfg.only) > 0 {
		qs = slices.DeleteFunc(qs, func(q *question) bool {
			return !slices.ContainsFunc(cfg.only, func(p string) bool { return strings.HasPrefix(q.Name, p) })
		})
		if len(qs) == 0 {
			return fmt.Errorf("-only %s: no question file matches", strings.Join(cfg.only, ","))
		}
	}
	server := benchkit.NewTarget("server", cfg.base.JoinPath("query").String(), cfg.conns, cfg.timeout)
	metrics := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil}}

	// Ask every question once: it proves the server answers them all before the load, and
	// gives the baseline its answers.
	var buf bytes.Buffer
	for _, q := range qs {
		if err := server.Do(ctx, q.Body, &buf); err != nil {
			return fmt.Errorf("%s does not answer %s cleanly before any load: %w\n%s", server.URL, q.Name, err, benchkit.Truncate(buf.String(), 2000))
		}
		q.answer = slices.Clone(buf.Bytes())
	}

	fmt.Fprintf(out, "loadgen: %s, %d connections, %s measured after %s warm-up, %d questions, GOMAXPROCS %d (client and server share the machine)\n\n",
		server.URL, cfg.conns, cfg.duration, cfg.warmup, len(qs), runtime.GOMAXPROCS(0))

	t0 := time.Now()
	mem := []memSample{sampleMemory(ctx, metrics, cfg.base, "start (before warm-up)", t0)}
	if cfg.warmup > 0 {
		benchkit.RunLoad(ctx, server, specs(qs), cfg.conns, cfg.warmup, cfg.maxReqs, false)
	}
	mid := make(chan memSample, 1)
	go func() {
		select {
		case <-time.After(cfg.duration / 2):
			mid <- sampleMemory(ctx, metrics, cfg.base, "middle of the measured run", t0)
		case <-ctx.Done():
			mid <- memSample{when: "middle", err: ctx.Err()}
		}
	}()
	srvRes := benchkit.RunLoad(ctx, server, specs(qs), cfg.conns, cfg.duration, cfg.maxReqs, true)
	mem = append(mem, <-mid, sampleMemory(ctx, metrics, cfg.base, "end of the measured run", t0))
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("interrupted: %w", err)
	}
	printResult(out, srvRes, qs)
	printMemory(out, mem)

	var baseRes *benchkit.Result
	if cfg.baseline {
		bs, query, err := baselineServer(qs)
		if err != nil {
			return err
		}
		base := benchkit.NewTarget("bare net/http baseline", query, cfg.conns, cfg.timeout)
		if cfg.warmup > 0 {
			benchkit.RunLoad(ctx, base, specs(qs), cfg.conns, cfg.warmup, cfg.maxReqs, false)
		}
		baseRes = benchkit.RunLoad(ctx, base, specs(qs), cfg.conns, cfg.duration, cfg.maxReqs, true)
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = bs.Shutdown(sctx)
		cancel()
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("interrupted: %w", err)
		}
		printResult(out, baseRes, qs)
		printRatio(out, srvRes, baseRes)
	}

	total := srvRes.TotalErrors()
	if baseRes != nil {
		total += baseRes.TotalErrors()
	}
	if total > 0 {
		return fmt.Errorf("%d requests failed (see the error kinds above)", total)
	}
	return nil
}

func printResult(out io.Writer, r *benchkit.Result, qs []*question) {
	fmt.Fprintf(out, "== %s: %.1f s\n", r.Target, r.Elapsed.Seconds())
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "question\tweight\tbytes\trequests\terrors\treq/s\tp50 ms\tp95 ms\tp99 ms\tmax ms\t")
	line := func(name, weight, size string, lat []time.Duration, errs int) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%.0f\t%s\t%s\t%s\t%s\t\n", name, weight, size, len(lat), errs,
			float64(len(lat))/r.Elapsed.Seconds(), benchkit.MS(benchkit.Percentile(lat, 0.50)), benchkit.MS(benchkit.Percentile(lat, 0.95)),
			benchkit.MS(benchkit.Percentile(lat, 0.99)), benchkit.MS(benchkit.Percentile(lat, 1)))
	}
	for i, q := range qs {
		line(q.Name, strconv.Itoa(q.Weight), strconv.Itoa(len(q.answer)), r.Lat[i], r.Errs[i])
	}
	line("overall", "", "", r.All(), r.TotalErrors())
	_ = tw.Flush()
	if len(r.Kinds) > 0 {
		fmt.Fprintln(out, "errors by kind:")
		for _, k := range slices.Sorted(maps.Keys(r.Kinds)) {
			fmt.Fprintf(out, "  %6d  %s (first: %s)\n", r.Kinds[k], k, benchkit.Truncate(r.Sample[k], 300))
		}
	}
	fmt.Fprintln(out)
}

func printMemory(out io.Writer, mem []memSample) {
	fmt.Fprintln(out, "== server memory (from /metrics)")
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "when\tat s\tRSS MiB\theap in use MiB\tnext GC MiB\tlive after last GC MiB\tGC cycles\t")
	mib := func(v float64) string {
		if v < 0 {
			return "n/a"
		}
		return strconv.FormatFloat(v/(1<<20), 'f', 1, 64)
	}
	for _, m := range mem {
		if m.err != nil {
			fmt.Fprintf(tw, "%s\t\t%s\t\t\t\t\t\n", m.when, "error: "+m.err.Error())
			continue
		}
		gcs := "n/a"
		if m.gcs >= 0 {
			gcs = strconv.FormatFloat(m.gcs, 'f', 0, 64)
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%s\t%s\t%s\t%s\t%s\t\n", m.when, m.at.Seconds(), mib(m.rss), mib(m.heapInuse), mib(m.nextGC), mib(m.liveHeap()), gcs)
	}
	_ = tw.Flush()
	fmt.Fprintln(out)
}

func printRatio(out io.Writer, srv, base *benchkit.Result) {
	sa, ba := srv.All(), base.All()
	rate := func(r *benchkit.Result, all []time.Duration) float64 { return float64(len(all)) / r.Elapsed.Seconds() }
	fmt.Fprintln(out, "== server / baseline")
	fmt.Fprintf(out, "throughput: %.0f / %.0f req/s = %.3f of the baseline\n", rate(srv, sa), rate(base, ba), rate(srv, sa)/rate(base, ba))
	for _, p := range []struct {
		name string
		q    float64
	}{{"p50", 0.5}, {"p95", 0.95}, {"p99", 0.99}} {
		s, b := benchkit.Percentile(sa, p.q), benchkit.Percentile(ba, p.q)
		fmt.Fprintf(out, "%s latency: %s / %s ms = %.1fx\n", p.name, benchkit.MS(s), benchkit.MS(b), float64(s)/float64(max(b, 1)))
	}
	fmt.Fprintln(out)
}
