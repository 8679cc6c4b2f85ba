package httpapi

import (
	"reflect"
	"testing"

	"github.com/autograph-kg/autograph/graph"
)

// paramBodies are bodies that scanParams must read as decodeParams does, or leave to it.
var paramBodies = []string{
	`{"query":"{ __typename }"}`,
	` {"query" : "{ organization(id: \"avtotor\") { name } }", "variables" : null } `,
	"{\"query\":\"query Q($id: ID!) {\\n  entity(id: $id) { id }\\n}\",\"operationName\":\"Q\",\"variables\":{\"id\":\"avtotor\",\"n\":10,\"f\":1.5e3,\"l\":[1,{\"a\":null}]}}",
	`{"query":"\t\b\f\r\n\/\\\"","extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}`,
	`{"query":"\u00e9\u0041 \ud83d\ude97 \ud800 lone \udc00 \\u0041"}`,
	`{"query":"Автотор «BAIC»","variables":{"q":"Калининград"}}`,
	"{\"query\":\"bad \xff utf-8 \xe2\x80\"}",
	`{"query":"a","query":"b"}`,
	`{"query":"a","query":5}`,
	`{"query":5,"query":"a"}`,
	`{"variables":{"a":1},"variables":null,"query":"x"}`,
	`{"qu\u0065ry":"{ __typename }"}`,
	`{"Query":"{ __typename }"}`,
	`{"query":null,"extensions":{"persistedQuery":{}}}`,
	`{"query":"x","other":[1,2,{"}":"]"}],"more":true,"n":-1.5E+2,"f":false}`,
	`{"query":"x","variables":[]}`,
	`{"query":"x","variables":"{}"}`,
	`{"query":"x","operationName":{}}`,
	`{"query":"   "}`,
	`{}`,
	`null`,
	`[{"query":"x"}]`,
	`"x"`,
	``,
	`   `,
	`{"query":"x"`,
	`{"query":"x"} {}`,
	"\f{\"query\":\"x\"}",
	`{"query":"x",}`,
	`{"query":"x\u"}`,
	`{"query":"x","variables":{"id":"avtotor","asOf":null,"after":null,"n":-12.5e-3,"yes":true,"no":false}}`,
	`{"query":"x","variables":{ "a" : "b" , "a" : 1 }}`,
	`{"query":"x","variables":{}}`,
	`{"query":"x","variables":{ }}`,
	`{"query":"x","variables":{"q":"\u00e9\n\"","r":"Автотор"}}`,
	`{"query":"x","variables":{"\u0061":1}}`,
	`{"query":"x","variables":{"a":"\ud800"}}`,
	`{"query":"x","variables":{"a":1,"l":[1]}}`,
	`{"query":"x","variables":{"a":{"b":null}}}`,
}

func TestScanParamsAnswersAsEncodingJSON(t *testing.T) {
	for _, body := range paramBodies {
		checkScanParams(t, []byte(body))
	}
}

// FuzzScanParams holds scanParams to decodeParams on any body.
//
//	go test -run=^$ -fuzz=FuzzScanParams -fuzztime=1m ./graph/httpapi/
func FuzzScanParams(f *testing.F) {
	for _, b := range paramBodies {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkScanParams(t, body) })
}

func checkScanParams(t *testing.T, body []byte) {
	t.Helper()
	want, problem := decodeParams(body)
	got, ok := scanParams(body, nil)
	if !ok {
		// Left to decodeParams, which answers whatever it answers.
		return
	}
	// Through a table of query texts, first decoded and then remembered, the answer is the
	// same.
	var texts queryTexts
	for range 2 {
		again, ok := scanParams(body, &texts)
		if !ok || !reflect.DeepEqual(again, got) {
			t.Errorf("%q: through the query texts %#v (%v), alone %#v", body, again, ok, got)
		}
	}
	if gotProblem := missingQuery(got, noQueryInBody); gotProblem != problem {
		t.Errorf("%q: problem %q, decodeParams says %q", body, gotProblem, problem)
		return
	}
	if problem == "" && !reflect.DeepEqual(got, want) {
		t.Errorf("%q:\n got %#v\nwant %#v", body, got, want)
	}
}

// TestScanParamsReadsWhatClientsSend: the bodies clients send do not fall back to
// encoding/json.
func TestScanParamsReadsWhatClientsSend(t *testing.T) {
	for _, body := range paramBodies[:4] {
		if _, ok := scanParams([]byte(body), nil); !ok {
			t.Errorf("%q: left to decodeParams", body)
		}
	}
}

// TestIntVariablesKnowWhichTypesHoldAnInt: the types whose variables intVariables walks.
func TestIntVariablesKnowWhichTypesHoldAnInt(t *testing.T) {
	es := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}, Complexity: complexity()})
	c := newIntVariables(es.Schema())
	for name, want := range map[string]bool{
		"Int": true, "IntFilter": true, "RelatedWhere": true, "EntityWhere": true, "RelationInput": true,
		"String": false, "ID": false, "Date": false, "RelationType": false, "TextFilter": false, "Nope": false,
	} {
		if c.ints[name] != want {
			t.Errorf("%s holds an Int: %v, want %v", name, c.ints[name], want)
		}
	}
}
