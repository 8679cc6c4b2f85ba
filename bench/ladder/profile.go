package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// pprofEnv names the loopback address the profiling build of the project's server serves
// net/http/pprof on.
const pprofEnv = "LADDER_PPROF_ADDR"

// pprofOverlay is a file added to the project's main package at build time through
// `go build -overlay`, so that a profiling build needs no change to the tree: it serves
// net/http/pprof on its own loopback listener, apart from the server's handler.
const pprofOverlay = `package main

import (
	"net/http"
	_ "net/http/pprof"
	"os"
)

func init() {
	if addr := os.Getenv("` + pprofEnv + `"); addr != "" {
		go func() { _ = http.ListenAndServe(addr, http.DefaultServeMux) }()
	}
}
`

// buildAutograph builds the project's main package at root into bin, with the build tags
// given and the pprof overlay when profile is set.
func buildAutograph(ctx context.Context, root, bin, tmp, tags string, profile bool) error {
	args := []string{"build", "-tags", tags, "-o", bin}
	if profile {
		abs, err := filepath.Abs(root)
		if err != nil {
			return err
		}
		src := filepath.Join(tmp, "ladder_pprof.go")
		if err := os.WriteFile(src, []byte(pprofOverlay), 0o644); err != nil {
			return err
		}
		ov, err := json.Marshal(map[string]any{"Replace": map[string]string{filepath.Join(abs, "zz_ladder_pprof.go"): src}})
		if err != nil {
			return err
		}
		ovFile := filepath.Join(tmp, "overlay.json")
		if err := os.WriteFile(ovFile, ov, 0o644); err != nil {
			return err
		}
		args = append(args, "-overlay", ovFile)
	}
	cmd := exec.CommandContext(ctx, "go", append(args, ".")...)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build of the project's server: %w\n%s", err, b)
	}
	return nil
}

// freeAddr is a free 127.0.0.1 address.
func freeAddr() (string, error) {
	p, err := freePort()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("127.0.0.1:%d", p), nil
}

// profiler takes a CPU profile and two heap-allocation snapshots of the project's server
// around one measured run.
type profiler struct {
	addr, dir, bin string
	errs           []string
}

// fetch saves one /debug/pprof page to name in the profile directory.
func (p *profiler) fetch(ctx context.Context, path, name string, timeout time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+p.addr+path, nil)
	if err == nil {
		var resp *http.Response
		resp, err = (&http.Client{Transport: &http.Transport{Proxy: nil}}).Do(req)
		if err == nil {
			defer resp.Body.Close()
			var f *os.File
			if f, err = os.Create(filepath.Join(p.dir, name)); err == nil {
				_, err = io.Copy(f, resp.Body)
				err = cmpErr(err, f.Close())
			}
		}
	}
	if err != nil {
		p.errs = append(p.errs, fmt.Sprintf("%s: %v", path, err))
	}
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// start snapshots allocations and starts a CPU profile over d; the returned function waits
// for the profile and snapshots allocations again.
func (p *profiler) start(ctx context.Context, d time.Duration) func() {
	if p.dir == "" {
		dir, err := os.MkdirTemp("", "ladder-pprof-")
		if err != nil {
			p.errs = append(p.errs, err.Error())
			return func() {}
		}
		p.dir = dir
	} else if err := os.MkdirAll(p.dir, 0o755); err != nil {
		p.errs = append(p.errs, err.Error())
		return func() {}
	}
	p.fetch(ctx, "/debug/pprof/allocs", "allocs-before.pb.gz", 30*time.Second)
	secs := max(1, int(d/time.Second)-1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.fetch(ctx, fmt.Sprintf("/debug/pprof/profile?seconds=%d", secs), "cpu.pb.gz", d+30*time.Second)
	}()
	return func() {
		<-done
		p.fetch(ctx, "/debug/pprof/allocs", "allocs-after.pb.gz", 30*time.Second)
	}
}

// report prints the top 15 functions by cumulative CPU and by allocated objects over the run,
// the latter also per request.
func (p *profiler) report(ctx context.Context, out io.Writer, requests int) {
	fmt.Fprintf(out, "== profile of the project's server during the first explorer run (files in %s)\n", p.dir)
	for _, e := range p.errs {
		fmt.Fprintln(out, "profile error:", e)
	}
	pprof := func(title string, args ...string) {
		cmd := exec.CommandContext(ctx, "go", append([]string{"tool", "pprof"}, args...)...)
		b, err := cmd.CombinedOutput()
		fmt.Fprintf(out, "-- %s (go tool pprof %s)\n%s", title, strings.Join(args, " "), b)
		if err != nil {
			fmt.Fprintln(out, "go tool pprof:", err)
		}
		fmt.Fprintln(out)
	}
	pprof("CPU, top 15 by cumulative time", "-top", "-cum", "-nodecount=15", p.bin, filepath.Join(p.dir, "cpu.pb.gz"))
	pprof("heap allocations during the run, top 15 by objects", "-top", "-sample_index=alloc_objects", "-nodecount=15",
		"-base", filepath.Join(p.dir, "allocs-before.pb.gz"), p.bin, filepath.Join(p.dir, "allocs-after.pb.gz"))
	if requests > 0 {
		fmt.Fprintf(out, "the profiled run answered %d requests: divide the object counts above by it for allocations per request\n\n", requests)
	}
}
