package benchkit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Target is one GraphQL endpoint under load, with a client sized for the load so that every
// worker keeps its own keep-alive connection.
type Target struct {
	Name   string
	URL    string // the GraphQL endpoint (…/query)
	Client *http.Client
}

// NewTarget builds a Target whose client holds up to conns connections and never goes through
// a proxy (the targets are on loopback), with a deadline of timeout per request.
func NewTarget(name, url string, conns int, timeout time.Duration) *Target {
	tr := &http.Transport{
		Proxy:               nil,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &Target{Name: name, URL: url, Client: &http.Client{Transport: tr, Timeout: timeout}}
}

// gqlErrors is the part of a response Do checks.
type gqlErrors struct {
	Errors []struct {
		Message    string `json:"message"`
		Extensions struct {
			Code string `json:"code"`
		} `json:"extensions"`
	} `json:"errors"`
}

// Do POSTs one JSON request body and checks the answer: HTTP 200, a body that starts with
// {"data": and no GraphQL errors. The answer is left in buf. The error says what was wrong in
// a few words that are the same for the same kind of failure, so they can be counted (see
// ErrorKind).
func (t *Target) Do(ctx context.Context, body []byte, buf *bytes.Buffer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := t.Client.Do(req)
	if err != nil {
		return fmt.Errorf("transport: %w", err)
	}
	defer resp.Body.Close()
	buf.Reset()
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return fmt.Errorf("reading the body: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	ans := buf.Bytes()
	// Decoding every answer would cost the client more CPU than the server spends on some
	// questions, on a machine they share; an answer without an "errors" key cannot have
	// errors, so only those with one are decoded.
	if bytes.Contains(ans, []byte(`"errors"`)) {
		var e gqlErrors
		if err := json.Unmarshal(ans, &e); err != nil {
			return errors.New("answer is not JSON")
		}
		if len(e.Errors) > 0 {
			return fmt.Errorf("GraphQL error %s: %s", e.Errors[0].Extensions.Code, e.Errors[0].Message)
		}
	}
	if !bytes.HasPrefix(ans, []byte(`{"data":`)) {
		return errors.New("answer has no data")
	}
	return nil
}

// Result is one measured run of RunLoad.
type Result struct {
	Target  string
	Elapsed time.Duration
	Lat     [][]time.Duration // per question, sorted
	Errs    []int             // per question
	Kinds   map[string]int    // error kind -> count
	Sample  map[string]string // error kind -> first full message
}

// workerStats is what one worker saw; merged after the run.
type workerStats struct {
	lat    [][]time.Duration
	errs   []int
	kinds  map[string]int
	sample map[string]string
}

func newWorkerStats(n int) *workerStats {
	return &workerStats{lat: make([][]time.Duration, n), errs: make([]int, n), kinds: map[string]int{}, sample: map[string]string{}}
}

// RunLoad sends the weighted mix qs to t from conns workers, each a closed loop on its own
// connection, until d has passed or maxReqs requests were sent, and waits for the requests in
// flight (each bounded by the client's timeout). With record false (a warm-up) it keeps
// nothing and returns a Result without latencies.
func RunLoad(ctx context.Context, t *Target, qs []Question, conns int, d time.Duration, maxReqs int64, record bool) *Result {
	var table []int // weighted choice: question indexes, each repeated weight times
	for i, q := range qs {
		for range max(q.Weight, 1) {
			table = append(table, i)
		}
	}
	deadline := time.Now().Add(d)
	var issued atomic.Int64
	stats := make([]*workerStats, conns)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range conns {
		ws := newWorkerStats(len(qs))
		stats[w] = ws
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 0x10ad))
			var buf bytes.Buffer
			for ctx.Err() == nil && time.Now().Before(deadline) && issued.Add(1) <= maxReqs {
				qi := table[rng.IntN(len(table))]
				t0 := time.Now()
				err := t.Do(ctx, qs[qi].Body, &buf)
				lat := time.Since(t0)
				if !record {
					continue
				}
				if err != nil {
					if ctx.Err() != nil {
						return // interrupted: not the server's fault
					}
					ws.errs[qi]++
					kind := ErrorKind(err)
					ws.kinds[kind]++
					if _, ok := ws.sample[kind]; !ok {
						ws.sample[kind] = qs[qi].Name + ": " + err.Error()
					}
				}
				ws.lat[qi] = append(ws.lat[qi], lat)
			}
		})
	}
	wg.Wait()
	r := &Result{Target: t.Name, Elapsed: time.Since(start), Lat: make([][]time.Duration, len(qs)), Errs: make([]int, len(qs)), Kinds: map[string]int{}, Sample: map[string]string{}}
	for _, ws := range stats {
		for i := range qs {
			r.Lat[i] = append(r.Lat[i], ws.lat[i]...)
			r.Errs[i] += ws.errs[i]
		}
		for k, n := range ws.kinds {
			r.Kinds[k] += n
			if _, ok := r.Sample[k]; !ok {
				r.Sample[k] = ws.sample[k]
			}
		}
	}
	for i := range r.Lat {
		slices.Sort(r.Lat[i])
	}
	return r
}

// TotalErrors is the number of failed requests of the run.
func (r *Result) TotalErrors() int {
	n := 0
	for _, e := range r.Errs {
		n += e
	}
	return n
}

// All is every latency of the run, sorted.
func (r *Result) All() []time.Duration {
	var all []time.Duration
	for _, l := range r.Lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	return all
}

// Rate is the run's throughput in requests per second.
func (r *Result) Rate() float64 {
	n := 0
	for _, l := range r.Lat {
		n += len(l)
	}
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(n) / r.Elapsed.Seconds()
}

// ErrorKind shortens an error to its kind: the message up to the first colon after the
// leading words, so that "GraphQL error TIMEOUT: ..." and "transport: ..." group together.
func ErrorKind(err error) string {
	s := err.Error()
	if i := strings.Index(s, ": "); i > 0 {
		return s[:i]
	}
	return s
}

// Percentile returns the q-quantile of sorted latencies (nearest rank); 0 for none.
func Percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*q+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// MS formats a duration in milliseconds with two decimals.
func MS(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) }

// Truncate cuts s to n bytes, marking the cut.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
