package httpapi

import "testing"

// TestAcceptsOnlyEventStreamSkipsOnlyWhatCannotBeOne: the quick test that spares plain
// requests the parse answers as the parse does, whatever the case of the media types.
func TestAcceptsOnlyEventStreamSkipsOnlyWhatCannotBeOne(t *testing.T) {
	for _, accept := range []string{
		"", "application/json", "*/*", "text/event-stream", "TEXT/EVENT-STREAM", "Text/Event-Stream; q=1",
		"text/event-stream, application/json", "application/graphql-response+json, text/event-stream",
		"text/event-streams", "text/event-ſtream", "text/html, text/event-stream;charset=utf-8",
		"event-stream", "text/plain", "text/event-stream;", "text/event-stream, */*;q=0.1",
	} {
		if got, want := acceptsOnlyEventStream(accept), parsedOnlyEventStream(accept); got != want {
			t.Errorf("Accept %q: %v, the parse says %v", accept, got, want)
		}
	}
	if !acceptsOnlyEventStream("Text/Event-Stream") || acceptsOnlyEventStream("text/event-stream, application/json") {
		t.Error("an event stream alone is a stream, one beside JSON is not")
	}
	for _, c := range []struct {
		s, sub string
		want   bool
	}{{"abc", "", true}, {"", "a", false}, {"xEvent-Streamy", "event-stream", true}, {"event-strea", "event-stream", false}} {
		if got := containsFold(c.s, c.sub); got != c.want {
			t.Errorf("containsFold(%q, %q) = %v", c.s, c.sub, got)
		}
	}
}
