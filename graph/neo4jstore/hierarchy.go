package neo4jstore

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/autograph-kg/autograph/graph/model"
)

// Hierarchies (model.RelationType.Hierarchical) may not loop. The check runs inside the
// write's transaction, after the relations are written: cypherHierarchyChain looks for a chain
// back from each written relation's target to its source, and model.CheckNoCycle decides. A
// refusal rolls the whole transaction back, so nothing of the write or import remains.

// cypherHierarchyChain looks, after relations of the hierarchical type %s were written in
// the transaction, for a chain of that type leading from a row's "to" entity back to its
// "from" entity: that relation then closes a cycle (model.CheckNoCycle). Rows are
// {i, id, from, to}; the first row by i that has a chain comes back with the chain's entity
// ids, from "to" to "from". A shortest chain never runs through the row's own relation,
// which starts where the chain ends, so the relations written just before need no
// exclusion.
const cypherHierarchyChain = `
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
CALL (a, b) {
  MATCH p = shortestPath((b)-[:%s*]->(a))
  RETURN [n IN nodes(p) | n.id] AS chain
  LIMIT 1
}
RETURN row.i AS i, row.id AS id, chain
ORDER BY i
LIMIT 1`

// hierarchyChainQuery is cypherHierarchyChain for one hierarchical type; any other type is
// BAD_USER_INPUT.
func hierarchyChainQuery(t model.RelationType) (string, error) {
	if !t.IsValid() || !t.Hierarchical() {
		return "", model.Errorf(model.CodeBadUserInput, "%q is not a hierarchical relation type", t)
	}
	return fmt.Sprintf(cypherHierarchyChain, t), nil
}

// chainHit is the first relation, by position, that cypherHierarchyChain found on a cycle.
type chainHit struct {
	i     int64
	id    string
	chain []string
}

// chainRow is the row of cypherHierarchyChain for relation r at position i.
func chainRow(i int, r *model.Relation) map[string]any {
	return map[string]any{"i": int64(i), "id": r.ID, "from": r.FromID, "to": r.ToID}
}

// firstChain runs cypherHierarchyChain for rows of relations of type t and returns the first
// hit by position, or nil.
func firstChain(ctx context.Context, tx neo4j.ManagedTransaction, t model.RelationType, rows []map[string]any) (*chainHit, error) {
	cypher, err := hierarchyChainQuery(t)
	if err != nil {
		return nil, err
	}
	recs, err := collect(ctx, tx, cypher, map[string]any{"rows": rows})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, nil
	}
	rec := recs[0]
	i, err := recordValue[int64](rec, "i")
	if err != nil {
		return nil, fmt.Errorf("hierarchy chain: %w", err)
	}
	id, err := recordValue[string](rec, "id")
	if err != nil {
		return nil, fmt.Errorf("hierarchy chain: %w", err)
	}
	chain, err := listOf[string](rec, "chain")
	if err != nil {
		return nil, fmt.Errorf("hierarchy chain: %w", err)
	}
	return &chainHit{i: i, id: id, chain: chain}, nil
}

// checkWrittenCycle is the cycle check of AddRelation and UpdateRelation, run after r was
// written in tx.
func checkWrittenCycle(ctx context.Context, tx neo4j.ManagedTransaction, r *model.Relation) error {
	if !r.Type.Hierarchical() {
		return nil
	}
	hit, err := firstChain(ctx, tx, r.Type, []map[string]any{chainRow(0, r)})
	if err != nil || hit == nil {
		return err
	}
	return model.CheckNoCycle(r, hit.chain)
}

// checkImportedCycles is the cycle check of Import, run after every relation was written in
// tx. Validate has refused cycles within the dataset, so what is left are cycles through
// stored relations; storedBefore says which hierarchical types had relationships before the
// import (a type without any cannot loop through stored ones). Every such cycle runs through a
// relation the import wrote (changed holds their ids): those are checked in dataset order,
// batch by batch, and the first on a cycle is refused (model.CheckImportedCycle).
func checkImportedCycles(ctx context.Context, tx neo4j.ManagedTransaction, d *model.Dataset, storedBefore map[model.RelationType]bool, changed map[string]bool) error {
	type pending struct {
		i int
		r *model.Relation
	}
	var todo []pending
	for i, r := range d.Relations {
		if r.Type.Hierarchical() && storedBefore[r.Type] && changed[r.ID] {
			todo = append(todo, pending{i, r})
		}
	}
	for _, batch := range batches(todo, batchSize) {
		if err := ctx.Err(); err != nil {
			return err
		}
		byType := map[model.RelationType][]map[string]any{}
		for _, p := range batch {
			byType[p.r.Type] = append(byType[p.r.Type], chainRow(p.i, p.r))
		}
		var first *chainHit
		for _, t := range model.AllRelationTypes() {
			if len(byType[t]) == 0 {
				continue
			}
			hit, err := firstChain(ctx, tx, t, byType[t])
			if err != nil {
				return err
			}
			if hit != nil && (first == nil || hit.i < first.i) {
				first = hit
			}
		}
		if first != nil {
			return model.CheckImportedCycle(d.Relations[first.i], first.chain)
		}
	}
	return nil
}

// cypherCountRelations counts the relationships of one type (%s), from the count store.
const cypherCountRelations = `
MATCH ()-[r:%s]->()
RETURN count(r) AS n`

// countRelationsQuery is cypherCountRelations for one type.
func countRelationsQuery(t model.RelationType) (string, error) {
	if !t.IsValid() {
		return "", model.Errorf(model.CodeBadUserInput, "unknown relation type %q", t)
	}
	return fmt.Sprintf(cypherCountRelations, t), nil
}

// hierarchicalTypesStored reports which hierarchical types have relationships in the graph.
func hierarchicalTypesStored(ctx context.Context, tx neo4j.ManagedTransaction) (map[model.RelationType]bool, error) {
	out := map[model.RelationType]bool{}
	for _, t := range model.AllRelationTypes() {
		if !t.Hierarchical() {
			continue
		}
		cypher, err := countRelationsQuery(t)
		if err != nil {
			return nil, err
		}
		n, err := runCount(ctx, tx, cypher, nil, "n")
		if err != nil {
			return nil, err
		}
		out[t] = n > 0
	}
	return out, nil
}
