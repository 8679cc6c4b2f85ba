package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestReadmeJWTExample runs the README's "Who may write" section as written (runReadmeSection).
// It needs bash, openssl and curl, as the README's reader does.
func TestReadmeJWTExample(t *testing.T) {
	runReadmeSection(t, "### Who may write: tokens, JWTs and roles", "bash", "openssl", "curl")
}

// TestReadmeHistoryExample runs the README's history section as written.
func TestReadmeHistoryExample(t *testing.T) {
	runReadmeSection(t, "### History: who changed what, and what the graph said then", "bash", "curl", "date")
}

// runReadmeSection runs a section of the README as written, in an empty directory: each sh
// block that starts the server (a `go run .` line) has its other lines run by bash and the
// server started in-process with the line's settings; each other block is run by bash
// against that server, and what it prints must be the `# ...` lines of the block, in order.
// tools are the commands the section needs; missing, the test skips (fails under CI).
func runReadmeSection(t *testing.T, heading string, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("the README's example needs %s: %v", tool, err)
			}
			t.Skipf("the README's example needs %s: %v", tool, err)
		}
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), heading+"\n")
	if !ok {
		t.Fatalf("README.md has no section %q", heading)
	}
	section, _, _ = strings.Cut(section, "\n### ")
	section, _, _ = strings.Cut(section, "\n## ")
	t.Chdir(t.TempDir())
	addr, clients := "", 0
	for _, block := range strings.Split(section, "```sh\n")[1:] {
		code, _, _ := strings.Cut(block, "```")
		lines := strings.Split(strings.TrimSuffix(code, "\n"), "\n")
		var script, want []string
		var serve string
		for _, line := range lines {
			switch {
			case strings.Contains(line, "go run ."):
				serve = line
			case strings.HasPrefix(line, "# "):
				want = append(want, strings.TrimPrefix(line, "# "))
			default:
				script = append(script, line)
			}
		}
		if serve == "" && addr == "" {
			t.Fatalf("a block runs before any starts the server:\n%s", code)
		}
		if serve != "" {
			bash(t, strings.Join(script, "\n"))
			addr = startReadmeServer(t, serve)
			continue
		}
		got := strings.Split(strings.TrimSuffix(bash(t, strings.ReplaceAll(strings.Join(script, "\n"), "localhost:8080", addr)), "\n"), "\n")
		if len(got) != len(want) {
			t.Fatalf("the block printed %d lines, the README shows %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("line %d printed\n%s\nthe README says\n%s", i+1, got[i], want[i])
			}
		}
		clients++
	}
	if addr == "" || clients == 0 {
		t.Errorf("the README's example starts %q and has %d client blocks; want a server and a client", addr, clients)
	}
}

func bash(t *testing.T, script string) string {
	t.Helper()
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("bash: %v\n%s\nscript:\n%s", err, stderr, script)
	}
	return string(out)
}

// startReadmeServer serves as the README's `VAR=value ... go run .` line says, in memory and
// on a free port, until the test ends; it returns the address.
func startReadmeServer(t *testing.T, line string) string {
	t.Helper()
	prefix, _, _ := strings.Cut(line, "go run .")
	env := map[string]string{"PORT": "0", "KG_DATA_DIR": ":memory:", "KG_LOG_LEVEL": "error"}
	for _, kv := range strings.Fields(prefix) {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			t.Fatalf("%q in %q is not a setting", kv, line)
		}
		env[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	listening, done := make(chan string, 1), make(chan error, 1)
	go func() { done <- run(ctx, func(k string) string { return env[k] }, listening) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
	})
	select {
	case addr := <-listening:
		return strings.Replace(addr, "[::]", "127.0.0.1", 1)
	case err := <-done:
		t.Fatalf("the README's server did not start: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("the README's server did not start within 60 s")
	}
	return ""
}
