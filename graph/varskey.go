package graph

import (
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
)

// VariablesKey is a text that tells the values of op's variables apart: two requests of op
// with the same key have the same values. ok is false when a value is not a scalar (a list or
// an input object) or the key would pass maxBytes, for which the caller keeps nothing. What
// depends only on an operation and its variables (a complexity estimate, the relation trees a
// lookup reads ahead) is remembered under the operation and this key.
func VariablesKey(op *ast.OperationDefinition, vars map[string]any, maxBytes int) (key string, ok bool) {
	if len(op.VariableDefinitions) == 0 {
		return "", true
	}
	var b []byte
	for _, d := range op.VariableDefinitions {
		v, given := vars[d.Variable]
		switch x := v.(type) {
		case nil:
			if given {
				b = append(b, 'n')
			} else {
				b = append(b, 'u')
			}
		case bool:
			b = strconv.AppendBool(append(b, 'b'), x)
		case int:
			b = strconv.AppendInt(append(b, 'i'), int64(x), 10)
		case int64:
			b = strconv.AppendInt(append(b, 'i'), x, 10)
		case float64:
			b = strconv.AppendFloat(append(b, 'f'), x, 'g', -1, 64)
		case string:
			b = append(strconv.AppendInt(append(b, 's'), int64(len(x)), 10), ':')
			b = append(b, x...)
		case interface{ String() string }: // json.Number
			b = append(b, 'j')
			b = append(b, x.String()...)
		default:
			return "", false
		}
		b = append(b, ';')
		if len(b) > maxBytes {
			return "", false
		}
	}
	return string(b), true
}
