// Command autograph serves the automotive knowledge graph over GraphQL.
//
// With no configuration it serves the embedded store loaded with the seed dataset on :8080;
// with NEO4J_URI set it serves a Neo4j database instead. See README.md for every setting.
package main

//go:generate go tool gqlgen generate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/autograph-kg/autograph/graph/feed"
	"github.com/autograph-kg/autograph/graph/history"
	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	neo4jstore "github.com/autograph-kg/autograph/graph/neo4jstore"
	"github.com/autograph-kg/autograph/seed"
	"github.com/autograph-kg/autograph/web"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	tuner, err := applyGCPolicy()
	if err != nil {
		fmt.Fprintln(os.Stderr, "autograph:", err)
		os.Exit(1)
	}
	if len(os.Args) > 1 {
		// A command (import, export, help; cli.go) instead of the server.
		code := runCommand(ctx, os.Args[1:], os.Getenv, stdio{os.Stdin, os.Stdout, os.Stderr})
		stop()
		os.Exit(code)
	}
	if err := runWith(ctx, os.Getenv, nil, tuner); err != nil {
		fmt.Fprintln(os.Stderr, "autograph:", err)
		os.Exit(1)
	}
}

// Seed modes (KG_SEED).
const (
	seedAuto   = "auto"   // load the seed into an empty store
	seedAlways = "always" // upsert the seed at every start (it is idempotent)
	seedNever  = "never"  // never load it
)

// DefaultAnswerCacheMB is the answer cache's budget on the embedded store (KG_ANSWER_CACHE_MB).
const DefaultAnswerCacheMB = 64

// config is the server's configuration, read from the environment.
type config struct {
	// gc is the collector's tuner, retuned once a data directory is open; nil: none. It is
	// the process's, not read from the environment.
	gc              *gcTuner
	Addr            string
	LogLevel        slog.Level
	Handler         httpapi.Options
	ShutdownTimeout time.Duration
	// DataDir is where the embedded store keeps its data; "" keeps it in memory only.
	DataDir string
	Seed    string
	// Neo4j is set when NEO4J_URI is.
	Neo4j *neo4jstore.Config
	// FeedInterval is how often the change feed polls the store's history.
	FeedInterval time.Duration
	// HistoryRetention, when positive, is how long revisions are kept (KG_HISTORY_RETENTION);
	// zero keeps them forever.
	HistoryRetention time.Duration
	// SyntheticEntities, when positive, adds a generated dataset of that many entities (for
	// load tests and benchmarks; only in a binary built with -tags synth, see synthetic.go).
	SyntheticEntities int
}

// loadConfig reads the environment; an unparsable value is an error naming the variable.
func loadConfig(getenv func(string) string) (config, error) {
	var errs []error
	// rangeVar reads a whole number from lo to hi; want says what is wanted.
	rangeVar := func(name string, def, lo, hi int, want string) int {
		v := getenv(name)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			errs = append(errs, fmt.Errorf("%s=%q: want %s", name, clipValue(v), want))
			return def
		}
		return n
	}
	intVar := func(name string, def int) int {
		return rangeVar(name, def, 1, math.MaxInt, "a positive whole number")
	}
	boolVar := func(name string, def bool) bool {
		v := getenv(name)
		if v == "" {
			return def
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: want true or false", name, clipValue(v)))
			return def
		}
		return b
	}
	durVar := func(name string, def time.Duration) time.Duration {
		v := getenv(name)
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("%s=%q: want a positive duration such as 10s", name, clipValue(v)))
			return def
		}
		return d
	}
	c := config{
		Addr:            ":" + strconv.Itoa(rangeVar("PORT", 8080, 0, 65535, "a port number from 1 to 65535 (0 picks a free one)")),
		ShutdownTimeout: durVar("KG_SHUTDOWN_TIMEOUT", 20*time.Second),
		// Revisions are kept forever unless an operator says otherwise.
		HistoryRetention: durVar("KG_HISTORY_RETENTION", 0),
		Handler: httpapi.Options{
			ComplexityLimit:      intVar("KG_COMPLEXITY_LIMIT", httpapi.DefaultComplexityLimit),
			DepthLimit:           intVar("KG_DEPTH_LIMIT", httpapi.DefaultDepthLimit),
			FieldLimit:           intVar("KG_FIELD_LIMIT", httpapi.DefaultFieldLimit),
			MaxBodyBytes:         int64(intVar("KG_MAX_BODY_BYTES", httpapi.DefaultMaxBodyBytes)),
			RequestTimeout:       durVar("KG_REQUEST_TIMEOUT", httpapi.DefaultRequestTimeout),
			DisableIntrospection: !boolVar("KG_INTROSPECTION", true),
			DisablePlayground:    !boolVar("KG_PLAYGROUND", true),
			StoreCallsExtension:  boolVar("KG_STORE_CALLS_EXTENSION", false),
			MaxSubscriptionsPerConnection: rangeVar("KG_MAX_SUBSCRIPTIONS_PER_CONNECTION", httpapi.DefaultMaxSubscriptionsPerConnection,
				1, 1000, "a whole number from 1 to 1000"),
			MaxSubscriptionConnections: rangeVar("KG_MAX_SUBSCRIPTION_CONNECTIONS", httpapi.DefaultMaxSubscriptionConnections,
				1, 100_000, "a whole number from 1 to 100000"),
		},
		FeedInterval: durVar("KG_FEED_INTERVAL", feed.DefaultInterval),
	}
	if boolVar("KG_EXPLORER", true) {
		c.Handler.Explorer = web.Handler()
		// The page at / takes its script from the explorer's assets, so it comes with them.
		c.Handler.Playground = web.Playground()
	}
	c.SyntheticEntities = rangeVar("KG_SYNTHETIC_ENTITIES", 0, 0, math.MaxInt, "a whole number, 0 or more")
	if c.SyntheticEntities > 0 && !syntheticBuild {
		errs = append(errs, fmt.Errorf("KG_SYNTHETIC_ENTITIES=%d: %s", c.SyntheticEntities, noSyntheticGenerator))
	}
	c.DataDir = getenv("KG_DATA_DIR")
	if c.DataDir == "" {
		c.DataDir = "data"
	}
	if strings.EqualFold(c.DataDir, ":memory:") {
		c.DataDir = ""
	} else if err := checkDataDir(c.DataDir); err != nil {
		errs = append(errs, fmt.Errorf("KG_DATA_DIR=%q: %w", clipValue(c.DataDir), err))
	}
	c.Seed = strings.ToLower(getenv("KG_SEED"))
	switch c.Seed {
	case "":
		c.Seed = seedAuto
	case seedAuto, seedAlways, seedNever:
	default:
		errs = append(errs, fmt.Errorf("KG_SEED=%q: want auto, always or never", clipValue(c.Seed)))
	}
	tokens, tokenErr := writeTokens(getenv)
	jwtc, jwtErr := jwtConfig(getenv)
	errs = append(errs, tokenErr, jwtErr)
	c.Handler.Auth = httpapi.AuthConfig{Tokens: tokens, JWT: jwtc, ReadAuth: boolVar("KG_READ_AUTH", false)}
	// A bad token file or key file is reported once, under its own name.
	if c.Handler.Auth.ReadAuth && tokenErr == nil && jwtErr == nil && len(tokens) == 0 && jwtc == nil {
		errs = append(errs, errors.New("KG_READ_AUTH=true, but no credential is configured, so no request could be served: set KG_WRITE_TOKEN (or KG_WRITE_TOKEN_FILE), or KG_JWT_KEY_FILE (or KG_JWT_JWKS_FILE)"))
	}
	// Checked even without NEO4J_URI, so a typo is found before it matters.
	acquire := durVar("KG_NEO4J_ACQUIRE_TIMEOUT", 5*time.Second)
	importBatch := rangeVar("KG_NEO4J_IMPORT_BATCH", neo4jstore.DefaultImportBatchSize, 1, 100_000, "a whole number of rows from 1 to 100000")
	importWorkers := rangeVar("KG_NEO4J_IMPORT_WORKERS", neo4jstore.DefaultImportWorkers, 1, 16, "a whole number from 1 to 16")
	if getenv("NEO4J_URI") != "" {
		nc, err := neo4jstore.ConfigFromEnv(getenv)
		if err != nil {
			errs = append(errs, fmt.Errorf("NEO4J_URI and friends: %w", err))
		}
		nc.AcquireTimeout = acquire
		nc.ImportBatchSize, nc.ImportWorkers = importBatch, importWorkers
		c.Neo4j = &nc
	}
	// The answer cache is on by default where the store's version is exact and free to read
	// (the embedded store); on Neo4j only when asked for (see httpapi's answers.go).
	cacheDefault := DefaultAnswerCacheMB
	if c.Neo4j != nil {
		cacheDefault = 0
	}
	c.Handler.AnswerCacheBytes = int64(rangeVar("KG_ANSWER_CACHE_MB", cacheDefault, 0, 1<<20, "a whole number of MiB, 0 to turn the cache off")) << 20
	if v := getenv("KG_LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			errs = append(errs, fmt.Errorf("KG_LOG_LEVEL=%q: want debug, info, warn or error", clipValue(v)))
		}
	}
	return c, errors.Join(errs...)
}

// writeTokens reads the write tokens from KG_WRITE_TOKEN (comma-separated) and the file named
// by KG_WRITE_TOKEN_FILE (one per line; blank lines and lines starting with # are skipped).
// Each is "name:token" or a bare token (recorded as httpapi.ParseWriteToken says). Errors name
// the variable and the entry (or line) by number, never the token; one token given two names
// is refused, since its writes could not say who made them.
func writeTokens(getenv func(string) string) ([]httpapi.WriteToken, error) {
	var tokens []httpapi.WriteToken
	var where []string // where each token was given, for the duplicate check
	var errs []error
	add := func(entry, at string) {
		t, err := httpapi.ParseWriteToken(entry)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", at, err))
			return
		}
		if len(t.Token) < minTokenLength {
			errs = append(errs, fmt.Errorf("%s is %d characters long; write tokens must be at least %d characters long", at, len(t.Token), minTokenLength))
			return
		}
		for i, other := range tokens {
			if other.Token == t.Token && other.Name != t.Name {
				errs = append(errs, fmt.Errorf("%s is the same token as %s under another name (%s, not %s): give each token one name", at, where[i], t.Name, other.Name))
				return
			}
		}
		tokens = append(tokens, t)
		where = append(where, at)
	}
	for i, entry := range strings.Split(getenv("KG_WRITE_TOKEN"), ",") {
		if strings.TrimSpace(entry) != "" {
			add(entry, fmt.Sprintf("KG_WRITE_TOKEN: token %d", i+1))
		}
	}
	if path := getenv("KG_WRITE_TOKEN_FILE"); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("KG_WRITE_TOKEN_FILE: %w", err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
				add(line, fmt.Sprintf("KG_WRITE_TOKEN_FILE=%q: the token on line %d", clipValue(path), i+1))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return tokens, nil
}

// jwtConfig reads JWT sign-in from KG_JWT_KEY_FILE (a PEM public key or an HMAC secret) or
// KG_JWT_JWKS_FILE (a JWK Set), with KG_JWT_ISSUER, KG_JWT_AUDIENCE (comma-separated),
// KG_JWT_ACTOR_CLAIM and KG_JWT_ROLE_CLAIM; nil when no key is configured. Keys are read
// from disk at start only: the server never fetches one.
func jwtConfig(getenv func(string) string) (*httpapi.JWTConfig, error) {
	keyFile, jwksFile := getenv("KG_JWT_KEY_FILE"), getenv("KG_JWT_JWKS_FILE")
	settings := []string{"KG_JWT_ISSUER", "KG_JWT_AUDIENCE", "KG_JWT_ACTOR_CLAIM", "KG_JWT_ROLE_CLAIM"}
	switch {
	case keyFile != "" && jwksFile != "":
		return nil, errors.New("KG_JWT_KEY_FILE and KG_JWT_JWKS_FILE are both set: set one of them")
	case keyFile == "" && jwksFile == "":
		for _, name := range settings {
			if getenv(name) != "" {
				return nil, fmt.Errorf("%s is set, but there is no key to check JWTs with: set KG_JWT_KEY_FILE or KG_JWT_JWKS_FILE", name)
			}
		}
		return nil, nil
	}
	var errs []error
	c := &httpapi.JWTConfig{Issuer: strings.TrimSpace(getenv("KG_JWT_ISSUER"))}
	name, path, parse := "KG_JWT_KEY_FILE", keyFile, httpapi.ParseJWTKey
	if jwksFile != "" {
		name, path, parse = "KG_JWT_JWKS_FILE", jwksFile, httpapi.ParseJWKS
	}
	if b, err := os.ReadFile(path); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", name, err))
	} else if c.Keys, err = parse(b); err != nil {
		errs = append(errs, fmt.Errorf("%s=%q: %w", name, clipValue(path), err))
	}
	for _, a := range strings.Split(getenv("KG_JWT_AUDIENCE"), ",") {
		if a = strings.TrimSpace(a); a != "" {
			c.Audiences = append(c.Audiences, a)
		}
	}
	claim := func(name, def string) string {
		v := getenv(name)
		if v == "" {
			return def
		}
		if err := httpapi.CheckClaimName(v); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %w", name, clipValue(v), err))
		}
		return v
	}
	c.ActorClaim = claim("KG_JWT_ACTOR_CLAIM", httpapi.DefaultActorClaim)
	c.RoleClaim = claim("KG_JWT_ROLE_CLAIM", httpapi.DefaultRoleClaim)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// noSyntheticGenerator is why a binary built without -tags synth refuses KG_SYNTHETIC_ENTITIES.
const noSyntheticGenerator = "this binary has no synthetic data generator: build it with -tags synth (bench/run-load.sh does)"

// minTokenLength is the shortest accepted write token.
const minTokenLength = 16

// checkDataDir refuses, without creating anything, a data directory that cannot be one: a
// path that is a file or lies under one. What only creating it can tell (permissions, a
// read-only or special file system) is reported when the store opens, under the same name.
func checkDataDir(dir string) error {
	for p := filepath.Clean(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		switch {
		case err == nil && !fi.IsDir():
			if p == filepath.Clean(dir) {
				return errors.New("not a directory")
			}
			return fmt.Errorf("%s is a file, not a directory", clipValue(p))
		case err == nil:
			return nil
		case !errors.Is(err, fs.ErrNotExist):
			return err
		}
		if parent := filepath.Dir(p); parent == p {
			return nil
		}
	}
}

// clipValue shortens a configuration value repeated in an error.
func clipValue(v string) string {
	if len(v) <= 200 {
		return v
	}
	return strings.ToValidUTF8(v[:200], "") + "…"
}

// openStore opens the configured store and loads the seed as KG_SEED says.
func openStore(ctx context.Context, cfg config, logger *slog.Logger) (model.Store, error) {
	store, empty, err := openConfiguredStore(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	switch {
	case cfg.Neo4j != nil:
		logger.Info("serving Neo4j", "neo4j", *cfg.Neo4j)
	case cfg.DataDir != "":
		logger.Info("serving the embedded store", "dataDir", cfg.DataDir)
	default:
		logger.Info("serving the embedded store in memory only (KG_DATA_DIR=:memory:); writes are lost at exit")
	}
	loaded := false
	if seedWanted(cfg, empty) {
		if err := seed.Load(ctx, store); err != nil {
			return nil, errors.Join(err, store.Close(ctx))
		}
		logger.Info("loaded the seed dataset")
		loaded = true
	}
	if n := cfg.SyntheticEntities; n > 0 {
		start := time.Now()
		if err := importSynthetic(ctx, store, n); err != nil {
			return nil, errors.Join(fmt.Errorf("synthetic dataset: %w", err), store.Close(ctx))
		}
		logger.Info("loaded a synthetic dataset", "entities", n, "seconds", time.Since(start).Seconds())
		loaded = true
	}
	// A data directory opened as it was has already been collected and given back
	// (openConfiguredStore); anything loaded since, or a store opened another way, has not.
	if loaded || cfg.DataDir == "" {
		releaseMemory()
	}
	return store, nil
}

// releaseMemory collects and returns the freed memory to the system. Loading a large graph
// leaves garbage of several times its size (records read or generated, the import's working
// copies, sort buffers), which the collector frees but the runtime gives back only gradually:
// giving it back before serving makes the process as large as the graph it holds (at 1M
// entities this is gigabytes of RSS).
func releaseMemory() { debug.FreeOSMemory() }

// seedWanted says whether KG_SEED asks for the seed in a store that is empty or not.
func seedWanted(cfg config, empty bool) bool {
	return cfg.Seed == seedAlways || (cfg.Seed == seedAuto && empty)
}

// openConfiguredStore opens the store the configuration names (Neo4j, the data directory, or
// memory only) and reports whether it is empty; the server and the import and export
// commands open their store with it.
func openConfiguredStore(ctx context.Context, cfg config, logger *slog.Logger) (model.Store, bool, error) {
	switch {
	case cfg.Neo4j != nil:
		nc := *cfg.Neo4j
		nc.Logger = logger
		s, err := neo4jstore.Open(ctx, nc)
		if err != nil {
			return nil, false, err
		}
		empty, err := s.IsEmpty(ctx)
		if err != nil {
			return nil, false, errors.Join(err, s.Close(ctx))
		}
		return s, empty, nil
	case cfg.DataDir != "":
		resume := pauseGC(cfg.gc)
		s, fresh, err := inmem.Open(ctx, cfg.DataDir)
		if err == nil {
			// Collect while the collector is still paused: resuming first would start a
			// cycle at once (the heap is far above the goal the last collection set), and the
			// forced collection below would then mark the whole graph a second time.
			releaseMemory()
		}
		resume()
		if err != nil {
			return nil, false, fmt.Errorf("KG_DATA_DIR=%q: %w", clipValue(cfg.DataDir), err)
		}
		return s, fresh, nil
	default:
		return inmem.New(), true, nil
	}
}

// run serves until ctx is done, then shuts down gracefully. When listening is not nil it
// receives the bound address once the server accepts connections (tests use PORT=0).
func run(ctx context.Context, getenv func(string) string, listening chan<- string) error {
	return runWith(ctx, getenv, listening, nil)
}

// runWith is run with the collector's tuner the process applied (applyGCPolicy; nil: none),
// which opening a data directory retunes once the graph is built.
func runWith(ctx context.Context, getenv func(string) string, listening chan<- string, gc *gcTuner) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	cfg.gc = gc
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	// The port is taken before the store opens, so that a port in use is reported at once,
	// not after the seed has loaded; connections wait in the backlog until serving starts.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("PORT=%s: cannot listen: %w", strings.TrimPrefix(cfg.Addr, ":"), err)
	}
	store, err := openStore(ctx, cfg, logger)
	if err != nil {
		return errors.Join(err, ln.Close())
	}
	opts := cfg.Handler
	opts.Store, opts.Logger = store, logger
	// The change feed follows the store's history, which records the writes of every server
	// on the same database, so subscribers hear of those too.
	opts.Feed = feed.New(store, feed.Options{Interval: cfg.FeedInterval, Logger: logger})
	opts.Registry = prometheus.NewRegistry()
	opts.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	srv := &http.Server{
		Handler:           httpapi.NewHandler(opts),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      opts.RequestTimeout + 5*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	if opts.Feed != nil {
		// Ending the feed ends the streams, which Shutdown would otherwise wait for.
		srv.RegisterOnShutdown(opts.Feed.Close)
	}
	addr := ln.Addr().String()
	logger.Info("listening", "addr", addr, "graphql", "/query", "playground", !opts.DisablePlayground,
		"writes", len(opts.WriteTokens)+len(opts.Auth.Tokens) > 0 || opts.Auth.JWT != nil,
		"writeTokens", len(opts.WriteTokens)+len(opts.Auth.Tokens), "jwt", opts.Auth.JWT != nil, "readAuth", opts.Auth.ReadAuth)
	if listening != nil {
		listening <- addr
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	retained := make(chan struct{})
	rctx, stopRetain := context.WithCancel(ctx)
	defer stopRetain()
	if cfg.HistoryRetention > 0 {
		go func() {
			defer close(retained)
			history.Retain(rctx, store, cfg.HistoryRetention, logger)
		}()
	} else {
		close(retained)
	}

	select {
	case err = <-served:
	case <-ctx.Done():
		logger.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		err = srv.Shutdown(sctx)
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	// Pruning stops before the store closes.
	stopRetain()
	<-retained
	if opts.Feed != nil {
		opts.Feed.Close() // before the store it reads
	}
	cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return errors.Join(err, store.Close(cctx))
}
