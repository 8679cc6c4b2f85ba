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
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/autograph-kg/autograph/graph"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/seed"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Getenv, nil); err != nil {
		fmt.Fprintln(os.Stderr, "autograph:", err)
		os.Exit(1)
	}
}

// config is the server's configuration, read from the environment.
type config struct {
	Addr            string
	LogLevel        slog.Level
	Handler         graph.Options
	ShutdownTimeout time.Duration
}

// loadConfig reads the environment; an unparsable value is an error naming the variable.
func loadConfig(getenv func(string) string) (config, error) {
	var errs []error
	intVar := func(name string, def int) int {
		v := getenv(name)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			errs = append(errs, fmt.Errorf("%s=%q: want a positive whole number", name, v))
			return def
		}
		return n
	}
	boolVar := func(name string, def bool) bool {
		v := getenv(name)
		if v == "" {
			return def
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: want true or false", name, v))
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
			errs = append(errs, fmt.Errorf("%s=%q: want a positive duration such as 10s", name, v))
			return def
		}
		return d
	}
	c := config{
		Addr:            ":" + strconv.Itoa(intVar("PORT", 8080)),
		ShutdownTimeout: durVar("KG_SHUTDOWN_TIMEOUT", 20*time.Second),
		Handler: graph.Options{
			ComplexityLimit:      intVar("KG_COMPLEXITY_LIMIT", graph.DefaultComplexityLimit),
			DepthLimit:           intVar("KG_DEPTH_LIMIT", graph.DefaultDepthLimit),
			MaxBodyBytes:         int64(intVar("KG_MAX_BODY_BYTES", graph.DefaultMaxBodyBytes)),
			RequestTimeout:       durVar("KG_REQUEST_TIMEOUT", graph.DefaultRequestTimeout),
			DisableIntrospection: !boolVar("KG_INTROSPECTION", true),
			DisablePlayground:    !boolVar("KG_PLAYGROUND", true),
			StoreCallsExtension:  boolVar("KG_STORE_CALLS_EXTENSION", false),
		},
	}
	if v := getenv("KG_LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			errs = append(errs, fmt.Errorf("KG_LOG_LEVEL=%q: want debug, info, warn or error", v))
		}
	}
	return c, errors.Join(errs...)
}

// openStore opens the configured store and loads the seed where needed.
func openStore(ctx context.Context, getenv func(string) string, logger *slog.Logger) (model.Store, error) {
	s := inmem.New()
	if err := seed.Load(ctx, s); err != nil {
		return nil, errors.Join(err, s.Close(ctx))
	}
	logger.Info("serving the embedded store with the seed dataset")
	return s, nil
}

// run serves until ctx is done, then shuts down gracefully. When listening is not nil it
// receives the bound address once the server accepts connections (tests use PORT=0).
func run(ctx context.Context, getenv func(string) string, listening chan<- string) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	store, err := openStore(ctx, getenv, logger)
	if err != nil {
		return err
	}
	opts := cfg.Handler
	opts.Store, opts.Logger = store, logger
	srv := &http.Server{
		Handler:           graph.NewHandler(opts),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      opts.RequestTimeout + 5*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return errors.Join(fmt.Errorf("listen on %s: %w", cfg.Addr, err), store.Close(context.Background()))
	}
	addr := ln.Addr().String()
	logger.Info("listening", "addr", addr, "graphql", "/query", "playground", !opts.DisablePlayground)
	if listening != nil {
		listening <- addr
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

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
	cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return errors.Join(err, store.Close(cctx))
}
