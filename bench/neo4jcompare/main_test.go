package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Canned answers of two fake servers, by operation name, in each one's schema: the same
// facts in autograph's shape and in the Neo4j GraphQL Library's.
var (
	autoAnswers = map[string]string{
		"BrandsAndJointVentures": `{"data":{"organization":{"brands":[{"id":"b1","name":"B1"}],"jointVentures":[{"id":"j1","name":"J1"},{"id":"j2","name":"J2"}]}}}`,
		"BrandsAndModels":        `{"data":{"organization":{"brands":[{"id":"b1","name":"B1","models":[{"id":"m1","name":"M1"}]}]}}}`,
		"OrganizationPage":       `{"data":{"organizations":{"totalCount":2,"edges":[{"node":{"id":"a","name":"A"}},{"node":{"id":"b","name":"B"}}]}}}`,
		"Search":                 `{"data":{"search":[{"entity":{"id":"b1","name":"B1"}},{"entity":{"id":"m1","name":"M1"}}]}}`,
		"Assembles":              `{"data":{"organization":{"assembles":[{"id":"r1","status":"ACTIVE","validFrom":"2023","validTo":null,"to":{"id":"b1","name":"B1"}}]}}}`,
		"AssemblesIn2021":        `{"data":{"organization":{"assembles":[{"id":"r2","status":"ENDED","validFrom":null,"validTo":"2022","to":{"id":"m1","name":"M1"}}]}}}`,
		"Neighbourhood":          `{"data":{"neighborhood":{"truncated":false,"nodes":[{"id":"o","name":"O","kind":"ORGANIZATION"},{"id":"b1","name":"B1","kind":"BRAND"},{"id":"m1","name":"M1","kind":"VEHICLE_MODEL"}]}}}`,
	}
	peerAnswers = map[string]string{
		"BrandsAndJointVentures": `{"data":{"organizations":[{"brands":[{"id":"b1","name":"B1"}],"jointVentures":[{"id":"j2","name":"J2"},{"id":"j1","name":"J1"}]}]}}`,
		"BrandsAndModels":        `{"data":{"organizations":[{"brands":[{"id":"b1","name":"B1","models":[{"id":"m1","name":"M1"}]}]}]}}`,
		"OrganizationPage":       `{"data":{"organizationsConnection":{"totalCount":2,"edges":[{"node":{"id":"a","name":"A"}},{"node":{"id":"b","name":"B"}}]}}}`,
		"Search":                 `{"data":{"search":[{"id":"m1","name":"M1"},{"id":"b1","name":"B1"}]}}`,
		"Assembles":              `{"data":{"organizations":[{"assemblesConnection":{"edges":[{"properties":{"id":"r1","status":"ACTIVE","validFrom":"2023","validTo":null},"node":{"id":"b1","name":"B1"}}]}}]}}`,
		"AssemblesIn2021":        `{"data":{"organizations":[{"assemblesConnection":{"edges":[{"properties":{"id":"r2","status":"ENDED","validFrom":null,"validTo":"2022"},"node":{"id":"m1","name":"M1"}}]}}]}}`,
		"Neighbourhood":          `{"data":{"entities":[{"id":"o","name":"O","kind":"ORGANIZATION","neighbours":[{"id":"b1","name":"B1","kind":"BRAND","neighbours":[{"id":"o","name":"O","kind":"ORGANIZATION"},{"id":"m1","name":"M1","kind":"VEHICLE_MODEL"}]}]}]}}`,
	}
)

var opName = regexp.MustCompile(`query (\w+)`)

// fake answers each operation with its canned answer, and anything else with a GraphQL error.
func fake(t *testing.T, answers map[string]string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Query string }
		_ = json.NewDecoder(r.Body).Decode(&req)
		m := opName.FindStringSubmatch(req.Query)
		ans, ok := "", false
		if m != nil {
			ans, ok = answers[m[1]]
		}
		if !ok {
			ans = `{"errors":[{"message":"unknown operation"}],"data":null}`
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(ans))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func runFakes(t *testing.T, peer map[string]string, extra ...string) (string, error) {
	t.Setenv("NEO4J_URI", "")
	a, p := fake(t, autoAnswers), fake(t, peer)
	var out bytes.Buffer
	args := append([]string{"-autograph", a.URL, "-peer", p.URL, "-large", "g",
		"-d", "50ms", "-d1", "50ms", "-warmup", "0", "-prewarm", "20ms", "-c", "4"}, extra...)
	err := run(context.Background(), args, &out)
	return out.String(), err
}

// TestCompareAgrees runs the whole comparison against two fakes that state the same facts in
// their two schemas: every question agrees and both sides answered requests without errors.
func TestCompareAgrees(t *testing.T) {
	out, err := runFakes(t, peerAnswers)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	if strings.Contains(out, "MISMATCH") {
		t.Errorf("mismatch reported:\n%s", out)
	}
	row := regexp.MustCompile(`(?m)^\s*([a-z0-9-]+)\s+(\d+)\s+(yes|NO)\s+[\d.]+\s+[\d.]+\s+(\d+)\s+(\d+)\s+.*\s(\d+)\s*$`)
	rows := row.FindAllStringSubmatch(out, -1)
	if len(rows) != len(questions("o", "g", "a", "x")) {
		t.Fatalf("%d table rows, want one per question:\n%s", len(rows), out)
	}
	for _, m := range rows {
		auto, _ := strconv.Atoi(m[4])
		peer, _ := strconv.Atoi(m[5])
		if m[3] != "yes" || m[2] == "0" || auto <= 0 || peer <= 0 || m[6] != "0" {
			t.Errorf("row %q: want agreement, facts, requests on both sides and no errors", m[0])
		}
	}
}

// TestCompareReportsMismatch: a peer that leaves out one joint venture is a mismatch, named
// with the missing fact, and the run fails.
func TestCompareReportsMismatch(t *testing.T) {
	peer := map[string]string{}
	for k, v := range peerAnswers {
		peer[k] = v
	}
	peer["BrandsAndJointVentures"] = `{"data":{"organizations":[{"brands":[{"id":"b1","name":"B1"}],"jointVentures":[{"id":"j1","name":"J1"}]}]}}`
	out, err := runFakes(t, peer, "-only", "brands-jv,models")
	if err == nil || !strings.Contains(err.Error(), "1 questions got different facts") {
		t.Errorf("run = %v, want an error about different facts", err)
	}
	for _, want := range []string{"!!! MISMATCH in brands-jv", "only autograph: joint venture j2 J2"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestParseFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-autograph", "http://10.0.0.1:1", "-peer", "http://127.0.0.1:2"},
		{"-autograph", "http://127.0.0.1:1", "-peer", "http://example.com"},
		{"-autograph", "http://127.0.0.1:1", "-peer", "http://127.0.0.1:2", "-pids", "mysql=3"},
		{"-autograph", "http://127.0.0.1:1", "-peer", "http://127.0.0.1:2", "-c", "0"},
	} {
		if _, err := parseFlags(args, &bytes.Buffer{}); err == nil {
			t.Errorf("parseFlags(%q) accepted it", args)
		}
	}
}
