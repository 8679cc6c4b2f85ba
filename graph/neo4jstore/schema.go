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
	cypherCreateRelIDIndex = `CREATE INDEX %s IF NOT EXISTS FOR ()-[r:%s]-() ON (r.id)`
	// The full-text index is for people exploring the graph in Cypher
	// (db.index.fulltext.queryNodes); Search does not use it (see the package comment).
	cypherCreateNameFulltext = `CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.aliases]`
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
	return append(out, cypherCreateNameFulltext)
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
	return nil
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
