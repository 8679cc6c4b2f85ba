// Package httpapi serves the GraphQL API over HTTP: the /query transport (GraphQL over
// HTTP; with a change feed, also subscriptions over WebSocket and Server-Sent Events, see
// subscribe.go), its limits (body size, depth, field count, complexity, tokens per
// document), who a request speaks for (write tokens, JWTs), the per-request scope (deadline,
// store-call counter, loaders), logs and metrics, the one error presenter that turns domain
// errors into extensions.code, and the side endpoints (/, /healthz, /readyz, /metrics,
// /explore). The resolvers it serves are package graph's; it holds no GraphQL field logic of
// its own.
package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/autograph-kg/autograph/graph"
	"github.com/autograph-kg/autograph/graph/feed"
	"github.com/autograph-kg/autograph/graph/history"
	"github.com/autograph-kg/autograph/graph/instrument"
	"github.com/autograph-kg/autograph/graph/loader"
	"github.com/autograph-kg/autograph/graph/model"
)

// Options configure the HTTP handler. Zero values take the defaults below.
type Options struct {
	Store  model.Store
	Logger *slog.Logger
	// ComplexityLimit bounds the estimated cost of an operation (default 50000).
	ComplexityLimit int
	// DepthLimit bounds how deeply fields nest (default 15).
	DepthLimit int
	// FieldLimit bounds how many fields an operation selects, aliases and fragments
	// expanded (default 1000).
	FieldLimit int
	// MaxBodyBytes bounds a request body (default 1 MiB).
	MaxBodyBytes int64
	// RequestTimeout bounds one request, store calls included (default 10s).
	RequestTimeout time.Duration
	// DisableIntrospection turns schema introspection off.
	DisableIntrospection bool
	// DisablePlayground turns the page at / off, whichever page it is.
	DisablePlayground bool
	// Playground, when set, is served at GET / instead of gqlgen's GraphiQL page (which loads
	// its assets from a CDN), for a page of the server's own; it is served as it is, without
	// the link to the explorer that the GraphiQL page gets.
	Playground http.Handler
	// StoreCallsExtension adds extensions.storeCalls (store calls made) and
	// extensions.loaderWindowBatches (batches that waited for the loaders' gathering window)
	// to every response.
	StoreCallsExtension bool
	// WriteTokens are write tokens without a name (their writes are recorded as
	// model.UnnamedTokenActor); Auth.Tokens holds named ones. With no token and no JWT key,
	// writes are disabled.
	WriteTokens []string
	// Auth holds named write tokens, JWT sign-in and read protection (see auth.go).
	Auth AuthConfig
	// Registry, when set, receives the server's metrics and is served at /metrics.
	Registry *prometheus.Registry
	// Explorer, when set, is served at /explore (the browser app built on this API).
	Explorer http.Handler
	// Feed, when set, serves the subscription `changes` over WebSocket and Server-Sent Events
	// at /query (see subscribe.go); without it subscriptions are refused.
	Feed *feed.Feed
	// MaxSubscriptionsPerConnection bounds the subscriptions one WebSocket runs at once
	// (default 10).
	MaxSubscriptionsPerConnection int
	// MaxSubscriptionConnections bounds the streaming connections (WebSocket and SSE) the
	// server holds at once (default 200); more are answered 503.
	MaxSubscriptionConnections int
	// AnswerCacheBytes, when positive, is the budget of the answer cache (answers.go), which
	// serves a query asked again at the same store version from its first answer's bytes. It
	// is not used with StoreCallsExtension, whose counts describe an execution. Zero or less
	// turns it off.
	AnswerCacheBytes int64
	// PlainExecution leaves every field to gqlgen's executor, without graph.NewDirectFields;
	// the answers are the same, and tests compare the two.
	PlainExecution bool
}

// Defaults.
const (
	DefaultComplexityLimit = 50000
	DefaultDepthLimit      = 15
	DefaultFieldLimit      = 1000
	DefaultMaxBodyBytes    = 1 << 20
	DefaultRequestTimeout  = 10 * time.Second
	// parserTokenLimit bounds the tokens of one query document, so a huge document is refused
	// while it is being read rather than after.
	parserTokenLimit = 15000
)

func (o *Options) defaults() {
	if o.ComplexityLimit <= 0 {
		o.ComplexityLimit = DefaultComplexityLimit
	}
	if o.DepthLimit <= 0 {
		o.DepthLimit = DefaultDepthLimit
	}
	if o.FieldLimit <= 0 {
		o.FieldLimit = DefaultFieldLimit
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = DefaultRequestTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.MaxSubscriptionsPerConnection <= 0 {
		o.MaxSubscriptionsPerConnection = DefaultMaxSubscriptionsPerConnection
	}
	if o.MaxSubscriptionConnections <= 0 {
		o.MaxSubscriptionConnections = DefaultMaxSubscriptionConnections
	}
}

// NewHandler builds the server's HTTP handler: GraphQL at /query (package graph's resolvers
// over o.Store), the playground at /, liveness at /healthz, readiness at /readyz, and, when
// configured, metrics at /metrics and the explorer at /explore.
func NewHandler(o Options) http.Handler {
	o.defaults()
	var metrics *instrument.Metrics
	if o.Registry != nil {
		metrics = instrument.NewMetrics(o.Registry)
	}
	store := instrument.Wrap(o.Store, metrics)
	auth := newAuthenticator(o.WriteTokens, o.Auth)
	res := &graph.Resolver{Reader: store, Writer: store, Importer: store, History: store, Pasts: history.NewPasts(store, 0), Feed: o.Feed, Logger: o.Logger, Plans: graph.NewNestedPlans()}
	cfg := graph.Config{Resolvers: res.Root(), Complexity: complexity()}
	es := graph.NewExecutableSchema(cfg)
	costed := newDefaultCosted(es)
	exec := executor.New(costed)
	st := &streams{feed: o.Feed, logger: o.Logger, maxPerConn: int64(o.MaxSubscriptionsPerConnection),
		maxConns: int64(o.MaxSubscriptionConnections), requestTimeout: o.RequestTimeout}
	var streamTransports []graphql.Transport
	if o.Feed != nil {
		streamTransports = st.streamTransports(auth, o.MaxBodyBytes)
	}
	var answers *answerCache
	if !o.StoreCallsExtension {
		// The version is read from the store itself: it is not a store call of the request's.
		answers = newAnswerCache(o.Store, o.AnswerCacheBytes, o.Registry)
	}
	plain := httpTransport{answers: answers, queries: &queryTexts{}}
	// Parsed documents are cached by their text (the key); APQ keeps texts by hash.
	exec.SetQueryCache(boundedCache[*ast.QueryDocument]{inner: lru.New[*ast.QueryDocument](1000), limit: maxCachedQueryBytes})
	exec.SetParserTokenLimit(parserTokenLimit)
	exec.SetDefaultRulesFn(validationRules)
	if o.DisableIntrospection {
		exec.Use(refuseIntrospection{})
	} else {
		exec.Use(extension.Introspection{})
	}
	exec.Use(newIntVariables(es.Schema()))
	exec.Use(extension.AutomaticPersistedQuery{Cache: boundedCache[string]{
		inner: lru.New[string](1000), limit: maxCachedQueryBytes, size: func(q string) int { return len(q) }}})
	// The size limits run first: they are linear in the document, while the complexity
	// estimate expands every fragment.
	exec.Use(queryLimits{MaxDepth: o.DepthLimit, MaxFields: o.FieldLimit})
	exec.Use(newComplexityLimit(costed, cfg.Complexity, o.ComplexityLimit))
	presenter := presentError(o.Logger)
	exec.AroundOperations(operations(st, auth, o.Feed, presenter))
	exec.AroundResponses(recordResponses)
	exec.SetErrorPresenter(presenter)
	exec.SetRecoverFunc(recoverPanic(o.Logger))
	// knownAt swaps the reader before the direct writer reads through it. One field middleware
	// does both: the executor wraps each middleware in a closure for every field it resolves.
	if o.PlainExecution {
		exec.AroundFields(res.KnownAt)
	} else {
		direct := graph.NewDirectFields()
		exec.AroundFields(func(ctx context.Context, next graphql.Resolver) (any, error) {
			ctx, err := res.AtKnownMoment(ctx)
			if err != nil {
				return nil, err
			}
			return direct(ctx, next)
		})
	}
	if o.StoreCallsExtension {
		exec.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
			resp := next(ctx)
			if c := instrument.CounterFrom(ctx); c != nil && resp != nil {
				if resp.Extensions == nil {
					resp.Extensions = map[string]any{}
				}
				resp.Extensions["storeCalls"] = c.Load()
				resp.Extensions["loaderWindowBatches"] = loader.WindowBatches(ctx)
			}
			return resp
		})
	}

	mux := http.NewServeMux()
	// Streams are tried first on their route, the plain transport last (a request routed as a
	// stream that no stream transport takes gets its answer from it); every other request to
	// /query goes to the plain transport alone.
	srv := graphqlServer{exec: exec, transports: []graphql.Transport{plain}}
	query := withRequestScope(store, &graph.AnswerBuffers{}, o.RequestTimeout, o.Logger, metrics, limitBody(o.MaxBodyBytes, auth.withAuth(srv)))
	if o.Feed != nil {
		streamSrv := graphqlServer{exec: exec, transports: append(streamTransports, plain)}
		query = routeStreams(st.scope(withStreamAuth(auth, limitBody(o.MaxBodyBytes, streamRequest(streamSrv)))), query)
	}
	mux.Handle("/query", query)
	if o.Registry != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(o.Registry, promhttp.HandlerOpts{}))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := o.Store.Ping(ctx); err != nil {
			o.Logger.WarnContext(ctx, "not ready", "error", err.Error())
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, "store unavailable\n")
			return
		}
		_, _ = io.WriteString(w, "ready\n")
	})
	if o.Explorer != nil {
		mux.Handle("/explore", o.Explorer)
		mux.Handle("/explore/", o.Explorer)
	}
	switch {
	case o.DisablePlayground:
	case o.Playground != nil:
		mux.Handle("GET /{$}", o.Playground)
	default:
		var link string
		if o.Explorer != nil {
			link = "/explore"
		}
		mux.Handle("GET /{$}", withExplorerLink(playground.Handler("Automotive knowledge graph", "/query"), link))
	}
	return mux
}

// withRequestScope gives each request its deadline, its store-call counter, its loaders and
// its scope (record, verdict, status), then observes it (observe.go) as next serves it.
func withRequestScope(store model.Store, bufs *graph.AnswerBuffers, timeout time.Duration, logger *slog.Logger, m *instrument.Metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		// The scope's parent carries the operation's start for the executor (as gqlgen's
		// handler.Server would add it, with a copy of the request; see graphqlServer).
		s := &requestScope{Context: graphql.StartOperationTrace(r.Context()), deadline: start.Add(timeout), buffers: bufs.ForRequest()}
		s.loaders.Use(store)
		s.writer.ResponseWriter = w
		observe(logger, m, s, start, next, &s.writer, r.WithContext(s))
		s.end()
		// The response is written, and the executor has returned from every field it
		// resolved (it waits for them): nothing reads the answers' buffers any more.
		s.buffers.Release()
	})
}

// operations is the operation middleware: streamOperations, then requireCredentials, then
// (with a feed) notifyAfterMutations around the executor, in that order. A query over plain
// HTTP that the server admits passes all three untouched, so it goes straight to the
// executor: the executor wraps each middleware in a closure for every operation, and the
// three were three layers for nothing on almost every request.
func operations(st *streams, auth *authenticator, f *feed.Feed, present graphql.ErrorPresenterFunc) graphql.OperationMiddleware {
	chain := []graphql.OperationMiddleware{st.streamOperations(present), auth.requireCredentials()}
	if f != nil {
		chain = append(chain, notifyAfterMutations(f))
	}
	// around is the chain composed, outermost first, as the executor composes middlewares.
	around := func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		for i := len(chain) - 1; i >= 0; i-- {
			mw, inner := chain[i], next
			next = func(ctx context.Context) graphql.ResponseHandler { return mw(ctx, inner) }
		}
		return next(ctx)
	}
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		oc := graphql.GetOperationContext(ctx)
		if oc.Operation != nil && oc.Operation.Operation == ast.Query && streamConnFrom(ctx) == nil {
			// What requireCredentials asks of a query (streamOperations passes a query
			// without a stream connection, notifyAfterMutations anything but a mutation).
			v := verdictFrom(ctx)
			if _, ok := auth.admit(v.state, v.msg); ok {
				return next(ctx)
			}
		}
		return around(ctx, next)
	}
}

// requestScope is what a request to /query carries besides the request's own context: its
// deadline, its store-call counter, its loaders, its record for the log line, its auth verdict
// and the writer that notes its status. It is the request's context, which answers their keys,
// so that they cost one allocation and one context layer rather than one of each apiece.
//
// The deadline is the context package's own (context.WithDeadline over the request's
// context), made the first time something asks for Done, or for Err once the deadline has
// passed or the request's context has ended: a timer, a cancel context and its registration
// with the parent for every request were a tenth of a lookup's allocations, and a request
// answered from the embedded store never waits on Done. Until then Err reads the clock and the
// parent. Once the request has been answered the scope reports Canceled, as the cancel of a
// deadline context made for the request would.
type requestScope struct {
	context.Context // the request's own
	deadline        time.Time
	timedOnce       sync.Once
	timed           atomic.Pointer[timedContext]

	record  requestRecord
	verdict verdict
	writer  statusWriter
	buffers graph.RequestBuffers // what the direct writer writes answers into
	counter instrument.Counter
	loaders loader.Lazy
	// idText and idHeader hold the request's id and the X-Request-Id header's value (see
	// requestID).
	idText   [16]byte
	idHeader [1]string
}

// timedContext is the scope's deadline as the context package makes it; ended marks the
// shared one the scope reports once the request has been answered without one.
type timedContext struct {
	ctx    context.Context
	cancel context.CancelFunc
	ended  bool
}

// answered is the context of a request answered before anything asked for its deadline.
var answered = func() *timedContext {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return &timedContext{ctx: ctx, cancel: cancel, ended: true}
}()

type scopeKey struct{}

// timedCtx is the scope's deadline context, made on the first call.
func (s *requestScope) timedCtx() *timedContext {
	if t := s.timed.Load(); t != nil {
		return t
	}
	s.timedOnce.Do(func() {
		ctx, cancel := context.WithDeadline(s.Context, s.deadline)
		s.timed.Store(&timedContext{ctx: ctx, cancel: cancel})
	})
	return s.timed.Load()
}

// end is the cancel of the scope's deadline: called once the request has been answered.
func (s *requestScope) end() {
	s.timedOnce.Do(func() { s.timed.Store(answered) })
	s.timed.Load().cancel()
}

// Deadline is the scope's deadline, or the parent's when it is earlier.
func (s *requestScope) Deadline() (time.Time, bool) {
	if d, ok := s.Context.Deadline(); ok && d.Before(s.deadline) {
		return d, true
	}
	return s.deadline, true
}

// Done is closed when the deadline passes, the request's context ends or the request has been
// answered.
func (s *requestScope) Done() <-chan struct{} { return s.timedCtx().ctx.Done() }

// Err is nil until Done would be closed, then why, as the deadline context says it.
func (s *requestScope) Err() error {
	if t := s.timed.Load(); t != nil {
		return t.ctx.Err()
	}
	// time.Until reads only the monotonic clock (the deadline has a monotonic reading):
	// half of what time.Now costs, on a path every store call takes.
	if s.Context.Err() == nil && time.Until(s.deadline) > 0 {
		return nil
	}
	return s.timedCtx().ctx.Err()
}

// Value answers the record's, the verdict's, the scope's own, the buffers', the counter's and
// the loaders' keys, and any other from the deadline context once there is one (the cancel
// context the context package looks for among them is its), else from the parent.
func (s *requestScope) Value(key any) any {
	switch key.(type) {
	case recordKey:
		return &s.record
	case authKey:
		return &s.verdict
	case scopeKey:
		return s
	case graph.BuffersKey:
		return &s.buffers
	case instrument.CounterKey:
		return &s.counter
	case loader.Key:
		return &s.loaders
	}
	if t := s.timed.Load(); t != nil && !t.ended {
		return t.ctx.Value(key)
	}
	return s.Context.Value(key)
}

// scopeFrom is the request's scope, nil outside a request to /query (a stream's).
func scopeFrom(ctx context.Context) *requestScope {
	s, _ := ctx.Value(scopeKey{}).(*requestScope)
	return s
}

// limitBody refuses bodies over max bytes with 413 and a GraphQL-shaped error, before any
// parsing. The body is read here (at most max+1 bytes) so the limit holds whatever the
// transport does, and no longer than the request's deadline: a body still arriving when the
// deadline passes is answered with TIMEOUT. Before a 413, up to maxDrainBytes of the rest are
// read and discarded: a client that writes its whole body before reading (most SDKs, Python's
// urllib) would otherwise see a reset connection instead of the answer.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodOptions || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		if d, ok := r.Context().Deadline(); ok {
			// Not every ResponseWriter can (httptest's recorder cannot); the check after
			// reading still catches a late body.
			setReadDeadline(w, d)
		}
		if r.ContentLength > max {
			if r.ContentLength <= max+maxDrainBytes {
				_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, r.ContentLength))
			}
			refuseTooLarge(w, r, max)
			return
		}
		body, err := readBodyOf(r.Body, r.ContentLength, max)
		switch {
		case err != nil && (r.Context().Err() != nil || isTimeout(err)):
			w.Header().Set("Connection", "close")
			writeError(w, r, http.StatusRequestTimeout, codeTimeout, "the request took too long and was stopped: its body was still arriving when its deadline passed")
			return
		case err != nil:
			w.Header().Set("Connection", "close")
			writeError(w, r, http.StatusBadRequest, codeBadRequest, "the request body could not be read")
			return
		case int64(len(body)) > max:
			_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxDrainBytes))
			refuseTooLarge(w, r, max)
			return
		}
		rb := &readBody{data: body}
		rb.Reset(body)
		r.Body = rb
		next.ServeHTTP(w, r)
	})
}

// setReadDeadline is http.ResponseController's SetReadDeadline without building a
// controller, for a writer that can; one that cannot is left as it is.
func setReadDeadline(w http.ResponseWriter, d time.Time) {
	for {
		switch t := w.(type) {
		case interface{ SetReadDeadline(time.Time) error }:
			_ = t.SetReadDeadline(d)
			return
		case interface{ Unwrap() http.ResponseWriter }:
			w = t.Unwrap()
		default:
			return
		}
	}
}

// readBody is a body limitBody has read whole: the transport takes its bytes as they are
// instead of reading them again.
type readBody struct {
	bytes.Reader
	data []byte
}

func (*readBody) Close() error { return nil }

// readAll is the whole body of r: what limitBody read, or what is left to read.
func readAll(r *http.Request) ([]byte, error) {
	if b, ok := r.Body.(*readBody); ok && b.Len() == len(b.data) {
		_, _ = b.Seek(0, io.SeekEnd)
		return b.data, nil
	}
	return io.ReadAll(r.Body)
}

// readBodyOf reads body whole, at most max+1 bytes, into one buffer of the declared length
// when there is one (io.ReadAll starts at 512 bytes and grows and copies as it reads).
func readBodyOf(body io.Reader, declared, max int64) ([]byte, error) {
	if declared <= 0 || declared > max {
		return io.ReadAll(io.LimitReader(body, max+1))
	}
	// One byte more than declared: the read that meets the end needs room to be tried.
	buf := make([]byte, 0, declared+1)
	lr := io.LimitReader(body, max+1)
	for {
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return buf, err
		case len(buf) == cap(buf):
			buf = slices.Grow(buf, len(buf))
		}
	}
}

// maxDrainBytes bounds what limitBody reads and discards of a body over the limit.
const maxDrainBytes = 16 << 20

func refuseTooLarge(w http.ResponseWriter, r *http.Request, max int64) {
	w.Header().Set("Connection", "close")
	writeError(w, r, http.StatusRequestEntityTooLarge, codePayloadTooLarge, tooLarge(max))
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

func tooLarge(max int64) string {
	return "the request body is larger than the limit of " + byteSize(max)
}

func byteSize(n int64) string {
	if n%(1<<20) == 0 {
		return itoa(n>>20) + " MiB"
	}
	if n%(1<<10) == 0 {
		return itoa(n>>10) + " KiB"
	}
	return itoa(n) + " bytes"
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// writeError answers with a GraphQL-shaped error outside of gqlgen, and records its code for
// the log line and the metrics.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	if rec := recordFrom(r.Context()); rec != nil {
		rec.set("", []string{code})
	}
	w.Header().Set("Content-Type", contentType(responseMediaType(r.Header.Get("Accept"))))
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": code}}},
	})
}

// withExplorerLink adds a small link to the explorer at the top of the playground page.
func withExplorerLink(playgroundPage http.Handler, href string) http.Handler {
	if href == "" {
		return playgroundPage
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &bufferedResponse{header: http.Header{}}
		playgroundPage.ServeHTTP(rec, r)
		body := rec.body.String()
		link := `<a href="` + href + `" style="position:fixed;top:6px;right:12px;z-index:1000;font:14px sans-serif">Open the relationship explorer →</a>`
		if i := strings.Index(body, "<body>"); i >= 0 {
			body = body[:i+len("<body>")] + link + body[i+len("<body>"):]
		}
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.statusOr200())
		_, _ = io.WriteString(w, body)
	})
}

// bufferedResponse collects a handler's response so it can be amended.
type bufferedResponse struct {
	header http.Header
	body   bytes.Buffer
	status int
}

func (b *bufferedResponse) Header() http.Header         { return b.header }
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }
func (b *bufferedResponse) WriteHeader(code int)        { b.status = code }
func (b *bufferedResponse) statusOr200() int {
	if b.status == 0 {
		return http.StatusOK
	}
	return b.status
}
