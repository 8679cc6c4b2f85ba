package httpapi

import (
	"encoding/json"
	"strings"
	"testing"
)

// jsonTexts are texts on which validJSON must agree with encoding/json.Valid.
var jsonTexts = []string{
	``, ` `, `{}`, `[]`, `{ }`, `[ ]`, `null`, `true`, `false`, `nul`, `tru`, `fals`, `nullx`,
	`0`, `-0`, `01`, `-`, `1.`, `1.5`, `.5`, `1e`, `1e+`, `1e+5`, `1E-05`, `-12.5e3`, `1.e3`, `2a`,
	`""`, `"\"`, `"\u00e9"`, `"\u00g9"`, `"\u00e"`, `"\x"`, `"\/\b\f\n\r\t\\\""`, "\"a\tb\"", "\"\x7f\"",
	"\"\xff\xfe\"", `"unterminated`, `{"a":1}`, `{"a":1,}`, `{"a" 1}`, `{"a":}`, `{,"a":1}`, `{1:2}`,
	`[1,2,]`, `[,1]`, `[1 2]`, `[1,[2,{"b":[3]}]]`, `{"a":[}`, `[{]}`, `{"a":{"b":{"c":null}}}`,
	`{"a":1}}`, `[1]]`, `{"a":1} {}`, "\f{}", "\t\r\n{}\n", `{"query":"{ __typename }"}`,
	strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
	strings.Repeat(`{"a":`, 70) + "1" + strings.Repeat("}", 70),
	strings.Repeat(`{"a":[`, 40) + "1" + strings.Repeat("]}", 40),
	strings.Repeat(`{"a":[`, 40) + "1" + strings.Repeat("}]", 40),
}

func TestValidJSONAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range append(jsonTexts, paramBodies...) {
		if got, want := validJSON([]byte(s)), json.Valid([]byte(s)); got != want {
			t.Errorf("validJSON(%.80q) = %v, json.Valid says %v", s, got, want)
		}
	}
}

// FuzzValidJSON holds validJSON to encoding/json.Valid on any text.
//
//	go test -run=^$ -fuzz=FuzzValidJSON -fuzztime=1m ./graph/httpapi/
func FuzzValidJSON(f *testing.F) {
	for _, s := range append(jsonTexts, paramBodies...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := validJSON(b), json.Valid(b); got != want {
			t.Errorf("validJSON(%q) = %v, json.Valid says %v", b, got, want)
		}
	})
}
