package main

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envOf(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// TestConfigAcceptsDocumentedValues: every default the README documents is accepted when
// written out.
func TestConfigAcceptsDocumentedValues(t *testing.T) {
	for _, kv := range [][]string{
		{"PORT", "8080"},
		{"PORT", "0"},
		{"PORT", "65535"},
		{"KG_SYNTHETIC_ENTITIES", "0"},
		{"KG_REQUEST_TIMEOUT", "10s"},
		{"KG_COMPLEXITY_LIMIT", "50000"},
		{"KG_DEPTH_LIMIT", "15"},
		{"KG_FIELD_LIMIT", "1000"},
		{"KG_MAX_BODY_BYTES", "1048576"},
		{"KG_INTROSPECTION", "true"},
		{"KG_PLAYGROUND", "true"},
		{"KG_EXPLORER", "true"},
		{"KG_STORE_CALLS_EXTENSION", "false"},
		{"KG_SHUTDOWN_TIMEOUT", "20s"},
		{"KG_LOG_LEVEL", "info"},
		{"KG_DATA_DIR", "./data"},
		{"KG_DATA_DIR", ":memory:"},
		{"KG_SEED", "auto"},
		{"KG_NEO4J_ACQUIRE_TIMEOUT", "5s"},
		{"KG_NEO4J_IMPORT_BATCH", "2000"},
		{"KG_NEO4J_IMPORT_WORKERS", "2"},
		{"KG_MAX_SUBSCRIPTIONS_PER_CONNECTION", "10"},
		{"KG_MAX_SUBSCRIPTION_CONNECTIONS", "200"},
		{"KG_FEED_INTERVAL", "200ms"},
		{"KG_HISTORY_RETENTION", "8760h"},
		{"KG_ANSWER_CACHE_MB", "64"},
		{"KG_ANSWER_CACHE_MB", "0"},
	} {
		if _, err := loadConfig(envOf(kv...)); err != nil {
			t.Errorf("%s=%s: %v", kv[0], kv[1], err)
		}
	}
}

// TestConfigErrorsNameTheVariable: every refused value is reported with its variable, before
// the server does anything else.
func TestConfigErrorsNameTheVariable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	shortTokens := filepath.Join(t.TempDir(), "tokens")
	if err := os.WriteFile(shortTokens, []byte("# curators\ntiny\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key, value string
		want       []string
	}{
		{"PORT", "99999", []string{"PORT", "65535"}},
		{"PORT", "-1", []string{"PORT"}},
		{"KG_SYNTHETIC_ENTITIES", "-1", []string{"KG_SYNTHETIC_ENTITIES"}},
		{"KG_SYNTHETIC_ENTITIES", "many", []string{"KG_SYNTHETIC_ENTITIES"}},
		{"KG_WRITE_TOKEN", "short", []string{"KG_WRITE_TOKEN", "16 characters"}},
		{"KG_WRITE_TOKEN", "a-long-enough-token-000001,short", []string{"KG_WRITE_TOKEN", "16 characters"}},
		{"KG_WRITE_TOKEN_FILE", shortTokens, []string{"KG_WRITE_TOKEN_FILE", "16 characters", "line 2"}},
		{"KG_DATA_DIR", file, []string{"KG_DATA_DIR", "not a directory"}},
		{"KG_DATA_DIR", filepath.Join(file, "below"), []string{"KG_DATA_DIR"}},
		{"KG_NEO4J_ACQUIRE_TIMEOUT", "soon", []string{"KG_NEO4J_ACQUIRE_TIMEOUT"}},
		{"KG_MAX_BODY_BYTES", "0", []string{"KG_MAX_BODY_BYTES"}},
		{"KG_NEO4J_IMPORT_BATCH", "0", []string{"KG_NEO4J_IMPORT_BATCH", "1 to 100000"}},
		{"KG_NEO4J_IMPORT_WORKERS", "many", []string{"KG_NEO4J_IMPORT_WORKERS"}},
		{"KG_MAX_SUBSCRIPTIONS_PER_CONNECTION", "0", []string{"KG_MAX_SUBSCRIPTIONS_PER_CONNECTION", "1 to 1000"}},
		{"KG_MAX_SUBSCRIPTION_CONNECTIONS", "lots", []string{"KG_MAX_SUBSCRIPTION_CONNECTIONS"}},
		{"KG_FEED_INTERVAL", "0s", []string{"KG_FEED_INTERVAL"}},
		{"KG_HISTORY_RETENTION", "a year", []string{"KG_HISTORY_RETENTION", "duration"}},
		{"KG_HISTORY_RETENTION", "-1h", []string{"KG_HISTORY_RETENTION"}},
		{"KG_ANSWER_CACHE_MB", "-1", []string{"KG_ANSWER_CACHE_MB", "MiB"}},
		{"KG_ANSWER_CACHE_MB", "lots", []string{"KG_ANSWER_CACHE_MB"}},
	} {
		t.Run(tc.key+"="+tc.value, func(t *testing.T) {
			_, err := loadConfig(envOf(tc.key, tc.value))
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if strings.Contains(tc.key, "TOKEN") && strings.Contains(err.Error(), "short") || strings.Contains(err.Error(), "tiny") {
				t.Errorf("error %q repeats a token", err)
			}
		})
	}
}

// TestAnswerCacheDefaults: on for the embedded store, off on Neo4j unless asked for.
func TestAnswerCacheDefaults(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		want int64
	}{
		{nil, DefaultAnswerCacheMB << 20},
		{[]string{"KG_ANSWER_CACHE_MB", "0"}, 0},
		{[]string{"KG_ANSWER_CACHE_MB", "8"}, 8 << 20},
		{[]string{"NEO4J_URI", "neo4j://db.example:7687", "NEO4J_USERNAME", "neo4j", "NEO4J_PASSWORD", "secret-password"}, 0},
		{[]string{"NEO4J_URI", "neo4j://db.example:7687", "NEO4J_USERNAME", "neo4j", "NEO4J_PASSWORD", "secret-password", "KG_ANSWER_CACHE_MB", "16"}, 16 << 20},
	} {
		c, err := loadConfig(envOf(tc.env...))
		if err != nil {
			t.Fatalf("%v: %v", tc.env, err)
		}
		if c.Handler.AnswerCacheBytes != tc.want {
			t.Errorf("%v: answer cache %d bytes, want %d", tc.env, c.Handler.AnswerCacheBytes, tc.want)
		}
	}
}

// TestStartupChecksComeFirst: a data directory that cannot be used and a port that is taken
// are reported with their variable, and before the seed is loaded.
func TestStartupChecksComeFirst(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for _, tc := range []struct {
		name string
		env  []string
		want string
	}{
		{"data directory in /proc", []string{"PORT", "0", "KG_DATA_DIR", "/proc/nope"}, "KG_DATA_DIR"},
		{"port taken", []string{"PORT", strings.TrimPrefix(busy.Addr().String(), "127.0.0.1:"), "KG_DATA_DIR", filepath.Join(t.TempDir(), "data")}, "PORT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			start := time.Now()
			err := run(ctx, envOf(append(tc.env, "KG_LOG_LEVEL", "error")...), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one naming %s", err, tc.want)
			}
			if d := tc.env[3]; d != "/proc/nope" {
				if _, err := os.Stat(filepath.Join(d, "graph.db")); err == nil {
					t.Errorf("the store was opened (and seeded) before the port was checked")
				}
			}
			t.Logf("%v after %v", err, time.Since(start))
		})
	}
}
