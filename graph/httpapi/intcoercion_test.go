package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
)

// TestIntCoercion holds Int input to the GraphQL spec: a 32-bit integer, never a string, in
// literals and in variables at any depth; refused before anything runs.
func TestIntCoercion(t *testing.T) {
	const writer = "int-coercion-token-0001"
	srv := apitest.NewServer(t, httpapi.Options{WriteTokens: []string{writer}})
	add := `mutation($in: RelationInput!) { addRelation(input: $in) { id } }`
	in := func(q any) map[string]any {
		return map[string]any{"in": map[string]any{"type": "ASSEMBLES", "from": "avtotor", "to": "kia", "quantity": q, "sourceIds": []string{"tass-2023-04-18"}}}
	}
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
		contains    string
	}{
		{"literal 2^31", `mutation { addRelation(input: {type: ASSEMBLES, from: "avtotor", to: "kia", quantity: 2147483648, sourceIds: ["x"]}) { id } }`, nil, "2147483648"},
		{"literal 2^63-1", `{ brands(first: 9223372036854775807) { totalCount } }`, nil, "9223372036854775807"},
		{"literal below -2^31", `{ brands(first: -2147483649) { totalCount } }`, nil, "-2147483649"},
		{"literal in a list default", `query($n: Int = 2147483648) { brands(first: $n) { totalCount } }`, nil, "2147483648"},
		{"variable 2^31", `query($n: Int) { brands(first: $n) { totalCount } }`, map[string]any{"n": json.Number("2147483648")}, "2147483648"},
		{"variable 2^63-1", `query($n: Int) { brands(first: $n) { totalCount } }`, map[string]any{"n": json.Number("9223372036854775807")}, "9223372036854775807"},
		{"variable string", `query($n: Int) { brands(first: $n) { totalCount } }`, map[string]any{"n": "10"}, "string"},
		{"nested variable 2^31", add, in(json.Number("2147483648")), "quantity"},
		{"nested variable string", add, in("10"), "string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := apitest.PostAs(t, srv.URL, "Bearer "+writer, tc.query, tc.vars)
			if len(resp.Errors) == 0 || resp.Errors[0].Code() != "GRAPHQL_VALIDATION_FAILED" || !strings.Contains(resp.Errors[0].Message, tc.contains) {
				t.Fatalf("data %s errors %+v, want GRAPHQL_VALIDATION_FAILED mentioning %q", resp.Data, resp.Errors, tc.contains)
			}
			if resp.Data != nil && string(resp.Data) != "null" {
				t.Errorf("it ran: data %s", resp.Data)
			}
		})
	}
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
	}{
		{"literal 2^31-1", `{ brands(first: 2147483647) { totalCount } }`, nil},
		{"literal -2^31", `{ brands(first: -2147483648) { totalCount } }`, nil},
		{"variable 2^31-1", `query($n: Int) { brands(first: $n) { totalCount } }`, map[string]any{"n": 2147483647}},
	} {
		t.Run(tc.name+" is an Int", func(t *testing.T) {
			// Coerced, then refused by the argument's own range.
			_, resp := apitest.Post(t, srv.URL, tc.query, tc.vars)
			if len(resp.Errors) == 0 || resp.Errors[0].Code() != "BAD_USER_INPUT" {
				t.Errorf("errors %+v, want the range check's BAD_USER_INPUT", resp.Errors)
			}
		})
	}
	t.Run("in range variables still work", func(t *testing.T) {
		resp := apitest.PostAs(t, srv.URL, "Bearer "+writer, `query($n: Int, $d: Int) { brands(first: $n) { totalCount } neighborhood(id: "avtotor", depth: $d) { truncated } }`, map[string]any{"n": 5, "d": json.Number("1")})
		if len(resp.Errors) > 0 {
			t.Errorf("errors %+v", resp.Errors)
		}
	})
}
