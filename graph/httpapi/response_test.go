package httpapi

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestMarshalResponseIsJSONMarshal: the response writer's bytes are json.Marshal's, for data
// with the characters encoding/json escapes, errors, extensions, no data, and the
// incremental fields it leaves to json.Marshal.
func TestMarshalResponseIsJSONMarshal(t *testing.T) {
	yes := true
	cases := []*graphql.Response{
		{Data: json.RawMessage(`{"a":"b"}`)},
		{Data: json.RawMessage("{\"html\":\"<a href=\\\"x\\\">&amp;</a>\",\"ls\":\"\u2028 and \u2029 and \u2027 \u202a\",\"s\":\"\u00e9 \u4eac \\\" \\\\ \\u0001\"}")},
		{Data: json.RawMessage(`{"x":"` + "\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xe2" + `"}`)},
		{Data: json.RawMessage(`{"entity":null}`), Errors: gqlerror.List{{Message: "no <such> entity & more", Path: ast.Path{ast.PathName("entity"), ast.PathIndex(0)}, Extensions: map[string]any{"code": "NOT_FOUND"}}}},
		{Errors: gqlerror.List{{Message: "bad"}}},
		{Data: json.RawMessage(`{}`), Extensions: map[string]any{"storeCalls": int64(3), "b": "<", "a": []int{1}}},
		{Data: json.RawMessage(`{"a":1}`), Label: "l", Path: ast.Path{ast.PathName("a")}, HasNext: &yes},
		{},
	}
	for _, resp := range cases {
		want, werr := json.Marshal(resp)
		got, gerr := marshalResponse(resp)
		if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) {
			t.Errorf("marshalResponse = %s (%v), json.Marshal = %s (%v)", got, gerr, want, werr)
		}
	}
}
