// Command ladder measures, back to back on one machine, what each layer of autograph's stack
// costs per request: a bare net/http handler, a minimal gqlgen server, then the project's
// server answering a point lookup, the explorer's relations page, a depth-2 neighbourhood, a
// search and the load mix of bench/loadgen. Each server runs pinned to one CPU (-server-cpu)
// and the load generator on another (-client-cpu), so the server's CPU per request is read
// from its own /proc/PID/stat over the rung and the client does not steal from it.
//
// Usage (from the repository root; bench/ladder.sh wraps it):
//
//	go run ./bench/ladder -c 64 -d 20s -r 3
//
// It builds the project's server from -root (or runs -autograph), starts it with the embedded
// store in memory and the seed, and prints one table: per rung the median over -r runs of
// req/s, server CPU and heap allocations per request, p50 and p99 latency, then the ratios
// lookup / minimal gqlgen, explorer / minimal gqlgen and load mix / bare net/http, and the
// one-connection p50 of the lookup and the explorer query. With -pprof it also profiles the
// project's server during the explorer rung and prints the top functions by cumulative CPU
// and by allocations.
//
// It prints figures and asserts nothing about them. Any failed request is an error: it is
// counted in the table and makes the ladder exit with status 1. Every server is on 127.0.0.1
// and every rung is bounded in time (-d) and in requests (-n).
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/autograph-kg/autograph/bench/benchkit"
)

func main() {
	ctx, stop := signalContext()
	defer stop()
	if kind := os.Getenv(serveEnv); kind != "" {
		if err := serveChild(ctx, kind, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "ladder server:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "ladder:", err)
		os.Exit(1)
	}
}

// signalContext is done on SIGINT or SIGTERM.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// pinnedEnv marks a ladder that already re-executed itself under taskset.
const pinnedEnv = "LADDER_CLIENT_PINNED"

// config is what the flags say.
type config struct {
	conns     int
	duration  time.Duration
	warmup    time.Duration
	runs      int
	maxReqs   int64
	timeout   time.Duration
	serverCPU string
	clientCPU string
	root      string
	autograph string
	questions string
	rungs     string
	tags      string
	pprof     bool
	pprofDir  string
	env       []string
}

func parseFlags(args []string, out io.Writer) (config, error) {
	fs := flag.NewFlagSet("ladder", flag.ContinueOnError)
	fs.SetOutput(out)
	var c config
	fs.IntVar(&c.conns, "c", 64, "connections per rung (the -1c rungs use one)")
	fs.DurationVar(&c.duration, "d", 20*time.Second, "measured duration of each run of a rung")
	fs.DurationVar(&c.warmup, "warmup", 2*time.Second, "unmeasured load before each run of a rung")
	fs.IntVar(&c.runs, "r", 3, "runs of every rung; the table shows medians (rounds: every rung once, then again)")
	fs.Int64Var(&c.maxReqs, "n", 10_000_000, "most requests in one run of a rung")
	fs.DurationVar(&c.timeout, "timeout", 15*time.Second, "deadline of one request")
	fs.StringVar(&c.serverCPU, "server-cpu", "0", "CPU list the servers are pinned to (taskset -c); empty: unpinned")
	fs.StringVar(&c.clientCPU, "client-cpu", "1", "CPU list the ladder (the load generator) re-runs itself on (taskset -c); empty: as started")
	fs.StringVar(&c.root, "root", ".", "the repository root: the project's server is built from it, and the load mix read from its graph/testdata/questions")
	fs.StringVar(&c.autograph, "autograph", "", "the project's server binary to run instead of building -root")
	fs.StringVar(&c.questions, "questions", "", "question files of the load mix (default: ROOT/graph/testdata/questions)")
	fs.StringVar(&c.rungs, "rungs", "", "comma-separated rungs to run (default all: bare, minimal, lookup, explorer, neighborhood, search, mix, lookup-1c, explorer-1c)")
	fs.StringVar(&c.tags, "tags", "", "build tags for the project's server (synth: the load-test build, which takes KG_SYNTHETIC_ENTITIES in -env)")
	fs.BoolVar(&c.pprof, "pprof", false, "build the project's server with a pprof listener (a build overlay; the tree is not touched) and profile it during the first explorer run")
	fs.StringVar(&c.pprofDir, "pprof-dir", "", "where -pprof writes its profiles (default: a new temporary directory)")
	env := fs.String("env", "", "extra environment for the project's server, comma-separated NAME=VALUE (e.g. a dataset)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for _, kv := range strings.Split(*env, ",") {
		if kv = strings.TrimSpace(kv); kv != "" {
			if !strings.Contains(kv, "=") {
				return c, fmt.Errorf("-env %q: want NAME=VALUE", kv)
			}
			c.env = append(c.env, kv)
		}
	}
	c.questions = cmp.Or(c.questions, filepath.Join(c.root, "graph", "testdata", "questions"))
	switch {
	case c.conns < 1 || c.conns > 4096:
		return c, fmt.Errorf("-c %d: want 1 to 4096 connections", c.conns)
	case c.duration <= 0 || c.duration > time.Hour:
		return c, fmt.Errorf("-d %s: want a positive duration of at most 1h", c.duration)
	case c.warmup < 0 || c.warmup > 10*time.Minute:
		return c, fmt.Errorf("-warmup %s: want 0 to 10m", c.warmup)
	case c.runs < 1 || c.runs > 99:
		return c, fmt.Errorf("-r %d: want 1 to 99 runs", c.runs)
	case c.maxReqs < 1:
		return c, fmt.Errorf("-n %d: want at least 1", c.maxReqs)
	case c.timeout <= 0:
		return c, fmt.Errorf("-timeout %s: want a positive duration", c.timeout)
	}
	return c, nil
}

// sample is one run of one rung.
type sample struct {
	rate      float64       // requests per second
	cpu       time.Duration // server CPU per request
	allocs    float64       // server heap allocations per request; -1 unknown
	p50, p99  time.Duration // latency
	requests  int
	errors    int
	firstErr  string
	loadStart string  // load average when the run started
	steal     float64 // share of the machine's CPU time stolen by the hypervisor; -1 unknown
}

func run(ctx context.Context, args []string, out, warn io.Writer) error {
	cfg, err := parseFlags(args, warn)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding the ladder's own binary: %w", err)
	}
	if cfg.clientCPU != "" && os.Getenv(pinnedEnv) == "" {
		if ts, err := exec.LookPath("taskset"); err == nil {
			// Re-run on the client CPU before any goroutine exists, so that Go sizes
			// GOMAXPROCS to it.
			argv := append([]string{"taskset", "-c", cfg.clientCPU, self}, args...)
			return syscall.Exec(ts, argv, append(os.Environ(), pinnedEnv+"=1"))
		}
		fmt.Fprintln(warn, "ladder: taskset not found: the load generator runs unpinned")
	}
	mix, err := benchkit.LoadQuestions(cfg.questions)
	if err != nil {
		return err
	}
	ladder, err := pick(rungs(mix), cfg.rungs)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "ladder-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	bin := cfg.autograph
	pprofAddr := ""
	if bin == "" && needs(ladder, serverAutograph) {
		bin = filepath.Join(tmp, "autograph")
		if cfg.pprof {
			if pprofAddr, err = freeAddr(); err != nil {
				return err
			}
		}
		fmt.Fprintf(warn, "ladder: building the project's server: go build -tags %q -o %s %s\n", cfg.tags, bin, cfg.root)
		if err := buildAutograph(ctx, cfg.root, bin, tmp, cfg.tags, cfg.pprof); err != nil {
			return err
		}
	} else if cfg.pprof {
		return fmt.Errorf("-pprof builds the project's server itself: leave -autograph out")
	}

	// Start every server the ladder needs, once; they idle while other rungs run.
	procs := map[server]*proc{}
	defer func() {
		for _, p := range procs {
			p.stop()
		}
	}()
	for _, s := range []server{serverBare, serverMinimal, serverAutograph} {
		if !needs(ladder, s) {
			continue
		}
		var p *proc
		if s == serverAutograph {
			env := cfg.env
			if pprofAddr != "" {
				env = append(slices.Clone(env), pprofEnv+"="+pprofAddr)
			}
			p, err = startAutograph(ctx, bin, cfg.serverCPU, env, warn)
		} else {
			p, err = startChild(ctx, self, string(s), cfg.serverCPU, warn)
		}
		if err != nil {
			return err
		}
		procs[s] = p
	}

	header(out, cfg, procs)
	samples := make([][]sample, len(ladder))
	var prof *profiler
	if pprofAddr != "" {
		prof = &profiler{addr: pprofAddr, dir: cfg.pprofDir, bin: bin}
	}
	for round := range cfg.runs {
		fmt.Fprintf(out, "round %d of %d: load average %s at the start\n", round+1, cfg.runs, benchkit.LoadAvg())
		for i, r := range ladder {
			var during func(context.Context) func()
			if prof != nil && round == 0 && r.name == "explorer" {
				during = func(ctx context.Context) func() { return prof.start(ctx, cfg.duration) }
			}
			s, err := measure(ctx, cfg, r, procs[r.server], during)
			if err != nil {
				return fmt.Errorf("rung %s: %w", r.name, err)
			}
			samples[i] = append(samples[i], s)
		}
	}
	fmt.Fprintf(out, "load average at the end: %s\n\n", benchkit.LoadAvg())
	errs := report(out, cfg, ladder, samples)
	if prof != nil {
		prof.report(ctx, out, firstRequests(ladder, samples, "explorer"))
	}
	for _, p := range procs {
		if p.name == "autograph" && strings.TrimSpace(p.log.String()) != "" {
			fmt.Fprintf(out, "the project's server logged (warn and above):\n%s\n", benchkit.Truncate(p.log.String(), 4000))
		}
	}
	if errs > 0 {
		return fmt.Errorf("%d requests failed (see the errors column)", errs)
	}
	return nil
}

func needs(ladder []rung, s server) bool {
	return slices.ContainsFunc(ladder, func(r rung) bool { return r.server == s })
}

// measure runs one rung once: a warm-up, then the measured load with the server's CPU and
// allocations read before and after. during, when set, is started with the measured load
// and its stop function called after it.
func measure(ctx context.Context, cfg config, r rung, p *proc, during func(context.Context) func()) (sample, error) {
	conns := cmp.Or(r.conns, cfg.conns)
	t := benchkit.NewTarget(r.name, p.base+"/query", conns, cfg.timeout)
	if cfg.warmup > 0 {
		benchkit.RunLoad(ctx, t, r.qs, conns, cfg.warmup, cfg.maxReqs, false)
	}
	s := sample{allocs: -1, loadStart: benchkit.LoadAvg()}
	a0, aerr := p.allocs(ctx)
	c0, err := benchkit.ProcCPU(p.pid())
	if err != nil {
		return s, err
	}
	var stop func()
	if during != nil {
		stop = during(ctx)
	}
	t0, tok0 := benchkit.ReadCPUTimes()
	res := benchkit.RunLoad(ctx, t, r.qs, conns, cfg.duration, cfg.maxReqs, true)
	c1, err := benchkit.ProcCPU(p.pid())
	if err != nil {
		return s, err
	}
	s.steal = -1
	if t1, tok1 := benchkit.ReadCPUTimes(); tok0 && tok1 {
		s.steal = benchkit.StealShare(t0, t1)
	}
	a1, aerr1 := p.allocs(ctx)
	if stop != nil {
		stop()
	}
	if err := ctx.Err(); err != nil {
		return s, fmt.Errorf("interrupted: %w", err)
	}
	all := res.All()
	s.requests, s.errors, s.rate = len(all), res.TotalErrors(), res.Rate()
	s.p50, s.p99 = benchkit.Percentile(all, 0.5), benchkit.Percentile(all, 0.99)
	if s.requests > 0 {
		s.cpu = (c1 - c0) / time.Duration(s.requests)
		if aerr == nil && aerr1 == nil {
			// The two readings allocate too (the /metrics page, or ReadMemStats); a few
			// hundred allocations over thousands of requests.
			s.allocs = (a1 - a0) / float64(s.requests)
		}
	}
	for k, n := range res.Kinds {
		if s.firstErr == "" {
			s.firstErr = fmt.Sprintf("%d× %s", n, res.Sample[k])
		}
	}
	return s, nil
}

func header(out io.Writer, cfg config, procs map[server]*proc) {
	fmt.Fprintf(out, "ladder: %s\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(out, "machine: %s\n", benchkit.Machine())
	fmt.Fprintf(out, "load generator: %s, GOMAXPROCS %d; servers pinned to CPUs %q (GOMAXPROCS follows the pinning)\n",
		runtime.Version(), runtime.GOMAXPROCS(0), cfg.serverCPU)
	if rev, err := exec.Command("git", "-C", cfg.root, "rev-parse", "--short", "HEAD").Output(); err == nil {
		dirty := ""
		if st, err := exec.Command("git", "-C", cfg.root, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
			dirty = " (with uncommitted changes)"
		}
		fmt.Fprintf(out, "commit: %s%s\n", strings.TrimSpace(string(rev)), dirty)
	} else {
		fmt.Fprintf(out, "commit: unknown (%s is not a git checkout: say which tree it was)\n", cfg.root)
	}
	fmt.Fprintf(out, "per rung: %s warm-up, then %s measured, %d run(s); %d connections unless the rung says 1\n",
		cfg.warmup, cfg.duration, cfg.runs, cfg.conns)
	for _, s := range []server{serverBare, serverMinimal, serverAutograph} {
		if p := procs[s]; p != nil {
			fmt.Fprintf(out, "server %s: pid %d at %s\n", s, p.pid(), p.base)
		}
	}
	fmt.Fprintln(out)
}

func median[T cmp.Ordered](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// stat is the median of one column of a rung's samples.
func stat[T cmp.Ordered](ss []sample, f func(sample) T) T {
	xs := make([]T, len(ss))
	for i, s := range ss {
		xs[i] = f(s)
	}
	return median(xs)
}

// firstRequests is the requests of the first run of the named rung (the profiled one).
func firstRequests(ladder []rung, samples [][]sample, name string) int {
	for i, r := range ladder {
		if r.name == name && len(samples[i]) > 0 {
			return samples[i][0].requests
		}
	}
	return 0
}

// report prints the table and the ratios, and returns the failed requests.
func report(out io.Writer, cfg config, ladder []rung, samples [][]sample) int {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rung\tconns\treq/s\t(each run)\tCPU µs/req\tallocs/req\tp50 ms\tp99 ms\terrors\tsteal %\t")
	type row struct{ rate, cpu float64 }
	rows := map[string]row{}
	errs := 0
	for i, r := range ladder {
		ss := samples[i]
		rate := stat(ss, func(s sample) float64 { return s.rate })
		cpu := stat(ss, func(s sample) time.Duration { return s.cpu })
		allocs := stat(ss, func(s sample) float64 { return s.allocs })
		var each, steals []string
		n := 0
		for _, s := range ss {
			each = append(each, fmt.Sprintf("%.0f", s.rate))
			n += s.errors
			if s.steal >= 0 {
				steals = append(steals, fmt.Sprintf("%.0f", 100*s.steal))
			} else {
				steals = append(steals, "?")
			}
		}
		errs += n
		al := "n/a"
		if allocs >= 0 {
			al = fmt.Sprintf("%.0f", allocs)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%s\t%.1f\t%s\t%s\t%s\t%d\t%s\t\n", r.name, cmp.Or(r.conns, cfg.conns), rate,
			strings.Join(each, " "), float64(cpu)/1e3, al,
			benchkit.MS(stat(ss, func(s sample) time.Duration { return s.p50 })),
			benchkit.MS(stat(ss, func(s sample) time.Duration { return s.p99 })), n, strings.Join(steals, " "))
		rows[r.name] = row{rate, float64(cpu)}
	}
	_ = tw.Flush()
	fmt.Fprintln(out)
	for i, r := range ladder {
		for _, s := range samples[i] {
			if s.firstErr != "" {
				fmt.Fprintf(out, "errors in %s: %s\n", r.name, benchkit.Truncate(s.firstErr, 300))
				break
			}
		}
	}
	fmt.Fprintln(out, "rungs:")
	for _, r := range ladder {
		fmt.Fprintf(out, "  %-13s %s\n", r.name, r.what)
	}
	fmt.Fprintln(out, "steal %: the share of the machine's CPU time the hypervisor gave elsewhere during each run\n"+
		"  (/proc/stat); a pinned server waits for its CPU that long, so req/s falls while CPU µs/req does not")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "ratios (medians): throughput, and server CPU per request")
	for _, q := range ratios {
		a, okA := rows[q[0]]
		b, okB := rows[q[1]]
		if !okA || !okB || b.rate == 0 || b.cpu == 0 {
			continue
		}
		fmt.Fprintf(out, "  %-9s / %-8s req/s %.3f (%.0f / %.0f)   CPU per request %.1f× (%.1f / %.1f µs)\n",
			q[0], q[1], a.rate/b.rate, a.rate, b.rate, a.cpu/b.cpu, a.cpu/1e3, b.cpu/1e3)
	}
	for i, r := range ladder {
		if r.conns == 1 {
			fmt.Fprintf(out, "  one connection, %s: p50 %s ms\n", strings.TrimSuffix(r.name, "-1c"),
				benchkit.MS(stat(samples[i], func(s sample) time.Duration { return s.p50 })))
		}
	}
	fmt.Fprintln(out)
	return errs
}
