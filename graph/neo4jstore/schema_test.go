package neo4jstore

import (
	"errors"
	"fmt"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

func TestSchemaErrorKinds(t *testing.T) {
	exists := &neo4j.Neo4jError{Code: "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists"}
	denied := &neo4j.Neo4jError{Code: "Neo.ClientError.Security.Forbidden"}
	other := &neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError"}
	if !alreadyExists(fmt.Errorf("wrapped: %w", exists)) || alreadyExists(other) || alreadyExists(errors.New("x")) {
		t.Error("alreadyExists misclassifies")
	}
	if !forbidden(denied) || forbidden(exists) {
		t.Error("forbidden misclassifies")
	}
}
