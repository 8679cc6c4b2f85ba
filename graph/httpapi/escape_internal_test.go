package httpapi

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// htmlEscapeCases are answers with the bytes appendHTMLEscaped escapes at every offset of a
// word, next to the bytes that look like them (0xE2 starting other characters), and at the
// ends of the text.
func htmlEscapeCases() []string {
	cases := []string{"", "<", "&&", `{"data":{"a":"x<y>z&w"}}`, "\u2028", "\u2029", "\u2027\u202a", "\xe2", "\xe2\x80", "\xe2\x80\xa8", "€ – …"}
	for _, special := range []string{"<", ">", "&", "\u2028", "\u2029", "\u2030", "\xe2"} {
		for pad := 0; pad < 18; pad++ {
			cases = append(cases, strings.Repeat("a", pad)+special, special+strings.Repeat("b", pad), strings.Repeat("c", pad)+special+strings.Repeat("d", 17-pad))
		}
	}
	return cases
}

func TestAppendHTMLEscapedIsEncodingJSONs(t *testing.T) {
	for _, c := range htmlEscapeCases() {
		var want bytes.Buffer
		json.HTMLEscape(&want, []byte(c))
		if got := appendHTMLEscaped([]byte("prefix"), []byte(c)); string(got) != "prefix"+want.String() {
			t.Errorf("appendHTMLEscaped(%q) = %q, want %q", c, got[len("prefix"):], want.String())
		}
	}
}

func FuzzAppendHTMLEscaped(f *testing.F) {
	for _, c := range htmlEscapeCases() {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var want bytes.Buffer
		json.HTMLEscape(&want, src)
		if got := appendHTMLEscaped(nil, src); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("appendHTMLEscaped(%q) = %q, want %q", src, got, want.Bytes())
		}
	})
}

func BenchmarkAppendHTMLEscaped(b *testing.B) {
	src := bytes.Repeat([]byte(`{"id":"syn-org-1373","name":"Synthetic Organization 1373","kind":"ORGANIZATION"},`), 850)
	buf := make([]byte, 0, len(src)+1024)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		buf = appendHTMLEscaped(buf[:0], src)
	}
}
