package httpapi

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"
)

// TestQueryTextsRemembersEachText: a query sent again is answered with the same string, not a
// new copy; what is not a JSON string is refused and not kept; a text longer than the
// parsed-query cache keeps is decoded each time and not kept; the table never holds more
// than maxQueryTexts.
func TestQueryTextsRemembersEachText(t *testing.T) {
	var q queryTexts
	raw := []byte(`"query Q {\n  organization(id: \"avtotor\") { name }\n}"`)
	first, ok := q.decode(raw)
	if !ok || first != "query Q {\n  organization(id: \"avtotor\") { name }\n}" {
		t.Fatalf("decode = %q, %v", first, ok)
	}
	again, ok := q.decode(append([]byte(nil), raw...))
	if !ok || unsafe.StringData(again) != unsafe.StringData(first) {
		t.Fatalf("the second decoding made a new string (%v)", ok)
	}

	if s, ok := q.decode([]byte(`123`)); ok {
		t.Fatalf("a number decoded to %q", s)
	}
	long := []byte(`"` + strings.Repeat("a", maxCachedQueryBytes) + `"`)
	if s, ok := q.decode(long); !ok || len(s) != maxCachedQueryBytes {
		t.Fatalf("a long text: %d bytes, %v", len(s), ok)
	}
	if _, kept := q.texts[string(long)]; kept {
		t.Fatal("a text longer than the parsed-query cache keeps was kept")
	}
	if len(q.texts) != 1 {
		t.Fatalf("%d texts kept, want 1", len(q.texts))
	}

	for i := range 3 * maxQueryTexts {
		want := fmt.Sprintf("{ q%d }", i)
		if s, ok := q.decode([]byte(`"` + want + `"`)); !ok || s != want {
			t.Fatalf("text %d decoded to %q, %v", i, s, ok)
		}
		if len(q.texts) > maxQueryTexts {
			t.Fatalf("%d texts kept, more than %d", len(q.texts), maxQueryTexts)
		}
	}

	var none *queryTexts
	if s, ok := none.decode(raw); !ok || s != first {
		t.Fatalf("without a table: %q, %v", s, ok)
	}
}
