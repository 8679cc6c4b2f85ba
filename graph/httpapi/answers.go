package httpapi

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/maphash"
	"net/http"
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/autograph-kg/autograph/graph/model"
)

// The answer cache keeps the bytes of successful query answers and serves a request asking the
// same thing again without executing it. What an answer depends on is all in its key:
//
//   - the store's version: its newest revision and the floor of its history (model.History's
//     HistoryBounds). Every write that changes anything records a revision, and pruning raises
//     the floor, so an answer is never served once the graph (or the history that knownAt and
//     the history listings read) has moved on. Nothing in a query depends on the clock: knownAt
//     and asOf are explicit, and a knownAt in the future reads the newest revision;
//   - what the credential is (none, valid, invalid) and its role, so a protected server never
//     hands one caller's answer to a caller it would refuse;
//   - the response's media type (the Accept header);
//   - the request exactly as sent: a POST's body, a GET's URL query. A request written
//     differently (other whitespace, another variable order) is another key: it misses, and
//     is answered by executing it.
//
// Only queries are kept, only answers without errors or extensions and not larger than a
// sixteenth of the budget; mutations, subscriptions and failed requests are never stored.
// Entries are evicted least recently used first within a budget in bytes, and all of them are
// dropped when the store's version moves (none of them could be served again).
//
// The version is read before the request executes and again before its answer is kept, which
// is kept only when the two agree: an answer that a write, a prune or an import might have
// reached in part is not kept. While an import is under way on Neo4j (whose imports show
// batch by batch, and whose rollback takes them away without a revision) nothing is kept or
// served.
//
// On the embedded store the version is read from memory and is exact: the data directory is
// held by one process. On Neo4j it costs a round trip per request, and writes made to the
// database other than through autograph record no revision, which is why the server leaves the
// cache off on Neo4j unless KG_ANSWER_CACHE_MB is set.
type answerCache struct {
	history  model.History
	budget   int64
	maxEntry int
	seed     maphash.Seed
	metrics  *answerMetrics

	mu      sync.Mutex
	version answerVersion
	entries map[uint64]*answerEntry
	// newest and oldest are the ends of the recency list.
	newest, oldest *answerEntry
	bytes          int64
}

// maxAnswerKeyBytes bounds the request text a key is made of: documents longer than this are
// executed every time (they are rare, and a key is kept whole to be compared on a hit).
const maxAnswerKeyBytes = 64 << 10

// answerEntryOverhead is what an entry costs beyond its key and body, for the budget.
const answerEntryOverhead = 128

// answerVersion is the store's version an answer was computed at: its newest revision, its
// history floor, and how many imports it has begun (model.HistoryBounds.Imports; each only
// grows).
type answerVersion struct{ last, floor, imports int64 }

func (v answerVersion) after(o answerVersion) bool {
	if v.last != o.last {
		return v.last > o.last
	}
	if v.floor != o.floor {
		return v.floor > o.floor
	}
	return v.imports > o.imports
}

// versionOf reads the store's version; ok is false when it cannot be read or an import is
// under way (on Neo4j part of it may show, and a rollback takes it away without a revision).
func (c *answerCache) versionOf(ctx context.Context) (answerVersion, bool) {
	b, err := c.history.HistoryBounds(ctx)
	if err != nil || b.Importing {
		return answerVersion{}, false
	}
	return answerVersion{last: b.Last, floor: b.Floor, imports: b.Imports}, true
}

type answerEntry struct {
	hash       uint64
	key        []byte
	body       []byte
	operation  string
	newer      *answerEntry
	older      *answerEntry
	costsBytes int64
}

// answerMetrics counts the cache's lookups and the bytes it holds.
type answerMetrics struct {
	lookups *prometheus.CounterVec
	bytes   prometheus.Gauge
}

func newAnswerMetrics(reg *prometheus.Registry) *answerMetrics {
	if reg == nil {
		return nil
	}
	m := &answerMetrics{
		lookups: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "autograph_answer_cache_lookups_total",
			Help: "Requests looked up in the answer cache, by result: hit, miss, or bypass (not cacheable, or the store's version could not be read).",
		}, []string{"result"}),
		bytes: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "autograph_answer_cache_bytes",
			Help: "Bytes held by the answer cache (keys, answers and bookkeeping).",
		}),
	}
	reg.MustRegister(m.lookups, m.bytes)
	return m
}

func (m *answerMetrics) count(result string) {
	if m != nil {
		m.lookups.WithLabelValues(result).Inc()
	}
}

// newAnswerCache is a cache of budget bytes over h's versions, or nil when budget is not
// positive.
func newAnswerCache(h model.History, budget int64, reg *prometheus.Registry) *answerCache {
	if budget <= 0 || h == nil {
		return nil
	}
	return &answerCache{
		history:  h,
		budget:   budget,
		maxEntry: int(min(budget/16, 8<<20)),
		seed:     maphash.MakeSeed(),
		metrics:  newAnswerMetrics(reg),
		entries:  map[uint64]*answerEntry{},
	}
}

// answerKey is one request's key, ready to look up and, after execution, to store under.
type answerKey struct {
	version answerVersion
	hash    uint64
	key     []byte
}

// keyFor builds r's key from its request text (a POST's body, a GET's URL query), or says the
// request is not to be cached.
func (c *answerCache) keyFor(ctx context.Context, r *http.Request, media string, text []byte) (answerKey, bool) {
	if c == nil {
		return answerKey{}, false
	}
	if len(text) > maxAnswerKeyBytes {
		c.metrics.count("bypass")
		return answerKey{}, false
	}
	v, ok := c.versionOf(ctx)
	if !ok {
		c.metrics.count("bypass")
		return answerKey{}, false
	}
	vd := verdictFrom(ctx)
	key := make([]byte, 0, len(text)+len(media)+48)
	key = append(key, r.Method...)
	key = append(key, 0)
	key = append(key, media...)
	key = append(key, 0)
	key = strconv.AppendInt(key, int64(vd.state), 10)
	key = append(key, 0)
	key = append(key, vd.actor.Role...)
	key = append(key, 0)
	key = binary.BigEndian.AppendUint64(key, uint64(v.last))
	key = binary.BigEndian.AppendUint64(key, uint64(v.floor))
	key = binary.BigEndian.AppendUint64(key, uint64(v.imports))
	key = append(key, text...)
	return answerKey{version: v, hash: maphash.Bytes(c.seed, key), key: key}, true
}

// get is the entry stored under k, if any; it also moves the cache to k's version when k's is
// newer, dropping every entry of the older one.
func (c *answerCache) get(k answerKey) (*answerEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k.version.after(c.version) {
		c.dropAllLocked()
		c.version = k.version
	}
	e, ok := c.entries[k.hash]
	if !ok || !bytes.Equal(e.key, k.key) {
		c.metrics.count("miss")
		return nil, false
	}
	c.unlinkLocked(e)
	c.pushNewestLocked(e)
	c.metrics.count("hit")
	return e, true
}

// put stores an answer under k, unless it is too large, or the store's version is no longer
// k's (read again here: an answer computed while the version moved, or while an import began,
// may hold a state that no version names).
func (c *answerCache) put(ctx context.Context, k answerKey, operation string, body []byte) {
	if len(body) > c.maxEntry {
		return
	}
	if v, ok := c.versionOf(ctx); !ok || v != k.version {
		return
	}
	e := &answerEntry{hash: k.hash, key: k.key, body: bytes.Clone(body), operation: operation}
	e.costsBytes = int64(len(e.key)+len(e.body)+len(operation)) + answerEntryOverhead
	c.mu.Lock()
	defer c.mu.Unlock()
	if k.version != c.version {
		return
	}
	if old, ok := c.entries[k.hash]; ok {
		c.removeLocked(old)
	}
	for c.bytes+e.costsBytes > c.budget && c.oldest != nil {
		c.removeLocked(c.oldest)
	}
	c.entries[e.hash] = e
	c.pushNewestLocked(e)
	c.bytes += e.costsBytes
	c.gaugeLocked()
}

func (c *answerCache) dropAllLocked() {
	if len(c.entries) == 0 {
		return
	}
	clear(c.entries)
	c.newest, c.oldest, c.bytes = nil, nil, 0
	c.gaugeLocked()
}

func (c *answerCache) removeLocked(e *answerEntry) {
	c.unlinkLocked(e)
	delete(c.entries, e.hash)
	c.bytes -= e.costsBytes
	c.gaugeLocked()
}

func (c *answerCache) unlinkLocked(e *answerEntry) {
	if e.newer != nil {
		e.newer.older = e.older
	} else {
		c.newest = e.older
	}
	if e.older != nil {
		e.older.newer = e.newer
	} else {
		c.oldest = e.newer
	}
	e.newer, e.older = nil, nil
}

func (c *answerCache) pushNewestLocked(e *answerEntry) {
	e.older = c.newest
	if c.newest != nil {
		c.newest.newer = e
	}
	c.newest = e
	if c.oldest == nil {
		c.oldest = e
	}
}

func (c *answerCache) gaugeLocked() {
	if c.metrics != nil {
		c.metrics.bytes.Set(float64(c.bytes))
	}
}
