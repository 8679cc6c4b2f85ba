package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// GraphQL's Int is a signed 32-bit integer, and as an input it accepts integers only: "All
// other input values, including strings with numeric content, must raise a request error"
// (the spec's Int input coercion). gqlparser accepts any 64-bit literal, and for variables
// also strings such as "10"; gqlgen's Int is Go's int. The two checks below hold the input to
// the spec before anything runs, as GRAPHQL_VALIDATION_FAILED like gqlparser's own errors.

const int32Range = "an Int is a whole number from -2147483648 to 2147483647"

// validationRules are gqlparser's rules plus the 32-bit range of Int literals.
func validationRules() *rules.Rules {
	r := rules.NewDefaultRules()
	r.AddRule("IntLiteralsFit32Bits", intLiteralRule)
	return r
}

// intLiteralRule refuses an Int literal outside 32 bits. Literals past 64 bits are already
// refused by ValuesOfCorrectType.
func intLiteralRule(observers *core.Events, addError core.AddErrFunc) {
	observers.OnValue(func(_ *core.Walker, v *ast.Value) {
		if v.Kind != ast.IntValue || v.Definition == nil || v.Definition.Name != "Int" {
			return
		}
		if _, err := strconv.ParseInt(v.Raw, 10, 64); err != nil {
			return
		}
		if _, err := strconv.ParseInt(v.Raw, 10, 32); err != nil {
			addError(core.Message("Int cannot represent %s: %s", clip(v.Raw, maxEchoed), int32Range), core.At(v.Position))
		}
	})
}

// intVariables checks every Int in the variables (top level, in lists and in input objects)
// after gqlparser's coercion: an integer within 32 bits, never a string. Variables of a type
// that cannot hold an Int (ints says which) are not walked.
type intVariables struct {
	schema *ast.Schema
	ints   map[string]bool
}

// newIntVariables is the check over schema, which knows which named types hold an Int
// (Int itself, and the input objects with an Int among their fields, however deep).
func newIntVariables(schema *ast.Schema) intVariables {
	c := intVariables{schema: schema, ints: map[string]bool{}}
	for name := range schema.Types {
		c.ints[name] = holdsInt(schema, name, map[string]bool{})
	}
	return c
}

// holdsInt says whether a value of the named type may hold an Int; seen guards against input
// objects that refer to themselves.
func holdsInt(schema *ast.Schema, name string, seen map[string]bool) bool {
	def := schema.Types[name]
	switch {
	case def == nil || seen[name]:
		return false
	case def.Kind == ast.Scalar:
		return def.Name == "Int"
	case def.Kind != ast.InputObject:
		return false
	}
	seen[name] = true
	for _, f := range def.Fields {
		if holdsInt(schema, f.Type.Name(), seen) {
			return true
		}
	}
	return false
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = intVariables{}

func (intVariables) ExtensionName() string { return "IntVariables" }

func (intVariables) Validate(graphql.ExecutableSchema) error { return nil }

func (c intVariables) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	for _, def := range oc.Operation.VariableDefinitions {
		v, ok := oc.Variables[def.Variable]
		if !ok || v == nil || !c.ints[def.Type.Name()] {
			continue
		}
		path := ast.Path{ast.PathName("variable"), ast.PathName(def.Variable)}
		if err := c.check(def.Type, v, path, "$"+def.Variable); err != nil {
			errcode.Set(err, errcode.ValidationFailed)
			return err
		}
	}
	return nil
}

func (c intVariables) check(t *ast.Type, v any, path ast.Path, name string) *gqlerror.Error {
	if v == nil || t == nil {
		return nil
	}
	if t.Elem != nil {
		list, ok := v.([]any)
		if !ok {
			// A single value stands for a list of one.
			return c.check(t.Elem, v, path, name)
		}
		for i, e := range list {
			if err := c.check(t.Elem, e, append(path[:len(path):len(path)], ast.PathIndex(i)), fmt.Sprintf("%s[%d]", name, i)); err != nil {
				return err
			}
		}
		return nil
	}
	def := c.schema.Types[t.NamedType]
	switch {
	case def == nil:
		return nil
	case def.Kind == ast.Scalar && def.Name == "Int":
		if why := notInt32(v); why != "" {
			return gqlerror.ErrorPathf(path, "variable %s: %s", clip(name, maxEchoed), why)
		}
	case def.Kind == ast.InputObject:
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		for _, f := range def.Fields {
			if fv, ok := m[f.Name]; ok {
				if err := c.check(f.Type, fv, append(path[:len(path):len(path)], ast.PathName(f.Name)), name+"."+f.Name); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// notInt32 says why v is not a GraphQL Int, or "".
func notInt32(v any) string {
	var n int64
	switch x := v.(type) {
	case int:
		n = int64(x)
	case int32:
		return ""
	case int64:
		n = x
	case json.Number:
		i, err := strconv.ParseInt(string(x), 10, 64)
		if err != nil {
			return "Int cannot represent " + clip(string(x), maxEchoed) + ": " + int32Range
		}
		n = i
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > math.MaxInt32+1 {
			return "Int cannot represent " + clip(strconv.FormatFloat(x, 'g', -1, 64), maxEchoed) + ": " + int32Range
		}
		n = int64(x)
	case string:
		return "Int cannot represent the string " + strconv.Quote(clip(x, maxEchoed)) + ": send the number without quotes"
	default:
		return "Int cannot represent this value: " + int32Range
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		return "Int cannot represent " + strconv.FormatInt(n, 10) + ": " + int32Range
	}
	return ""
}
