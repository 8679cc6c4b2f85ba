package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/autograph-kg/autograph/bench/ladder/minimal"
)

// The ladder's own servers run as children of the ladder, the same binary started with
// serveEnv set, so that they can be pinned to their own CPU like the project's server.
const (
	serveEnv = "LADDER_SERVE" // bare or minimal: serve that rung and nothing else
	mallocs  = "/debug/mallocs"
)

// bareAnswer is the bare rung's answer: a GraphQL-shaped JSON object of exactly 200 bytes.
var bareAnswer = func() []byte {
	const head, tail = `{"data":{"hello":"`, `"}}`
	return []byte(head + strings.Repeat("x", 200-len(head)-len(tail)) + tail)
}()

// serveChild serves the rung named by kind on 127.0.0.1 (a free port), prints "listening
// ADDR" on out once it accepts connections, and serves until SIGTERM or SIGINT. Besides the
// rung, it answers GET /debug/mallocs with the process's heap allocations so far, so the
// ladder can count allocations per request as it does for the project's server (/metrics).
func serveChild(ctx context.Context, kind string, out io.Writer) error {
	mux := http.NewServeMux()
	switch server(kind) {
	case serverBare:
		mux.HandleFunc("POST /query", func(w http.ResponseWriter, r *http.Request) {
			// Read the request as any server must, then answer the fixed body.
			if _, err := io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20)); err != nil {
				http.Error(w, "read error", http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(bareAnswer)
		})
	case serverMinimal:
		mux.Handle("/query", minimal.Handler())
	default:
		return fmt.Errorf("%s=%q: want bare or minimal", serveEnv, kind)
	}
	mux.HandleFunc("GET "+mallocs, func(w http.ResponseWriter, r *http.Request) {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		fmt.Fprintln(w, m.Mallocs)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	fmt.Fprintln(out, "listening", ln.Addr().String())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	}
}

// proc is a server the ladder started and stops.
type proc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	base string        // http://127.0.0.1:PORT
	log  *logBuffer
	// allocs reads the process's heap allocations so far.
	allocs func(ctx context.Context) (float64, error)
}

// pinned prefixes argv with taskset when cpus is set, so the process runs on those CPUs
// only (and Go sizes GOMAXPROCS to them). Without taskset it says so and runs unpinned.
func pinned(cpus string, argv []string, warn io.Writer) []string {
	if cpus == "" {
		return argv
	}
	ts, err := exec.LookPath("taskset")
	if err != nil {
		fmt.Fprintf(warn, "ladder: taskset not found: %s runs unpinned\n", filepath.Base(argv[0]))
		return argv
	}
	return append([]string{ts, "-c", cpus}, argv...)
}

// startChild starts the ladder's own server of the given kind (bare or minimal).
func startChild(ctx context.Context, self, kind, cpus string, warn io.Writer) (*proc, error) {
	argv := pinned(cpus, []string{self}, warn)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), serveEnv+"="+kind)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p := &proc{name: kind, cmd: cmd, log: &logBuffer{}}
	cmd.Stderr = p.log
	if err := p.start(); err != nil {
		return nil, err
	}
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			line <- sc.Text()
		}
		close(line)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case l, ok := <-line:
		addr, found := strings.CutPrefix(l, "listening ")
		if !ok || !found {
			p.stop()
			return nil, fmt.Errorf("the %s server did not start: %s", kind, strings.TrimSpace(p.log.String()))
		}
		p.base = "http://" + addr
	case <-time.After(30 * time.Second):
		p.stop()
		return nil, fmt.Errorf("the %s server did not say where it listens within 30 s", kind)
	case <-ctx.Done():
		p.stop()
		return nil, ctx.Err()
	}
	p.allocs = func(ctx context.Context) (float64, error) { return getNumber(ctx, p.base+mallocs, "") }
	return p, nil
}

// startAutograph starts the project's server binary with the embedded store in memory and the
// seed, on a free loopback port, and waits until /readyz answers 200.
func startAutograph(ctx context.Context, bin, cpus string, extraEnv []string, warn io.Writer) (*proc, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	argv := pinned(cpus, []string{bin}, warn)
	cmd := exec.Command(argv[0], argv[1:]...)
	// Requests are logged at info; warn keeps the log out of the measurement, as
	// bench/run-load.sh does.
	cmd.Env = append(os.Environ(), "KG_DATA_DIR=:memory:", "KG_SEED=auto", "PORT="+strconv.Itoa(port), "KG_LOG_LEVEL=warn")
	cmd.Env = append(cmd.Env, extraEnv...)
	p := &proc{name: "autograph", cmd: cmd, base: fmt.Sprintf("http://127.0.0.1:%d", port), log: &logBuffer{}}
	cmd.Stdout, cmd.Stderr = p.log, p.log
	if err := p.start(); err != nil {
		return nil, err
	}
	hc := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil}}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := hc.Get(p.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case <-p.done:
			return nil, fmt.Errorf("the project's server exited during start-up: %s", strings.TrimSpace(p.log.String()))
		case <-ctx.Done():
			p.stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, errors.New("the project's server was not ready within 2 minutes")
		}
	}
	p.allocs = func(ctx context.Context) (float64, error) {
		return getNumber(ctx, p.base+"/metrics", "go_memstats_mallocs_total")
	}
	return p, nil
}

// start starts the command and waits for it in the background.
func (p *proc) start() error {
	if err := p.cmd.Start(); err != nil {
		return fmt.Errorf("starting the %s server: %w", p.name, err)
	}
	p.done = make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	return nil
}

// pid is the server's process id (taskset execs the server, so it is the server's own).
func (p *proc) pid() int { return p.cmd.Process.Pid }

// stop sends SIGTERM and waits up to 20 s for the process to exit, then kills it. Only this
// process, by its pid.
func (p *proc) stop() {
	if p.done == nil {
		return
	}
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// freePort asks the kernel for a free TCP port on 127.0.0.1.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// getNumber GETs url and returns the number it holds: the whole body when metric is empty,
// else the value of that Prometheus metric (a line "metric value").
func getNumber(ctx context.Context, url, metric string) (float64, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := (&http.Client{Transport: &http.Transport{Proxy: nil}}).Do(req)
	if err != nil {
		return 0, fmt.Errorf("GET %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: HTTP %d", url, resp.StatusCode)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if metric != "" {
			v, ok := strings.CutPrefix(line, metric+" ")
			if !ok {
				continue
			}
			line = strings.TrimSpace(v)
		}
		return strconv.ParseFloat(line, 64)
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("GET %s: %w", url, err)
	}
	return 0, fmt.Errorf("GET %s: no %s", url, cmp.Or(metric, "number"))
}

// logBuffer keeps what a server writes to stdout or stderr; the process writes while the
// ladder may read.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
