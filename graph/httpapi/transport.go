package httpapi

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/autograph-kg/autograph/graph"
)

// httpTransport is the one GraphQL-over-HTTP transport of /query: POST with a JSON body, GET
// with URL parameters, OPTIONS. It answers as the GraphQL-over-HTTP spec says
// (https://graphql.github.io/graphql-over-http/draft/), which the test TestGraphQLOverHTTPAudit
// checks with the spec's own audit:
//
//   - the response is application/graphql-response+json when the client accepts it first, and
//     application/json otherwise;
//   - a request that is not a GraphQL request (a body that is not a JSON object, a "query" that
//     is not a string, an unsupported method or content type) answers 400 with BAD_REQUEST;
//   - a request error raised before execution (parse, validation, variable coercion, limits)
//     has no data entry and answers 200 under application/json, 400 under
//     application/graphql-response+json;
//   - a request whose deadline passes before it runs answers 408 with TIMEOUT.
//
// Every answer is GraphQL JSON whose errors carry extensions.code, and goes through the error
// presenter and the response middleware, so it is logged and counted like any other.
//
// With an answer cache (answers.go), a query asked again at the same store version is answered
// from the bytes of its first answer.
type httpTransport struct {
	answers *answerCache
	queries *queryTexts // the query texts of POST bodies, decoded once (nil: every time)
}

var _ graphql.Transport = httpTransport{}

// Codes of the transport's own errors (the domain's are in graph/model).
const (
	codeBadRequest      = "BAD_REQUEST"
	codePayloadTooLarge = "PAYLOAD_TOO_LARGE"
	codeTimeout         = "TIMEOUT"
)

const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// Supports takes every request: what is not a GraphQL request gets a GraphQL error saying
// why, not gqlgen's bare "transport not supported".
func (httpTransport) Supports(*http.Request) bool { return true }

// Do answers one request.
func (t httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	media := responseMediaType(r.Header.Get("Accept"))
	a := answer{w: w, r: r, exec: exec, media: media}
	var (
		params  *graphql.RawParams
		problem string
		text    []byte // the request as sent, which the answer cache keys on
	)
	switch r.Method {
	case http.MethodOptions:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		w.WriteHeader(http.StatusOK)
		return
	case http.MethodGet:
		if r.Header.Get("Upgrade") != "" {
			a.badRequest("subscriptions and WebSocket connections are not supported: send queries with POST or GET")
			return
		}
		text = []byte(r.URL.RawQuery)
	case http.MethodPost:
		if problem = checkContentType(r.Header.Get("Content-Type")); problem != "" {
			break
		}
		body, err := readAll(r)
		if err != nil {
			// limitBody has read the body already; this is a client gone mid-request.
			a.badRequest("the request body could not be read")
			return
		}
		text = body
	default:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		a.badRequest("method " + strconv.Quote(clip(r.Method, 16)) + " is not supported on /query: send a POST with a JSON body, or a GET with ?query=")
		return
	}
	if problem != "" {
		a.badRequest(problem)
		return
	}
	ctx := r.Context()
	if ctx.Err() != nil {
		a.timeout(ctx)
		return
	}
	// A request the cache holds was a valid query when it was first answered: it is answered
	// before its text is even decoded.
	key, cacheable := t.answers.keyFor(ctx, r, media, text)
	if cacheable {
		if e, ok := t.answers.get(key); ok {
			if rec := recordFrom(ctx); rec != nil {
				rec.setCached(e.operation)
			}
			a.header(http.StatusOK)
			_, _ = w.Write(e.body)
			return
		}
	}
	if r.Method == http.MethodGet {
		params, problem = paramsFromURL(r.URL.RawQuery)
	} else {
		params, problem = t.queries.paramsFromJSON(text)
	}
	if problem != "" {
		a.badRequest(problem)
		return
	}
	params.Headers = r.Header
	start := graphql.Now()
	params.ReadTime = graphql.TraceTiming{Start: start, End: start}
	oc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		status := http.StatusOK
		if media == mediaGraphQLResponse {
			status = http.StatusBadRequest
		}
		a.requestErrors(graphql.WithOperationContext(ctx, oc), status, errs)
		return
	}
	if r.Method == http.MethodGet && oc.Operation.Operation != ast.Query {
		a.w.Header().Set("Allow", "POST")
		a.requestErrors(graphql.WithOperationContext(ctx, oc), http.StatusNotAcceptable, gqlerror.List{
			requestError(codeBadRequest, "only queries can be sent with GET: send "+string(oc.Operation.Operation)+"s with POST"),
		})
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	resp := responses(ctx)
	if resp == nil {
		// The executor answers nothing when the context ended before execution began.
		a.timeout(ctx)
		return
	}
	b := a.write(http.StatusOK, resp)
	if b != nil && cacheable && oc.Operation.Operation == ast.Query && len(resp.Errors) == 0 && len(resp.Extensions) == 0 &&
		resp.Label == "" && resp.Path == nil && resp.HasNext == nil {
		t.answers.put(ctx, key, operationName(oc), b)
	}
}

// answer writes the responses of one request.
type answer struct {
	w     http.ResponseWriter
	r     *http.Request
	exec  graphql.GraphExecutor
	media string
}

// requestErrorBody is a response to a request that did not execute: per the GraphQL spec it
// has no data entry.
type requestErrorBody struct {
	Errors     gqlerror.List  `json:"errors"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

func (a answer) header(status int) {
	// The header's value is one of two shared slices, as Header.Set would make anew for
	// every answer: nothing changes a value in place (Add appends past its length and
	// copies).
	a.w.Header()["Content-Type"] = contentTypeValues(a.media)
	a.w.WriteHeader(status)
}

var (
	jsonContentType            = []string{contentType(mediaJSON)}
	graphqlResponseContentType = []string{contentType(mediaGraphQLResponse)}
)

// contentTypeValues is the Content-Type header's values of an answer in media.
func contentTypeValues(media string) []string {
	if media == mediaGraphQLResponse {
		return graphqlResponseContentType
	}
	return jsonContentType
}

// contentType is the Content-Type of an answer in media (mediaJSON or mediaGraphQLResponse).
func contentType(media string) string {
	if media == mediaGraphQLResponse {
		return mediaGraphQLResponse + "; charset=utf-8"
	}
	return mediaJSON + "; charset=utf-8"
}

// requestErrors presents errs (through the error presenter and the response middleware) and
// answers them without a data entry.
func (a answer) requestErrors(ctx context.Context, status int, errs gqlerror.List) {
	resp := a.exec.DispatchError(ctx, errs)
	b, err := json.Marshal(requestErrorBody{Errors: resp.Errors, Extensions: resp.Extensions})
	if err != nil {
		b = []byte(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`)
	}
	a.header(status)
	_, _ = a.w.Write(b)
}

func (a answer) badRequest(msg string) {
	a.requestErrors(a.r.Context(), http.StatusBadRequest, gqlerror.List{requestError(codeBadRequest, msg)})
}

// timeout answers a request whose context ended before it ran; the presenter turns the
// context's error into TIMEOUT.
func (a answer) timeout(ctx context.Context) {
	err := ctx.Err()
	if err == nil {
		err = context.DeadlineExceeded
	}
	a.requestErrors(ctx, http.StatusRequestTimeout, gqlerror.List{{Message: err.Error(), Err: err}})
}

// write answers resp and returns the bytes it wrote, or nil when resp could not be marshalled
// (which is answered as an error instead).
//
// The body is written into one of the request's reused answer buffers (graph.RequestBuffers,
// given back when the request ends): a 68 KB neighbourhood then costs no new buffer of its
// size, zeroed, per request. The http.ResponseWriter has copied or sent the bytes when Write
// returns, and the answer cache keeps a copy of its own.
func (a answer) write(status int, resp *graphql.Response) []byte {
	b, err := appendResponse(graph.BuffersFrom(a.r.Context()).Get(len(resp.Data)+64), resp)
	if err != nil {
		a.requestErrors(a.r.Context(), http.StatusOK, gqlerror.List{{Message: "marshal response", Err: err}})
		return nil
	}
	a.header(status)
	_, _ = a.w.Write(b)
	return b
}

func requestError(code, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": code}}
}

// responseMediaType picks the response's media type from the Accept header: the acceptable
// GraphQL media type of highest preference (the first among equals), application/json when
// there is no header or no GraphQL media type in it.
func responseMediaType(accept string) string {
	switch accept {
	// What clients send most, answered without parsing.
	case "", mediaJSON, "*/*":
		return mediaJSON
	case mediaGraphQLResponse:
		return mediaGraphQLResponse
	}
	best, bestQ := mediaJSON, -1.0
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			if q, err = strconv.ParseFloat(s, 64); err != nil {
				continue
			}
		}
		var m string
		switch mt {
		case mediaGraphQLResponse:
			m = mediaGraphQLResponse
		case mediaJSON, "*/*", "application/*":
			m = mediaJSON
		default:
			continue
		}
		if q > 0 && q > bestQ {
			best, bestQ = m, q
		}
	}
	return best
}

// checkContentType says what is wrong with a POST's Content-Type, or "".
func checkContentType(ct string) string {
	switch ct {
	case "":
		return "a POST to /query needs the header Content-Type: application/json"
	case mediaJSON, mediaJSON + "; charset=utf-8":
		// What clients send, answered without parsing.
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	switch {
	case err != nil:
		return "the Content-Type header is malformed: send Content-Type: application/json"
	case mt == mediaJSON:
		return ""
	case mt == "application/graphql":
		return `Content-Type application/graphql is not supported: send the document as {"query": "..."} with Content-Type: application/json`
	case strings.HasPrefix(mt, "multipart/"):
		return "multipart requests (file uploads) are not supported: send the request as application/json"
	default:
		return "Content-Type " + strconv.Quote(clip(mt, 64)) + " is not supported: send the request as application/json"
	}
}

// paramsFromJSON decodes a POST body. Its messages name the parameter at fault and never
// repeat the body.
func paramsFromJSON(body []byte) (*graphql.RawParams, string) {
	var none *queryTexts
	return none.paramsFromJSON(body)
}

// paramsFromJSON is paramsFromJSON with the query text decoded through q.
func (q *queryTexts) paramsFromJSON(body []byte) (*graphql.RawParams, string) {
	if p, ok := scanParams(body, q); ok {
		return p, missingQuery(p, noQueryInBody)
	}
	return decodeParams(body)
}

// noQueryInBody is the problem of a POST body without a document.
const noQueryInBody = `the request has no "query": send the GraphQL document as {"query": "..."}`

// decodeParams is paramsFromJSON through encoding/json, which says what is wrong with any
// body; scanParams answers the well-formed ones first.
func decodeParams(body []byte) (*graphql.RawParams, string) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, `the request body is empty: send a JSON object such as {"query": "{ __typename }"}`
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &fields); err != nil {
		var syn *json.SyntaxError
		switch {
		case errors.As(err, &syn):
			return nil, "the request body is not valid JSON (the error is at byte " + strconv.FormatInt(syn.Offset, 10) + ")"
		case trimmed[0] == '[':
			return nil, "batched requests (a JSON array of operations) are not supported: send one JSON object per request"
		default:
			return nil, `the request body must be a JSON object with a "query" string`
		}
	}
	if fields == nil {
		return nil, `the request body must be a JSON object with a "query" string`
	}
	p := &graphql.RawParams{}
	var problem string
	if p.Query, problem = stringParam(fields, "query", `"query" must be a string holding the GraphQL document`); problem != "" {
		return nil, problem
	}
	if p.OperationName, problem = stringParam(fields, "operationName", `"operationName" must be a string or null`); problem != "" {
		return nil, problem
	}
	if p.Variables, problem = objectParam(fields["variables"], `"variables" must be a JSON object or null`); problem != "" {
		return nil, problem
	}
	if p.Extensions, problem = objectParam(fields["extensions"], `"extensions" must be a JSON object or null`); problem != "" {
		return nil, problem
	}
	return p, missingQuery(p, noQueryInBody)
}

func stringParam(fields map[string]json.RawMessage, name, problem string) (string, string) {
	raw, ok := fields[name]
	if !ok {
		return "", ""
	}
	var s *string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", problem
	}
	if s == nil {
		return "", ""
	}
	return *s, ""
}

// objectParam decodes a JSON object (numbers kept exact as json.Number); null or absent is nil.
func objectParam(raw json.RawMessage, problem string) (map[string]any, string) {
	if len(raw) == 0 {
		return nil, ""
	}
	if !json.Valid(raw) {
		return nil, problem
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, problem
	}
	return m, ""
}

// scanParams decodes a well-formed body, a JSON object whose parameters have the types they
// must have, without encoding/json's reflection: decoding the body into a map of raw messages
// and each of them again took a tenth of a point lookup's CPU. It reads each member once,
// the last of a repeated name winning as in a map, and answers exactly what decodeParams
// answers; ok is false for any other body (not valid JSON, not an object, a parameter of the
// wrong type, a name written with escapes), which decodeParams then explains.
func scanParams(body []byte, texts *queryTexts) (p *graphql.RawParams, ok bool) {
	if !validJSON(body) {
		return nil, false
	}
	i := skipJSONSpace(body, 0)
	if body[i] != '{' {
		return nil, false
	}
	p = &graphql.RawParams{}
	ok = jsonMembers(body[i:], func(name, raw []byte) bool {
		var good bool
		switch string(name) {
		case "query":
			p.Query, good = texts.decode(raw)
		case "operationName":
			p.OperationName, good = jsonString(raw)
		case "variables":
			p.Variables, good = jsonObject(raw)
		case "extensions":
			p.Extensions, good = jsonObject(raw)
		default:
			good = true
		}
		return good
	})
	if !ok {
		return nil, false
	}
	return p, true
}

// jsonMembers calls each with the name (its bytes between the quotes) and the value (its
// JSON text) of every member of obj, a valid JSON object, in order; false when a name is
// written with escapes or each says false, which stops it.
func jsonMembers(obj []byte, each func(name, value []byte) bool) bool {
	i := 1 // past '{'
	for {
		i = skipJSONSpace(obj, i)
		switch obj[i] {
		case '}':
			return true
		case ',':
			i = skipJSONSpace(obj, i+1)
		}
		end := jsonValueEnd(obj, i)
		name := obj[i+1 : end-1]
		if bytes.IndexByte(name, '\\') >= 0 {
			return false
		}
		i = skipJSONSpace(obj, end)
		i = skipJSONSpace(obj, i+1) // past ':'
		end = jsonValueEnd(obj, i)
		if !each(name, obj[i:end]) {
			return false
		}
		i = end
	}
}

// skipJSONSpace is the index of the first byte at or after i that is not JSON whitespace.
func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// jsonValueEnd is the index just past the JSON value that starts at b[i], in a text that is
// valid JSON.
func jsonValueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		for i++; ; i++ {
			switch b[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
	case '{', '[':
		depth := 0
		for ; ; i++ {
			switch b[i] {
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			case '"':
				i = jsonValueEnd(b, i) - 1
			}
		}
	default: // a number, true, false or null
		for ; i < len(b); i++ {
			switch b[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return i
			}
		}
		return i
	}
}

// jsonString decodes a valid JSON string or null (""), as json.Unmarshal into a *string
// does; ok is false for any other value. Strings in valid UTF-8 without \u escapes, which is
// what clients send, are unescaped here; the others by encoding/json.
func jsonString(raw []byte) (string, bool) {
	switch raw[0] {
	case 'n':
		return "", true
	case '"':
	default:
		return "", false
	}
	in := raw[1 : len(raw)-1]
	esc := bytes.IndexByte(in, '\\')
	if !utf8.Valid(in) || esc >= 0 && bytes.Contains(in[esc:], []byte(`\u`)) {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false
		}
		return s, true
	}
	if esc < 0 {
		return string(in), true
	}
	var out strings.Builder
	out.Grow(len(in))
	for i := 0; i < len(in); i++ {
		c := in[i]
		if c != '\\' {
			out.WriteByte(c)
			continue
		}
		i++
		switch in[i] {
		case 'b':
			c = '\b'
		case 'f':
			c = '\f'
		case 'n':
			c = '\n'
		case 'r':
			c = '\r'
		case 't':
			c = '\t'
		default: // '"', '\\' and '/' stand for themselves
			c = in[i]
		}
		out.WriteByte(c)
	}
	return out.String(), true
}

// jsonObject decodes a valid JSON object (numbers kept exact as json.Number) or null (nil),
// as objectParam does; ok is false for any other value.
func jsonObject(raw []byte) (map[string]any, bool) {
	switch raw[0] {
	case 'n':
		return nil, true
	case '{':
	default:
		return nil, false
	}
	if m, ok := flatJSONObject(raw); ok {
		return m, true
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, false
	}
	return m, true
}

// flatJSONObject decodes a valid JSON object whose members are all strings, numbers, true,
// false or null (the variables of most requests) as jsonObject's decoder does, numbers as
// json.Number; ok is false for any other object (a nested value, a name written with
// escapes or in invalid UTF-8), which the decoder then reads.
func flatJSONObject(raw []byte) (map[string]any, bool) {
	m := map[string]any{}
	ok := jsonMembers(raw, func(name, v []byte) bool {
		if !utf8.Valid(name) {
			return false
		}
		switch v[0] {
		case '"':
			str, ok := jsonString(v)
			if !ok {
				return false
			}
			m[string(name)] = str
		case 'n':
			m[string(name)] = nil
		case 't':
			m[string(name)] = true
		case 'f':
			m[string(name)] = false
		case '{', '[':
			return false
		default:
			m[string(name)] = json.Number(v)
		}
		return true
	})
	if !ok {
		return nil, false
	}
	return m, true
}

// missingQuery says that a request has no document, unless it names a persisted query.
func missingQuery(p *graphql.RawParams, problem string) string {
	if strings.TrimSpace(p.Query) != "" {
		return ""
	}
	if _, ok := p.Extensions["persistedQuery"]; ok {
		return ""
	}
	return problem
}

// paramsFromURL decodes a GET's parameters.
func paramsFromURL(rawQuery string) (*graphql.RawParams, string) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, "the URL's query string is malformed (check its %-escapes)"
	}
	p := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	var problem string
	if v := q.Get("variables"); v != "" {
		if p.Variables, problem = objectParam(json.RawMessage(v), `the "variables" URL parameter must be a JSON object`); problem != "" {
			return nil, problem
		}
	}
	if v := q.Get("extensions"); v != "" {
		if p.Extensions, problem = objectParam(json.RawMessage(v), `the "extensions" URL parameter must be a JSON object`); problem != "" {
			return nil, problem
		}
	}
	return p, missingQuery(p, `a GET to /query needs the GraphQL document in the "query" URL parameter`)
}

// marshalResponse is json.Marshal(resp), without running the data through encoding/json:
// json.Marshal checks and compacts a json.RawMessage byte by byte, which took a fifth of the
// CPU of an explorer page, to find what gqlgen's marshallers already wrote compact and
// valid. The data gets the one change json.Marshal makes to it, escaping <, >, & and U+2028
// and U+2029; the errors and extensions go through encoding/json as before. A response
// carrying @defer's incremental fields is left to json.Marshal.
func marshalResponse(resp *graphql.Response) ([]byte, error) {
	return appendResponse(nil, resp)
}

// appendResponse is marshalResponse appending to b.
func appendResponse(b []byte, resp *graphql.Response) ([]byte, error) {
	if resp.Label != "" || resp.Path != nil || resp.HasNext != nil {
		j, err := json.Marshal(resp)
		return append(b, j...), err
	}
	if n := len(resp.Data) + 64; cap(b)-len(b) < n {
		b = slices.Grow(b, n)
	}
	b = append(b, '{')
	if len(resp.Errors) > 0 {
		errs, err := json.Marshal(resp.Errors)
		if err != nil {
			return nil, err
		}
		b = append(b, `"errors":`...)
		b = append(b, errs...)
		b = append(b, ',')
	}
	b = append(b, `"data":`...)
	if resp.Data == nil {
		b = append(b, "null"...)
	} else {
		b = appendHTMLEscaped(b, resp.Data)
	}
	if len(resp.Extensions) > 0 {
		ext, err := json.Marshal(resp.Extensions)
		if err != nil {
			return nil, err
		}
		b = append(b, `,"extensions":`...)
		b = append(b, ext...)
	}
	return append(b, '}'), nil
}

// appendHTMLEscaped appends JSON text with <, >, & and U+2028 and U+2029 escaped, as
// encoding/json escapes them.
//
// An answer is tens of KiB in which those bytes are rare, so it is read eight bytes at a
// time: a word holding none of <, >, & and 0xE2 (the first byte of U+2028 and U+2029) is
// passed over whole, and only a word with one of them is looked at byte by byte. Byte by byte
// throughout, this scan was a twentieth of the CPU of a 68 KB neighbourhood.
func appendHTMLEscaped(b, src []byte) []byte {
	const hex = "0123456789abcdef"
	start := 0
	for i := 0; i < len(src); i++ {
		for i+8 <= len(src) && !mayNeedHTMLEscape(binary.LittleEndian.Uint64(src[i:])) {
			i += 8
		}
		if i >= len(src) {
			break
		}
		c := src[i]
		switch {
		case c == '<' || c == '>' || c == '&':
			b = append(b, src[start:i]...)
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			start = i + 1
		case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && src[i+2]&^1 == 0xA8:
			b = append(b, src[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[src[i+2]&0xF])
			start = i + 3
			i += 2
		}
	}
	return append(b, src[start:]...)
}

// mayNeedHTMLEscape reports whether the eight bytes of w hold a <, >, & or 0xE2: the classic
// test for a zero byte, (x - 0x01…) &^ x & 0x80…, applied to w with each of them xored out.
// It never misses one; a word it flags is then looked at byte by byte.
func mayNeedHTMLEscape(w uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	zero := func(x uint64) uint64 { return (x - lo) &^ x & hi }
	return zero(w^(lo*'<'))|zero(w^(lo*'>'))|zero(w^(lo*'&'))|zero(w^(lo*0xE2)) != 0
}
