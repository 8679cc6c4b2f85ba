package httpapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/autograph-kg/autograph/graph"
	"github.com/autograph-kg/autograph/graph/feed"
	"github.com/autograph-kg/autograph/graph/instrument"
	"github.com/autograph-kg/autograph/graph/model"
)

// Subscriptions (the change feed) are served at /query over two streaming transports, when
// the server has a feed:
//
//   - WebSocket, with the graphql-transport-ws protocol (and the older graphql-ws one); the
//     token, when there is one, travels in the connection_init payload as
//     {"Authorization": "Bearer <token>"}, since browsers cannot set headers on a WebSocket;
//   - Server-Sent Events: a POST with Accept: text/event-stream (and no JSON media type in
//     it) and a JSON body, answered with one `next` event per change and `complete` at the end.
//
// Both carry subscriptions only: a query or a mutation sent over them is refused, with a
// message saying to POST it to /query, so that every query keeps the request deadline, the
// per-request loaders and the write-token check of the plain transport. A subscription sent
// over the plain transport is refused the same way. Streams run without the request deadline
// (they last as long as the client wants), and go through the same parser, validation, depth,
// field and complexity limits and error presenter as every other operation.
//
// Two limits bound what streams cost: subscriptions per WebSocket connection, and streaming
// connections per server (beyond it the handshake is answered 503 with a GraphQL error).

// Defaults of the streaming limits.
const (
	DefaultMaxSubscriptionsPerConnection = 10
	DefaultMaxSubscriptionConnections    = 200
	// wsPingInterval is how often a WebSocket is pinged (graphql-transport-ws) or sent a
	// keep-alive (graphql-ws), so that proxies do not close an idle stream; a client that
	// does not answer two pings in a row is disconnected.
	wsPingInterval = 25 * time.Second
	// wsInitTimeout bounds the wait for connection_init after the handshake.
	wsInitTimeout = 10 * time.Second
	// sseKeepAlive is how often an idle SSE stream gets a comment line, for the same reason.
	sseKeepAlive = 25 * time.Second
	// streamCloseGrace is how long a stream's connection stays open after the feed closed,
	// for its subscriptions' last messages to go out.
	streamCloseGrace = 500 * time.Millisecond
	// streamWriteTimeout bounds one write to an event stream.
	streamWriteTimeout = 30 * time.Second
	// streamRetryAfter is the Retry-After (seconds) of a refused streaming connection.
	streamRetryAfter = 5
)

// streamConn is one streaming connection: how many subscriptions it runs.
type streamConn struct {
	active atomic.Int64
	max    int64
}

type streamConnKey struct{}

func streamConnFrom(ctx context.Context) *streamConn {
	c, _ := ctx.Value(streamConnKey{}).(*streamConn)
	return c
}

// streams is what the handler needs to serve subscriptions.
type streams struct {
	feed           *feed.Feed
	logger         *slog.Logger
	maxPerConn     int64
	maxConns       int64
	conns          atomic.Int64
	requestTimeout time.Duration
}

// isStream says whether a request to /query asks for a streaming transport: a WebSocket
// handshake, or a POST that accepts only an event stream (a client that also accepts JSON
// gets the plain transport, as before).
func isStream(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return true
	}
	return r.Method == http.MethodPost && acceptsOnlyEventStream(r.Header.Get("Accept"))
}

func acceptsOnlyEventStream(accept string) bool {
	// Only a part naming text/event-stream (in any case) can make it one: an Accept without
	// it, as every plain request has, is not parsed.
	return containsFold(accept, "event-stream") && parsedOnlyEventStream(accept)
}

// parsedOnlyEventStream is acceptsOnlyEventStream by parsing every media type of accept.
func parsedOnlyEventStream(accept string) bool {
	stream := false
	for part := range strings.SplitSeq(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "text/event-stream":
			stream = true
		case mediaJSON, mediaGraphQLResponse, "*/*", "application/*":
			return false
		}
	}
	return stream
}

// containsFold reports whether sub is within s, under Unicode case folding (which folds at
// least what the media type parser lowercases).
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// sseTransport is gqlgen's SSE transport, taking the requests isStream sends it.
type sseTransport struct{ transport.SSE }

func (t sseTransport) Supports(r *http.Request) bool {
	return isStream(r) && r.Header.Get("Upgrade") == "" && t.SSE.Supports(r)
}

// streamTransports are the WebSocket and SSE transports, in the order they are tried (before
// the plain one).
func (s *streams) streamTransports(auth *authenticator, maxMessage int64) []graphql.Transport {
	return []graphql.Transport{transport.Websocket{
		Implementation: closingWebsockets{},
		// A subscribe message is bounded as a request body is.
		PayloadReadLimit:      &maxMessage,
		InitFunc:              initAuth(auth),
		InitTimeout:           wsInitTimeout,
		KeepAlivePingInterval: wsPingInterval,
		PingPongInterval:      wsPingInterval,
		ErrorFunc: func(ctx context.Context, err error) {
			s.logger.DebugContext(ctx, "websocket", "error", clip(err.Error(), maxLoggedError))
		},
	}, sseTransport{transport.SSE{KeepAlivePingInterval: sseKeepAlive}}}
}

// closingWebsockets is gqlgen's WebSocket implementation, recording each connection it
// accepts in its request's context so that scope can close it when the transport is done:
// the transport leaves a connection open when its connection_init payload is not a JSON
// object.
type closingWebsockets struct {
	transport.CoderWebsocketImplementation
}

func (i closingWebsockets) Accept(w http.ResponseWriter, r *http.Request, o transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	c, err := i.CoderWebsocketImplementation.Accept(w, r, o)
	if err == nil {
		if a, ok := r.Context().Value(acceptedKey{}).(*acceptedConn); ok {
			a.c = c
		}
	}
	return c, err
}

type acceptedKey struct{}

// acceptedConn holds the WebSocket a handshake became; the request's goroutine alone uses it.
type acceptedConn struct{ c transport.WebsocketConn }

// withStreamAuth judges a streaming request's Authorization header as withAuth does. An event
// stream is admitted or refused at once (401), as any request; a WebSocket when its
// connection_init arrives (initAuth), since a browser cannot set its headers.
func withStreamAuth(a *authenticator, next http.Handler) http.Handler {
	stream := a.withAuth(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") == "" {
			stream.ServeHTTP(w, r)
			return
		}
		actor, state, msg := a.authenticate(r.Header.Get("Authorization"))
		next.ServeHTTP(w, r.WithContext(withVerdict(r.Context(), actor, state, msg)))
	})
}

// initAuth judges the Authorization of a WebSocket's connection_init payload (when there is
// one, it takes the place of the handshake's header) and refuses the connection, closing it
// with 4403 as graphql-transport-ws says, when the verdict does not admit it.
func initAuth(a *authenticator) transport.WebsocketInitFunc {
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		if h := p.Authorization(); h != "" {
			actor, state, msg := a.authenticate(h)
			ctx = withVerdict(ctx, actor, state, msg)
		}
		v := verdictFrom(ctx)
		if refusal, ok := a.admit(v.state, v.msg); !ok {
			ctx = transport.WithWebsocketCloseCode(ctx, 4403)
			// A close frame's reason has at most 123 bytes.
			ctx = transport.AppendCloseReason(ctx, `unauthenticated: send {"Authorization": "Bearer <token>"} in connection_init`)
			return ctx, nil, errors.New(refusal)
		}
		return ctx, nil, nil
	}
}

// scope serves a streaming request: it counts the connection against the server's limit,
// gives it no deadline but a read deadline for its handshake or body, and marks its context
// as a stream's. next is the rest of the chain (auth, body limit, gqlgen).
func (s *streams) scope(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.conns.Add(1) > s.maxConns {
			s.conns.Add(-1)
			w.Header().Set("Retry-After", strconv.Itoa(streamRetryAfter))
			writeError(w, r, http.StatusServiceUnavailable, string(model.CodeUnavailable),
				"this server already serves "+strconv.FormatInt(s.maxConns, 10)+" subscription connections (KG_MAX_SUBSCRIPTION_CONNECTIONS): retry later")
			return
		}
		defer s.conns.Add(-1)
		if status, code, problem := checkHandshake(r); problem != "" {
			writeError(w, r, status, code, problem)
			return
		}
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !requestIDRE.MatchString(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		// The server's read and write timeouts are for requests; a stream lasts as long as
		// its client wants. Its handshake or body still has the request timeout to arrive.
		rc := http.NewResponseController(w)
		_ = rc.SetReadDeadline(time.Now().Add(s.requestTimeout))
		_ = rc.SetWriteDeadline(time.Time{})
		conn, cancel := context.WithCancel(r.Context())
		defer cancel()
		// A feed that closes (the server shutting down) ends its subscriptions, each with a
		// last message saying so; a moment later the connections close too, so that shutdown
		// need not wait for clients to leave.
		go func() {
			select {
			case <-s.feed.Done():
			case <-conn.Done():
				return
			}
			select {
			case <-time.After(streamCloseGrace):
				cancel()
			case <-conn.Done():
			}
		}()
		ctx := conn
		ctx = transport.AppendCloseReason(ctx, "the connection was closed by the server: reconnect and resubscribe with since")
		ctx, _ = instrument.WithCounter(ctx)
		ctx = context.WithValue(ctx, streamConnKey{}, &streamConn{max: s.maxPerConn})
		ctx = context.WithValue(ctx, recordKey{}, &requestRecord{})
		if r.Header.Get("Upgrade") == "" {
			// An event stream (a WebSocket has its pings to find a client gone silent).
			w = &streamWriter{ResponseWriter: w, rc: rc, broken: cancel}
		}
		accepted := &acceptedConn{}
		ctx = context.WithValue(ctx, acceptedKey{}, accepted)
		next.ServeHTTP(w, r.WithContext(ctx))
		if accepted.c != nil {
			_ = accepted.c.Close()
		}
		kind := "sse"
		if r.Header.Get("Upgrade") != "" {
			kind = "websocket"
		}
		s.logger.LogAttrs(ctx, slog.LevelDebug, "stream",
			slog.String("requestId", id), slog.String("transport", kind),
			slog.Float64("durationMs", float64(time.Since(start).Microseconds())/1000))
	})
}

// streamWriter gives each write of an event stream a deadline, and ends the stream when one
// fails: a client that stops reading would otherwise hold its connection, and its
// subscription, for ever.
type streamWriter struct {
	http.ResponseWriter
	rc     *http.ResponseController
	broken context.CancelFunc
}

func (w *streamWriter) Write(b []byte) (int, error) {
	_ = w.rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout))
	n, err := w.ResponseWriter.Write(b)
	if err != nil {
		w.broken()
	}
	return n, err
}

// Flush is what the SSE transport calls after each event.
func (w *streamWriter) Flush() {
	_ = w.rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout))
	if err := w.rc.Flush(); err != nil {
		w.broken()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (w *streamWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// routeStreams sends the streaming requests (isStream) to streams, the others to plain.
func routeStreams(streams, plain http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isStream(r) {
			streams.ServeHTTP(w, r)
			return
		}
		plain.ServeHTTP(w, r)
	})
}

// streamRequest checks an SSE request's body as the plain transport checks a POST (gqlgen's
// SSE transport would echo a bad body and log it), then lifts the handshake's read deadline:
// the body has been read (SSE), or the connection is about to become a WebSocket.
func streamRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			problem := checkContentType(r.Header.Get("Content-Type"))
			if problem == "" {
				body, err := io.ReadAll(r.Body)
				if err != nil {
					problem = "the request body could not be read"
				} else {
					_, problem = paramsFromJSON(body)
					r.Body = io.NopCloser(bytes.NewReader(body))
				}
			}
			if problem != "" {
				writeError(w, r, http.StatusBadRequest, codeBadRequest, problem)
				return
			}
		}
		_ = http.NewResponseController(w).SetReadDeadline(time.Time{})
		next.ServeHTTP(w, r)
	})
}

// checkHandshake says what is wrong with a WebSocket handshake, with the status and code to
// answer it with, or "" (an SSE request is checked by streamRequest). The WebSocket library
// would answer a bad one in plain text.
func checkHandshake(r *http.Request) (int, string, string) {
	if r.Header.Get("Upgrade") == "" {
		return 0, "", ""
	}
	switch {
	case r.Method != http.MethodGet:
		return http.StatusBadRequest, codeBadRequest, "a WebSocket handshake is a GET"
	case !strings.EqualFold(r.Header.Get("Upgrade"), "websocket"):
		return http.StatusBadRequest, codeBadRequest, "only WebSocket upgrades are served (Upgrade: websocket)"
	case !headerHasToken(r.Header, "Connection", "upgrade"),
		r.Header.Get("Sec-WebSocket-Version") != "13",
		r.Header.Get("Sec-WebSocket-Key") == "":
		return http.StatusBadRequest, codeBadRequest, "the WebSocket handshake is incomplete (Connection: Upgrade, Sec-WebSocket-Version: 13 and Sec-WebSocket-Key are needed); use a WebSocket client with the graphql-transport-ws protocol"
	}
	// A page of another site must not open a stream with its visitor's credentials.
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || !strings.EqualFold(u.Host, r.Host) {
			return http.StatusForbidden, string(model.CodeForbidden), "WebSocket connections from another origin are refused"
		}
	}
	return 0, "", ""
}

func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for part := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(part), token) {
				return true
			}
		}
	}
	return false
}

// streamOperations keeps each transport to its operations: subscriptions over the streams,
// queries and mutations over plain HTTP; and bounds the subscriptions of a connection. A
// subscription's stream gets a StreamEnd, and when the server ends the stream the reason is
// sent as its last message, through the error presenter.
func (s *streams) streamOperations(present graphql.ErrorPresenterFunc) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		oc := graphql.GetOperationContext(ctx)
		if oc.Operation == nil {
			return next(ctx)
		}
		conn := streamConnFrom(ctx)
		sub := oc.Operation.Operation == ast.Subscription
		switch {
		case conn == nil && !sub:
			return next(ctx)
		case conn == nil:
			return refuse(ctx, codeBadRequest, "subscriptions are served over a WebSocket (graphql-transport-ws) or as Server-Sent Events (a POST with Accept: text/event-stream), not over plain HTTP")
		case !sub:
			return refuse(ctx, codeBadRequest, "this connection serves subscriptions only: send "+string(oc.Operation.Operation)+"s to /query with a POST")
		}
		// Validation lets two aliases of one field through, which the executor cannot serve.
		if n := len(graphql.CollectFields(oc, oc.Operation.SelectionSet, []string{"Subscription"})); n != 1 {
			return refuse(ctx, "GRAPHQL_VALIDATION_FAILED", "a subscription selects exactly one root field, once (aliases count); this one selects "+strconv.Itoa(n))
		}
		if conn.active.Add(1) > conn.max {
			conn.active.Add(-1)
			return refuse(ctx, codeBadRequest, "this connection already runs "+strconv.FormatInt(conn.max, 10)+" subscriptions, the most it may (KG_MAX_SUBSCRIPTIONS_PER_CONNECTION): stop one or open another connection")
		}
		var release sync.Once
		done := func() { release.Do(func() { conn.active.Add(-1) }) }
		context.AfterFunc(ctx, done)
		ctx, end := graph.WithStreamEnd(ctx)
		responses := next(ctx)
		sent := false
		return func(ctx context.Context) *graphql.Response {
			resp := responses(ctx)
			if resp != nil || sent {
				if resp == nil {
					done()
				}
				return resp
			}
			sent = true
			err := end.Err()
			if err == nil || ctx.Err() != nil {
				done()
				return nil
			}
			// The stream's last message says why it ended; the next call ends the stream.
			return &graphql.Response{Errors: gqlerror.List{present(ctx, err)}}
		}
	}
}

func refuse(ctx context.Context, code, msg string) graphql.ResponseHandler {
	if rec := recordFrom(ctx); rec != nil {
		rec.set(operationName(graphql.GetOperationContext(ctx)), []string{code})
	}
	return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{requestError(code, msg)}})
}

// notifyAfterMutations wakes the feed after each mutation, so that this server's subscribers
// hear of a local write at once rather than at the feed's next poll.
func notifyAfterMutations(f *feed.Feed) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		oc := graphql.GetOperationContext(ctx)
		responses := next(ctx)
		if oc.Operation == nil || oc.Operation.Operation != ast.Mutation {
			return responses
		}
		return func(ctx context.Context) *graphql.Response {
			resp := responses(ctx)
			f.Notify()
			return resp
		}
	}
}
