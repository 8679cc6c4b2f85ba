package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"testing"
	"time"
)

func TestFit(t *testing.T) {
	xs := []float64{0, 30, 60, 90}
	ys := []float64{1, 61, 121, 181} // y = 2x + 1
	slope, mean := fit(xs, ys)
	if math.Abs(slope-2) > 1e-9 || math.Abs(mean-91) > 1e-9 {
		t.Errorf("fit = %v, %v; want 2, 91", slope, mean)
	}
	if slope, _ := fit([]float64{5, 5}, []float64{1, 2}); slope != 0 {
		t.Errorf("fit of one x = %v; want 0", slope)
	}
}

func TestHistDrain(t *testing.T) {
	var h hist
	for i := 1; i <= 100; i++ {
		h.add(time.Duration(i) * time.Millisecond)
	}
	p50, p99, n := h.drain()
	if n != 100 {
		t.Fatalf("n = %d, want 100", n)
	}
	for _, c := range []struct {
		got, want time.Duration
	}{{p50, 50 * time.Millisecond}, {p99, 99 * time.Millisecond}} {
		if r := float64(c.got) / float64(c.want); r < 0.95 || r > 1.05 {
			t.Errorf("percentile %v, want %v within 5%%", c.got, c.want)
		}
	}
	if _, _, n := h.drain(); n != 0 {
		t.Errorf("drain did not empty the histogram: %d left", n)
	}
}

func TestParseFlags(t *testing.T) {
	t.Setenv("SOAK_WRITE_TOKEN", "")
	if _, _, err := parseFlags([]string{"-url", "http://127.0.0.1:1"}, io.Discard); err == nil {
		t.Error("writes without a token accepted")
	}
	if _, _, err := parseFlags([]string{"-url", "http://127.0.0.1:1", "-write-every", "0"}, io.Discard); err != nil {
		t.Errorf("a read-only soak refused: %v", err)
	}
	t.Setenv("SOAK_WRITE_TOKEN", "a-token-of-sixteen-chars")
	for _, args := range [][]string{
		{"-url", "http://10.0.0.1:8080"},
		{"-url", "http://127.0.0.1:1", "-prefix", "Not_A_Slug"},
		{"-url", "http://127.0.0.1:1", "-c", "0"},
	} {
		if _, _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
}

// answer plays the server for one write: it echoes what was written, with relation ids made
// up the way the server makes them (from the content).
func answer(t *testing.T, o *op) json.RawMessage {
	t.Helper()
	var req struct {
		Variables struct {
			ID string         `json:"id"`
			In map[string]any `json:"in"`
		} `json:"variables"`
	}
	if err := json.Unmarshal(o.body, &req); err != nil {
		t.Fatal(err)
	}
	in := req.Variables.In
	rel := func(id string) map[string]any {
		r := map[string]any{"id": id, "type": in["type"], "status": in["status"], "validFrom": in["validFrom"],
			"validTo": in["validTo"], "note": in["note"], "from": map[string]any{"id": in["from"]}, "to": map[string]any{"id": in["to"]}}
		return r
	}
	var data any
	switch o.name {
	case "upsertOrganization":
		data = map[string]any{"upsertOrganization": map[string]any{"id": in["id"], "name": in["name"], "description": in["description"]}}
	case "addRelation":
		data = map[string]any{"addRelation": rel(fmt.Sprintf("%s-partners-with-%s-%s", in["from"], in["to"], in["status"]))}
	case "updateRelation":
		data = map[string]any{"updateRelation": rel(req.Variables.ID)}
	case "removeRelation", "deleteEntity":
		data = map[string]any{o.name: req.Variables.ID}
	default:
		t.Fatalf("unexpected write %s", o.name)
	}
	b, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestWriterLifecycle runs a worker's writes against a server that does what it is told: the
// model stays bounded, every answer passes its check, and the read-backs expect what was
// written.
func TestWriterLifecycle(t *testing.T) {
	const keep, generations = 2, 6
	w := newWriter("soak-test", 3, keep)
	seen := map[string]int{}
	for w.k < generations {
		wr := w.next()
		if err := wr.op.check(answer(t, wr.op)); err != nil {
			t.Fatalf("generation %d step %d: %s rejects a faithful answer: %v", w.k, w.step, wr.op.name, err)
		}
		wr.ack()
		if v := wr.verify(); v.class != classVerify || v.check == nil {
			t.Fatalf("%s: no read-back", wr.op.name)
		}
		seen[wr.op.name]++
		if len(w.live) > keep+1 {
			t.Fatalf("%d live organizations, want at most %d", len(w.live), keep+1)
		}
	}
	want := map[string]int{"upsertOrganization": 2 * generations, "addRelation": 2 * generations, "updateRelation": generations,
		"removeRelation": generations, "deleteEntity": generations - keep}
	for k, n := range want {
		if seen[k] != n || w.acked[k] != n {
			t.Errorf("%s: %d sent, %d acknowledged; want %d", k, seen[k], w.acked[k], n)
		}
	}
	if len(w.live) != keep || len(w.deleted) != generations-keep || len(w.gone) != generations+generations-keep {
		t.Errorf("model: %d live, %d deleted, %d relations gone", len(w.live), len(w.deleted), len(w.gone))
	}
	for _, l := range w.live {
		if l.rel.ID == "" || l.rel.Status != "ENDED" || l.org.Description == nil {
			t.Errorf("live organization %s not in its final state: %+v", l.org.ID, l)
		}
	}
}

func TestJudgeRetry(t *testing.T) {
	w := newWriter("soak-test", 0, 1)
	nf := outcome{kind: "GraphQL NOT_FOUND"}
	if got := w.judgeRetry(&op{name: "deleteEntity"}, nf); got.kind != nf.kind {
		t.Error("NOT_FOUND accepted on a first attempt")
	}
	w.failed = true
	if got := w.judgeRetry(&op{name: "deleteEntity"}, nf); got.kind != "OK" || w.retriedGone != 1 {
		t.Error("NOT_FOUND refused on a retry of a failed deletion")
	}
	if got := w.judgeRetry(&op{name: "upsertOrganization"}, nf); got.kind != nf.kind {
		t.Error("NOT_FOUND accepted for an upsert")
	}
}

func TestNormaliseDropsScores(t *testing.T) {
	a := normalise([]byte(`{"search":[{"score":0.8123,"entity":{"id":"x"}},{"score":1e-3,"entity":{"id":"y"}}]}`))
	b := normalise([]byte(`{"search":[{"score":0.5,"entity":{"id":"x"}},{"score":2,"entity":{"id":"y"}}]}`))
	if string(a) != string(b) {
		t.Errorf("scores not dropped: %s vs %s", a, b)
	}
}
