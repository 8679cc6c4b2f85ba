package httpapi

import "sync"

// maxQueryTexts bounds how many distinct query texts a queryTexts keeps. Clients send the
// same few documents again and again (the explorer's, a dashboard's); together with
// maxCachedQueryBytes per text it bounds the table at a few MiB.
const maxQueryTexts = 512

// queryTexts remembers the decoded query text of each JSON string a POST body carried, keyed
// by the string as written (quotes and escapes included), so that a document sent again is
// neither decoded again nor copied into a new string: the parsed-query cache then looks up
// the same string. A body whose query is longer than maxCachedQueryBytes is decoded each
// time. When the table is full it starts over empty, which costs one decoding per text.
//
// The zero value is ready; a nil *queryTexts decodes every time.
type queryTexts struct {
	mu    sync.RWMutex
	texts map[string]string
}

// decode is jsonString(raw) for the "query" member, remembered.
func (q *queryTexts) decode(raw []byte) (string, bool) {
	if q == nil || len(raw) > maxCachedQueryBytes {
		return jsonString(raw)
	}
	q.mu.RLock()
	s, ok := q.texts[string(raw)]
	q.mu.RUnlock()
	if ok {
		return s, true
	}
	s, ok = jsonString(raw)
	if !ok {
		return "", false
	}
	q.mu.Lock()
	if q.texts == nil || len(q.texts) >= maxQueryTexts {
		q.texts = make(map[string]string, 64)
	}
	q.texts[string(raw)] = s
	q.mu.Unlock()
	return s, true
}
