package gqlmodel

import (
	"io"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"github.com/autograph-kg/autograph/graph/model"
)

// The order inputs (EntityOrder, SourceOrder) are bound to model.Order (gqlgen.yml): their
// field enums read into model.SortField and OrderDirection into Order.Desc, through the
// functions below, which gqlgen finds by the enums' names. Each accepts exactly its enum's
// values: gqlparser lets a variable's enum value through whatever its case ("desc"), so the
// check has to be here, and a value in another case is BAD_USER_INPUT like any other value
// outside an enum (model's enums answer alike).

// orderEnum is one order enum: its GraphQL name and its values, in schema order.
type orderEnum[T comparable] struct {
	name   string
	names  []string
	values []T
}

func (e orderEnum[T]) unmarshal(v any) (T, error) {
	if s, ok := v.(string); ok {
		for i, n := range e.names {
			if s == n {
				return e.values[i], nil
			}
		}
	}
	var zero T
	return zero, model.Errorf(model.CodeBadUserInput, "%v is not a valid %s (allowed: %v)", v, e.name, e.names)
}

func (e orderEnum[T]) marshal(x T) graphql.Marshaler {
	for i, v := range e.values {
		if v == x {
			name := e.names[i]
			return graphql.WriterFunc(func(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(name)) })
		}
	}
	return graphql.Null
}

// The order enums, built on each call rather than kept in package variables.
func entityOrderFields() orderEnum[model.SortField] {
	return orderEnum[model.SortField]{"EntityOrderField", []string{"NAME", "ID", "FOUNDED", "CREATED_AT", "UPDATED_AT"},
		[]model.SortField{model.SortByName, model.SortByID, model.SortByFounded, model.SortByCreatedAt, model.SortByUpdatedAt}}
}

func sourceOrderFields() orderEnum[model.SortField] {
	return orderEnum[model.SortField]{"SourceOrderField", []string{"PUBLISHED_ON", "TITLE", "ID"},
		[]model.SortField{model.SortByPublishedOn, model.SortByTitle, model.SortByID}}
}

func relationOrderFields() orderEnum[model.SortField] {
	return orderEnum[model.SortField]{"RelationOrderField", []string{"ID", "TYPE", "VALID_FROM", "VALID_TO"},
		[]model.SortField{model.SortByID, model.SortByType, model.SortByValidFrom, model.SortByValidTo}}
}

func orderDirections() orderEnum[bool] {
	return orderEnum[bool]{"OrderDirection", []string{"ASC", "DESC"}, []bool{false, true}}
}

// MarshalEntityOrderField writes an entity order field as its EntityOrderField value.
func MarshalEntityOrderField(f model.SortField) graphql.Marshaler {
	return entityOrderFields().marshal(f)
}

// UnmarshalEntityOrderField reads an EntityOrderField value: NAME, ID, FOUNDED, CREATED_AT
// or UPDATED_AT.
func UnmarshalEntityOrderField(v any) (model.SortField, error) {
	return entityOrderFields().unmarshal(v)
}

// MarshalSourceOrderField writes a source order field as its SourceOrderField value.
func MarshalSourceOrderField(f model.SortField) graphql.Marshaler {
	return sourceOrderFields().marshal(f)
}

// UnmarshalSourceOrderField reads a SourceOrderField value: PUBLISHED_ON, TITLE or ID.
func UnmarshalSourceOrderField(v any) (model.SortField, error) {
	return sourceOrderFields().unmarshal(v)
}

// MarshalOrderDirection writes Order.Desc as its OrderDirection value.
func MarshalOrderDirection(desc bool) graphql.Marshaler { return orderDirections().marshal(desc) }

// UnmarshalOrderDirection reads an OrderDirection value into Order.Desc: ASC is false, DESC
// true.
func UnmarshalOrderDirection(v any) (bool, error) { return orderDirections().unmarshal(v) }

// MarshalRelationOrderField writes a relation order field as its RelationOrderField value.
func MarshalRelationOrderField(f model.SortField) graphql.Marshaler {
	return relationOrderFields().marshal(f)
}

// UnmarshalRelationOrderField reads a RelationOrderField value: ID, TYPE, VALID_FROM or
// VALID_TO.
func UnmarshalRelationOrderField(v any) (model.SortField, error) {
	return relationOrderFields().unmarshal(v)
}
