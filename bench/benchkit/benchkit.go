// Package benchkit holds what the load tools in bench/ share: the loopback-only target URL
// and the product questions with their request mix.
package benchkit

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// LoopbackURL parses a -url flag and refuses anything but http(s) on a loopback host: a load
// tool pointed at someone else's server is an attack, not a benchmark. tool names the
// program in the error. The result has no path (a trailing /query is dropped), query or
// fragment.
func LoopbackURL(raw, tool string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("-url %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("-url %q: want an http:// or https:// URL", raw)
	}
	switch u.Hostname() {
	case "127.0.0.1", "localhost", "::1":
	default:
		return nil, fmt.Errorf("refusing -url %q: %s only targets this machine's loopback interface (host 127.0.0.1, localhost or ::1), not %q", raw, tool, u.Hostname())
	}
	u.Path = strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "/query")
	u.RawQuery, u.ForceQuery, u.Fragment = "", false, ""
	return u, nil
}

// weights is the mix of questions, in requests per hundred: lookups of one organization's
// facts (1, 5) are what a frontend asks most, graph exploration (6, 7, 9) less, and the
// provenance and agreement questions (4, 10) least. Question files not listed get weight 1.
var weights = map[string]int{
	"q01": 15, "q02": 10, "q03": 10, "q04": 5, "q05": 15,
	"q06": 10, "q07": 10, "q08": 10, "q09": 10, "q10": 5,
}

// Question is one product question, ready to send.
type Question struct {
	Name   string
	Weight int
	Body   []byte // the JSON request body
}

// LoadQuestions reads every *.graphql file of dir, in name order, with its .vars.json where
// there is one.
func LoadQuestions(dir string) ([]Question, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.graphql"))
	if err != nil {
		return nil, fmt.Errorf("questions: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("questions: no *.graphql files in %s (set -questions)", dir)
	}
	slices.Sort(files)
	var qs []Question
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("questions: %w", err)
		}
		req := map[string]any{"query": string(text)}
		if b, err := os.ReadFile(strings.TrimSuffix(f, ".graphql") + ".vars.json"); err == nil {
			var vars map[string]any
			if err := json.Unmarshal(b, &vars); err != nil {
				return nil, fmt.Errorf("questions: %s: %w", f, err)
			}
			req["variables"] = vars
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("questions: %w", err)
		}
		body, err := json.Marshal(req)
		if err != nil {
			return nil, fmt.Errorf("questions: %s: %w", f, err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".graphql")
		w, ok := weights[name[:min(3, len(name))]]
		if !ok {
			w = 1
		}
		qs = append(qs, Question{Name: name, Weight: w, Body: body})
	}
	return qs, nil
}

// RequestBody is the JSON body of a GraphQL request; vars may be nil. It panics only if vars
// holds a value JSON cannot encode, which the callers' constant maps never do.
func RequestBody(query string, vars map[string]any) []byte {
	req := map[string]any{"query": query}
	if vars != nil {
		req["variables"] = vars
	}
	b, err := json.Marshal(req)
	if err != nil {
		panic(fmt.Sprintf("benchkit: a GraphQL request does not encode: %v", err))
	}
	return b
}
