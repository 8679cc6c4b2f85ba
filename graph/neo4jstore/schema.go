package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/model"
)

// The labels that are not entity kinds.
const (
	labelEntity = "Entity"
	labelSource = "Source"
)

// Schema statements. Every one is idempotent (IF NOT EXISTS); a plain CREATE INDEX is a range
// index, which serves the equality and range predicates the queries use.
const (
	cypherCreateUniqueID = `CREATE CONSTRAINT %s IF NOT EXISTS FOR (n:%s) REQUIRE n.id IS UNIQUE`
	cypherCreateIndex    = `CREATE INDEX %s IF NOT EXISTS FOR (n:%s) ON (n.%s)`
	// Relationship property indexes exist since 4.3; with one per type, Relation(id) is an
	// index seek per type instead of a scan of every relationship.
	cypherCreateNameIDIndex = `CREATE INDEX %s IF NOT EXISTS FOR (n:%s) ON (n.nameKey, n.id)`
	cypherCreateRelIDIndex  = `CREATE INDEX %s IF NOT EXISTS FOR ()-[r:%s]-() ON (r.id)`
	// The full-text index is for people exploring the graph in Cypher
	// (db.index.fulltext.queryNodes); Search does not use it (see the package comment).
	cypherCreateNameFulltext = `CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.aliases]`
	// A TEXT index answers CONTAINS on a string property without a scan (Neo4j 5: trigram
	// text-2.0 provider). searchText is the entity's search keys in one string, so Search and
	// NameContains find their candidates through it.
	cypherCreateSearchText = `CREATE TEXT INDEX entity_search_text IF NOT EXISTS FOR (n:Entity) ON (n.searchText)`
	// The import journal (journal.go): one run at a time, and its batches and saved items found
	// by index.
	cypherCreateImportLock   = `CREATE CONSTRAINT import_run_lock IF NOT EXISTS FOR (n:ImportRun) REQUIRE n.lock IS UNIQUE`
	cypherCreateJournalRun   = `CREATE INDEX import_journal_run IF NOT EXISTS FOR (n:ImportJournal) ON (n.run)`
	cypherCreateJournalBatch = `CREATE INDEX import_journal_batch IF NOT EXISTS FOR (n:ImportJournal) ON (n.batch)`
	cypherCreatePriorBatch   = `CREATE INDEX import_prior_batch IF NOT EXISTS FOR (n:ImportPrior) ON (n.importBatch)`
	// History (history.go): one counter; headers by number (unique, so two revisions can never
	// share one), by time for Prune and by import run; changes by item and number for an
	// item's history and PriorStates, by number alone for a revision's changes and everything
	// since a number, and by run (alone and with the item) for an import's.
	cypherCreateRevisionCounter  = `CREATE CONSTRAINT revision_counter_key IF NOT EXISTS FOR (n:RevisionCounter) REQUIRE n.key IS UNIQUE`
	cypherCreateRevisionNumber   = `CREATE CONSTRAINT revision_number IF NOT EXISTS FOR (n:Revision) REQUIRE n.number IS UNIQUE`
	cypherCreateRevisionAt       = `CREATE INDEX revision_at IF NOT EXISTS FOR (n:Revision) ON (n.at)`
	cypherCreateRevisionRun      = `CREATE INDEX revision_run IF NOT EXISTS FOR (n:Revision) ON (n.run)`
	cypherCreateChangeItemNumber = `CREATE INDEX revision_change_item_number IF NOT EXISTS FOR (n:RevisionChange) ON (n.itemId, n.number)`
	cypherCreateChangeNumber     = `CREATE INDEX revision_change_number IF NOT EXISTS FOR (n:RevisionChange) ON (n.number)`
	cypherCreateChangeRun        = `CREATE INDEX revision_change_run IF NOT EXISTS FOR (n:RevisionChange) ON (n.run)`
	cypherCreateChangeItemRun    = `CREATE INDEX revision_change_item_run IF NOT EXISTS FOR (n:RevisionChange) ON (n.itemId, n.run)`
)

// schemaStatements lists the schema the store needs, built only from the model's whitelists.
func schemaStatements() []string {
	var out []string
	labels := []string{labelEntity}
	for _, k := range model.AllEntityKinds() {
		labels = append(labels, k.Label())
	}
	labels = append(labels, labelSource)
	for _, l := range labels {
		out = append(out, fmt.Sprintf(cypherCreateUniqueID, snake(l)+"_id", l))
	}
	// The NAME ordering's keys, per label: a listing of one kind pages through its index in
	// order (see entityAfterNameAsc).
	for _, l := range labels[:len(labels)-1] {
		out = append(out, fmt.Sprintf(cypherCreateNameIDIndex, snake(l)+"_name_key_id", l))
	}
	for _, ix := range []struct{ label, prop string }{
		{labelEntity, "nameKey"},
		{labelEntity, "countryId"},
		{labelSource, "titleKey"},
		{labelSource, "publishedStart"},
		{labelSource, "publisherId"},
	} {
		out = append(out, fmt.Sprintf(cypherCreateIndex, snake(ix.label)+"_"+snake(ix.prop), ix.label, ix.prop))
	}
	for _, t := range model.AllRelationTypes() {
		out = append(out, fmt.Sprintf(cypherCreateRelIDIndex, "rel_"+strings.ToLower(string(t))+"_id", t))
	}
	return append(out, cypherCreateNameFulltext, cypherCreateSearchText,
		cypherCreateImportLock, cypherCreateJournalRun, cypherCreateJournalBatch, cypherCreatePriorBatch,
		cypherCreateRevisionCounter, cypherCreateRevisionNumber, cypherCreateRevisionAt, cypherCreateRevisionRun,
		cypherCreateChangeItemNumber, cypherCreateChangeNumber, cypherCreateChangeRun, cypherCreateChangeItemRun)
}

// snake turns a label or property name such as VehicleModel or nameKey into vehicle_model or
// name_key, for schema object names.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ensureSchema creates the constraints and indexes that are missing. Two servers starting at
// once may race to create the same one; the loser's "already exists" is success.
func (s *Store) ensureSchema(ctx context.Context) error {
	for _, stmt := range schemaStatements() {
		_, err := neo4j.ExecuteQuery(ctx, s.driver, stmt, nil, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithWritersRouting(),
			neo4j.ExecuteQueryWithDatabase(s.database))
		switch {
		case err == nil, alreadyExists(err):
		case forbidden(err):
			// A user without schema privileges can still read and write: the queries are
			// correct without the indexes, only slower, and the database's owner may have
			// created them already. Say so once and go on.
			s.logger.WarnContext(ctx, "neo4j: not allowed to create the schema; relying on the existing one", "err", err)
			return nil
		default:
			return wrapErr(ctx, "create schema", err)
		}
	}
	return s.backfillSearchText(ctx)
}

// cypherBackfillSearchText gives up to $n entities written before searchText existed their
// searchText, built from searchKeys exactly as searchText does in Go (keys joined by $sep).
const cypherBackfillSearchText = `
MATCH (n:Entity)
WHERE n.searchText IS NULL AND n.searchKeys IS NOT NULL
WITH n LIMIT $n
SET n.searchText = reduce(acc = head(n.searchKeys), k IN tail(n.searchKeys) | acc + $sep + k)
RETURN count(n) AS n`

// backfillSearchText fills in searchText on entities a store of an earlier release wrote, in
// batches, so Search finds them through its index. On a graph that has it everywhere it is
// one statement that finds nothing.
func (s *Store) backfillSearchText(ctx context.Context) error {
	for {
		n, err := rawWriteTx(ctx, s, func(tx neo4j.ManagedTransaction) (int64, error) {
			return runCount(ctx, tx, cypherBackfillSearchText, map[string]any{"n": int64(DefaultImportBatchSize), "sep": searchTextSep}, "n")
		})
		if forbidden(err) {
			s.logger.WarnContext(ctx, "neo4j: not allowed to fill in searchText; search misses entities without it", "err", err)
			return nil
		}
		if err != nil {
			return wrapErr(ctx, "fill in searchText", err)
		}
		if n == 0 {
			return nil
		}
	}
}

// forbidden reports whether the server refused a command for lack of privileges.
func forbidden(err error) bool {
	var dbErr *neo4j.Neo4jError
	return errors.As(err, &dbErr) && dbErr.Code == "Neo.ClientError.Security.Forbidden"
}

// alreadyExists reports whether a schema command failed only because an equivalent
// constraint or index was created concurrently.
func alreadyExists(err error) bool {
	var dbErr *neo4j.Neo4jError
	if !errors.As(err, &dbErr) {
		return false
	}
	return strings.HasPrefix(dbErr.Code, "Neo.ClientError.Schema.") && strings.HasSuffix(dbErr.Code, "AlreadyExists")
}
