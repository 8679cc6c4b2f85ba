package neo4jstore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/model"
)

// Compile-time check that Store implements the storage contract.
var _ model.Store = (*Store)(nil)

// DefaultDatabase is the database used when Config.Database is empty, as in Neo4j's own tools.
const DefaultDatabase = "neo4j"

// uriSchemes are the URI schemes the driver understands: bolt for one server, neo4j for
// routing (a cluster or Aura); +s verifies TLS certificates, +ssc accepts self-signed ones.
var uriSchemes = []string{"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}

// Config says how to reach Neo4j.
type Config struct {
	// URI is the server or cluster address, e.g. neo4j://localhost:7687 or neo4j+s://x.databases.neo4j.io.
	URI string
	// Username and Password are basic-auth credentials; both empty means no authentication.
	Username string
	Password string
	// Database is the database to use; empty means DefaultDatabase.
	Database string
	// AcquireTimeout bounds the wait for a pooled connection; zero keeps the driver's default.
	AcquireTimeout time.Duration
	// Logger receives the driver's warnings and the store's own notes; nil discards them.
	Logger *slog.Logger
	// ImportBatchSize is how many rows one transaction of Import writes; zero means
	// DefaultImportBatchSize. Smaller batches hold less transaction memory on the server.
	ImportBatchSize int
	// ImportWorkers is how many of Import's transactions run at once; zero means
	// DefaultImportWorkers. One writes the batches one after the other.
	ImportWorkers int
}

// String describes the configuration without the password, so a Config can be printed.
func (c Config) String() string {
	return fmt.Sprintf("neo4j %s database %q user %q", redactURI(c.URI), c.database(), c.Username)
}

// LogValue keeps the password out of structured logs.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("uri", redactURI(c.URI)),
		slog.String("database", c.database()),
		slog.String("username", c.Username),
	)
}

func (c Config) database() string {
	if c.Database == "" {
		return DefaultDatabase
	}
	return c.Database
}

// validate checks the parts of a Config that Open relies on. Its messages never contain the
// password, even when it is embedded in the URI.
func (c Config) validate() error {
	if c.URI == "" {
		return errors.New("the Neo4j URI is empty (set NEO4J_URI, e.g. neo4j://localhost:7687)")
	}
	u, err := url.Parse(c.URI)
	if err != nil {
		// url.Error repeats the URI, password included: say what is wrong without it.
		return fmt.Errorf("the Neo4j URI %q is not a valid URL", redactURI(c.URI))
	}
	if !slices.Contains(uriSchemes, u.Scheme) {
		return fmt.Errorf("the Neo4j URI %s has scheme %q; use one of %s", u.Redacted(), u.Scheme, strings.Join(uriSchemes, ", "))
	}
	if u.Host == "" {
		return fmt.Errorf("the Neo4j URI %s names no host", u.Redacted())
	}
	if c.Password != "" && c.Username == "" {
		return errors.New("a Neo4j password is set but no username (set NEO4J_USERNAME)")
	}
	return nil
}

// redactURI is the URI as it may appear in messages: a password in it is replaced.
func redactURI(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URI)"
	}
	return u.Redacted()
}

// ConfigFromEnv reads NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE (default
// "neo4j"), the names Neo4j's own tools use. getenv is os.Getenv in production and a map
// lookup in tests.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		URI:      strings.TrimSpace(getenv("NEO4J_URI")),
		Username: getenv("NEO4J_USERNAME"),
		Password: getenv("NEO4J_PASSWORD"),
		Database: strings.TrimSpace(getenv("NEO4J_DATABASE")),
	}
	if c.Database == "" {
		c.Database = DefaultDatabase
	}
	if err := c.validate(); err != nil {
		return Config{}, fmt.Errorf("neo4j config: %w", err)
	}
	return c, nil
}

// Store is the Neo4j model.Store. It holds one driver (a connection pool) for the process and
// is safe for concurrent use.
type Store struct {
	driver   neo4j.DriverWithContext
	database string
	logger   *slog.Logger
	// now stamps createdAt and updatedAt; a field so that tests can pin it.
	now    func() time.Time
	closed atomic.Bool
	// importBatch is the rows of one import transaction (Config.ImportBatchSize).
	importBatch int
	// importWorkers is how many import transactions run at once (Config.ImportWorkers).
	importWorkers int
	// importLease is how old an import's heartbeat may get before another store takes the
	// import for abandoned (journal.go); a field so that tests can shorten it.
	importLease time.Duration
	// retry is how a read that failed is asked again (autocommit.go): the driver's rules for
	// managed transactions, over the driver's MaxTransactionRetryTime.
	retry retryPolicy
	// importHook, when set (by tests), runs before each write batch of Import with the
	// batch's number from 1; an error fails the import there.
	importHook func(batch int) error
}

// Open connects to Neo4j, checks that it answers, and makes sure the constraints and indexes
// the store relies on exist. A server that cannot be reached is UNAVAILABLE, with a message
// that names the URI but never the password.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("neo4j: open: %w", err)
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	auth := neo4j.NoAuth()
	if cfg.Username != "" {
		auth = neo4j.BasicAuth(cfg.Username, cfg.Password, "")
	}
	var retryWindow time.Duration
	driver, err := neo4j.NewDriverWithContext(cfg.URI, auth, func(c *neo4j.Config) {
		defer func() { retryWindow = c.MaxTransactionRetryTime }()
		if cfg.AcquireTimeout > 0 {
			c.ConnectionAcquisitionTimeout = cfg.AcquireTimeout
			// The driver retries a transaction that lost its connection for up to
			// MaxTransactionRetryTime (30 s by default), and the store's reads retry under
			// the same rules over the same window (autocommit.go); while Neo4j is down that would hold
			// each request until its deadline. Its back-off (1 s, doubling, with jitter) runs
			// past the window by up to twice the window (measured: a 2 s window failed after
			// 5.4-6.1 s), so the window is a third of the acquisition bound: requests fail
			// with UNAVAILABLE within about KG_NEO4J_ACQUIRE_TIMEOUT, and still get one retry,
			// which replaces a pooled connection that went stale when Neo4j restarted.
			c.MaxTransactionRetryTime = cfg.AcquireTimeout / 3
		}
		if cfg.Logger != nil {
			c.Log = driverLogger{cfg.Logger}
		}
	})
	if err != nil {
		return nil, fmt.Errorf("neo4j: open %s: %w", redactURI(cfg.URI), err)
	}
	if cfg.ImportBatchSize < 0 || cfg.ImportWorkers < 0 {
		return nil, errors.Join(fmt.Errorf("neo4j: open: the import batch size and workers must be positive, not %d and %d",
			cfg.ImportBatchSize, cfg.ImportWorkers), driver.Close(ctx))
	}
	s := &Store{driver: driver, database: cfg.database(), logger: logger, now: time.Now,
		importBatch: cmp.Or(cfg.ImportBatchSize, DefaultImportBatchSize), importWorkers: cmp.Or(cfg.ImportWorkers, DefaultImportWorkers),
		importLease: defaultImportLease, retry: defaultRetryPolicy(retryWindow)}
	fail := func(err error) (*Store, error) {
		return nil, errors.Join(err, driver.Close(ctx))
	}
	if err := driver.VerifyConnectivity(ctx); err != nil {
		return fail(&model.Error{
			Code:    model.CodeUnavailable,
			Message: fmt.Sprintf("cannot reach Neo4j at %s", redactURI(cfg.URI)),
			Err:     err,
		})
	}
	if info, err := driver.GetServerInfo(ctx); err == nil {
		if !supportedServer(info.Agent()) {
			return fail(fmt.Errorf("neo4j: open %s: server %s is too old: Neo4j 5.26 or a later release is required", redactURI(cfg.URI), info.Agent()))
		}
		logger.InfoContext(ctx, "neo4j: connected", "server", info.Agent(), "address", info.Address(), "database", s.database)
	}
	if err := s.ensureSchema(ctx); err != nil {
		return fail(err)
	}
	if err := s.recoverImports(ctx); err != nil {
		if !forbidden(errors.Unwrap(err)) {
			return fail(err)
		}
		logger.WarnContext(ctx, "neo4j: not allowed to recover an abandoned import", "err", err)
	}
	return s, nil
}

// supportedServer reports whether the agent string ("Neo4j/5.26.30", "Neo4j/2026.08.1",
// "Neo4j/5-aura") names 5.26 or later: the statements use CALL scope clauses (5.23 on), and
// 5.26 is the oldest release the tests run. Aura runs a current release whatever number its
// agent shows. An agent it cannot parse is given the benefit of the doubt.
func supportedServer(agent string) bool {
	v, ok := strings.CutPrefix(agent, "Neo4j/")
	if !ok || strings.Contains(v, "aura") {
		return true
	}
	var major, minor int
	if n, _ := fmt.Sscanf(v, "%d.%d", &major, &minor); n < 2 {
		return true
	}
	return major > 5 || (major == 5 && minor >= 26)
}

// Close releases the driver's connections. Like every other method, it is UNAVAILABLE on a
// store that is already closed.
func (s *Store) Close(ctx context.Context) error {
	if !s.closed.CompareAndSwap(false, true) {
		return errClosed("close")
	}
	if err := s.driver.Close(ctx); err != nil {
		return fmt.Errorf("neo4j: close: %w", err)
	}
	return nil
}

// cypherPing is the statement of Ping.
const cypherPing = `RETURN 1 AS ok`

// Ping runs a trivial read against the database, so it fails when the server is up but the
// database is not; any failure is UNAVAILABLE.
func (s *Store) Ping(ctx context.Context) error {
	if _, err := s.read(ctx, "ping", cypherPing, nil); err != nil {
		if model.ErrorCode(err) == model.CodeUnavailable {
			return err
		}
		return &model.Error{Code: model.CodeUnavailable, Message: "the graph database is unavailable", Err: err}
	}
	return nil
}

// cypherCountEntities is answered from the count store, not by scanning.
const cypherCountEntities = `
MATCH (n:Entity)
RETURN count(n) AS count`

// IsEmpty reports whether the database holds no entity, so the server can seed it on first
// start (KG_SEED=auto). It reads the count store: constant time whatever the graph's size.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	recs, err := s.read(ctx, "is empty", cypherCountEntities, nil)
	if err != nil {
		return false, err
	}
	n, err := single(recs, "is empty", func(r *neo4j.Record) (int64, error) { return recordValue[int64](r, "count") })
	if err != nil {
		return false, err
	}
	return n == 0, nil
}

// errClosed is the error of every call on a closed store.
func errClosed(op string) error {
	return fmt.Errorf("neo4j: %s: %w", op, model.Errorf(model.CodeUnavailable, "the Neo4j store is closed"))
}

// read runs one read query as an auto-commit transaction (autocommit.go), retried as the
// driver retries a managed one, routed to a reader in a cluster, on the configured database.
func (s *Store) read(ctx context.Context, op, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	if s.closed.Load() {
		return nil, errClosed(op)
	}
	recs, err := s.retry.run(ctx, func() ([]*neo4j.Record, error) { return s.readOnce(ctx, cypher, params) })
	if err != nil {
		return nil, wrapErr(ctx, op, err)
	}
	return recs, nil
}

// txTimeout carries the caller's deadline to the server as the transaction timeout, so Neo4j
// itself stops work the client has given up on (the driver alone would only stop waiting).
func txTimeout(ctx context.Context) []func(*neo4j.TransactionConfig) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return nil
	}
	return []func(*neo4j.TransactionConfig){neo4j.WithTxTimeout(max(time.Until(deadline), time.Millisecond))}
}

// session opens a session on the configured database that shares the bookmark manager of
// ExecuteQuery, so a read after an Import or a write sees it even in a cluster (causal
// consistency; see the package comment).
func (s *Store) session(ctx context.Context, mode neo4j.AccessMode) neo4j.SessionWithContext {
	return s.driver.NewSession(ctx, s.sessionConfig(mode))
}

// sessionConfig is the configuration of every session the store opens.
func (s *Store) sessionConfig(mode neo4j.AccessMode) neo4j.SessionConfig {
	return neo4j.SessionConfig{
		DatabaseName:    s.database,
		AccessMode:      mode,
		BookmarkManager: s.driver.ExecuteQueryBookmarkManager(),
	}
}

// wrapErr names the operation and classifies a driver error: the store's own domain errors
// pass through, anything that means "Neo4j cannot answer now" becomes UNAVAILABLE with a
// client-safe message, and the rest is internal. The driver's error stays the cause (for
// logs); it may contain Cypher, so it never becomes the message.
func wrapErr(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	var domain *model.Error
	if errors.As(err, &domain) {
		return fmt.Errorf("neo4j: %s: %w", op, err)
	}
	if unavailable(ctx, err) {
		cause := fmt.Errorf("neo4j: %s: %w", op, err)
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			// The driver may report a done context as a lost connection; keep the context's
			// error in the chain so callers can tell cancellation with errors.Is.
			cause = fmt.Errorf("neo4j: %s: %w (%w)", op, ctxErr, err)
		}
		return &model.Error{
			Code:    model.CodeUnavailable,
			Message: "the graph database is unavailable, try again later",
			Err:     cause,
		}
	}
	return fmt.Errorf("neo4j: %s: %w", op, err)
}

// unavailable reports whether err means Neo4j could not answer (as opposed to a bug in a
// query or bad data): lost or refused connections, exhausted retries, transient server
// errors, a done context, rejected credentials, a missing database.
func unavailable(ctx context.Context, err error) bool {
	if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	var conn *neo4j.ConnectivityError
	var limit *neo4j.TransactionExecutionLimit
	var token *neo4j.TokenExpiredError
	var auth *neo4j.InvalidAuthenticationError
	if errors.As(err, &conn) || errors.As(err, &limit) || errors.As(err, &token) || errors.As(err, &auth) || neo4j.IsRetryable(err) {
		return true
	}
	var dbErr *neo4j.Neo4jError
	if errors.As(err, &dbErr) {
		switch {
		case dbErr.IsRetriable(),
			strings.HasPrefix(dbErr.Code, "Neo.TransientError."),
			strings.HasPrefix(dbErr.Code, "Neo.ClientError.Security."),
			dbErr.Code == "Neo.ClientError.Database.DatabaseNotFound",
			dbErr.Code == "Neo.ClientError.General.DatabaseUnavailable":
			return true
		}
	}
	return false
}

// single returns the one record an aggregating query always produces, mapped by fn.
func single[T any](recs []*neo4j.Record, op string, fn func(*neo4j.Record) (T, error)) (T, error) {
	var zero T
	if len(recs) != 1 {
		return zero, fmt.Errorf("neo4j: %s: expected one record, got %d", op, len(recs))
	}
	v, err := fn(recs[0])
	if err != nil {
		return zero, fmt.Errorf("neo4j: %s: %w", op, err)
	}
	return v, nil
}

// joinClose closes a session and joins its error to the work's.
func joinClose(ctx context.Context, err error, session neo4j.SessionWithContext) error {
	return errors.Join(err, session.Close(ctx))
}

// collect runs one statement in tx and returns all its records.
func collect(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}

// one returns the one record a statement must produce, mapped by fn.
func one[T any](recs []*neo4j.Record, fn func(*neo4j.Record) (T, error)) (T, error) {
	var zero T
	if len(recs) != 1 {
		return zero, fmt.Errorf("expected one record, got %d", len(recs))
	}
	return fn(recs[0])
}

// intColumn reads an integer column of a record.
func intColumn(key string) func(*neo4j.Record) (int64, error) {
	return func(rec *neo4j.Record) (int64, error) { return recordValue[int64](rec, key) }
}

// runCount runs a statement that returns one integer column and returns its sum over records.
func runCount(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any, key string) (int64, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return 0, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return 0, err
	}
	var sum int64
	for _, rec := range recs {
		n, err := recordValue[int64](rec, key)
		if err != nil {
			return 0, err
		}
		sum += n
	}
	return sum, nil
}

// withParams merges parameter maps into a new one; later maps win.
func withParams(ms ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}
