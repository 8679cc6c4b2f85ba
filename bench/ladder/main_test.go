package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for the ladder's own servers, which the ladder
// starts by running its own executable with LADDER_SERVE set.
func TestMain(m *testing.M) {
	if kind := os.Getenv(serveEnv); kind != "" {
		ctx, stop := signalContext()
		defer stop()
		if err := serveChild(ctx, kind, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestLadderEndToEnd runs the whole ladder for half a second per rung, with the project's server
// built from this tree and profiled: every rung must have answered requests, none may have
// failed, and the profile must have been read. It says nothing about how fast anything is.
func TestLadderEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, warn bytes.Buffer
	err := run(ctx, []string{"-d", "500ms", "-r", "1", "-warmup", "0", "-c", "4", "-client-cpu", "", "-root", "../..", "-pprof", "-pprof-dir", t.TempDir()}, &out, &warn)
	t.Log(out.String())
	if err != nil {
		t.Fatalf("run: %v\n%s", err, warn.String())
	}
	row := regexp.MustCompile(`(?m)^\s*(\S+)\s+(\d+)\s+(\d+)\s+[\d ]+?\s+([\d.]+)\s+(\d+|n/a)\s+([\d.]+)\s+([\d.]+)\s+(\d+)\s+((?:\d+|\?)(?: (?:\d+|\?))*)\s*$`)
	got := map[string][]string{}
	for _, m := range row.FindAllStringSubmatch(out.String(), -1) {
		got[m[1]] = m
	}
	for _, r := range rungs(nil) {
		m, ok := got[r.name]
		if !ok {
			t.Errorf("no table row for rung %s", r.name)
			continue
		}
		if rate, _ := strconv.Atoi(m[3]); rate <= 0 {
			t.Errorf("rung %s: %s req/s", r.name, m[3])
		}
		if m[8] != "0" {
			t.Errorf("rung %s: %s errors", r.name, m[8])
		}
		if m[5] == "n/a" {
			t.Errorf("rung %s: no allocation count", r.name)
		}
		if m[9] == "?" && runtime.GOOS == "linux" {
			t.Errorf("rung %s: no steal share from /proc/stat", r.name)
		}
	}
	for _, want := range []string{"lookup    / minimal", "explorer  / minimal", "mix       / bare", "one connection, lookup: p50", "one connection, explorer: p50", "CPU, top 15 by cumulative time", "flat%", "alloc_objects"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out.String(), "profile error") {
		t.Error("the profile could not be read")
	}
}

// TestExplorerQueriesMatchTheApp holds the ladder's copies of the explorer's queries to the
// text in web/static/assets/api.js (the relations page asking for 20 rather than 100): when
// the explorer changes what it asks, the ladder's copy must be changed with it, on purpose.
func TestExplorerQueriesMatchTheApp(t *testing.T) {
	b, err := os.ReadFile("../../web/static/assets/api.js")
	if err != nil {
		t.Fatal(err)
	}
	js := string(b)
	consts := map[string]string{}
	for _, m := range regexp.MustCompile("(?s)const ([A-Z]+) = `(.*?)`;").FindAllStringSubmatch(js, -1) {
		consts[m[1]] = m[2]
	}
	expand := func(name string) string {
		s := consts[name]
		for k, v := range consts {
			s = strings.ReplaceAll(s, "${"+k+"}", v)
		}
		return s
	}
	for name, want := range map[string]string{
		"RELATIONS":    strings.Replace(explorerRelations, "first: 20", "first: 100", 1),
		"NEIGHBORHOOD": explorerNeighborhood,
		"SEARCH":       explorerSearch,
	} {
		if got := expand(name); got != want {
			t.Errorf("api.js %s is now\n%s\nthe ladder sends\n%s", name, got, want)
		}
	}
}

func TestBareAnswer(t *testing.T) {
	if len(bareAnswer) != 200 || !json.Valid(bareAnswer) || !bytes.HasPrefix(bareAnswer, []byte(`{"data":`)) {
		t.Errorf("bare answer is %d bytes, valid JSON %v: %s", len(bareAnswer), json.Valid(bareAnswer), bareAnswer)
	}
}

func TestParseFlags(t *testing.T) {
	for _, args := range [][]string{{"-c", "0"}, {"-d", "0s"}, {"-r", "0"}, {"-env", "NOEQUALS"}, {"extra"}} {
		if _, err := parseFlags(args, &bytes.Buffer{}); err == nil {
			t.Errorf("parseFlags(%q) accepted it", args)
		}
	}
	if _, err := pick(rungs(nil), "lookup,nope"); err == nil {
		t.Error("pick accepted an unknown rung")
	}
}
