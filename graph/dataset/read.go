// Package dataset reads, checks, imports and exports whole datasets: the JSON dataset document
// (the form of seed/graph.json and model.Dataset) and JSON Lines (one item a line, with a
// "kind" field telling which). The `autograph import` and `autograph export` commands and the
// importDataset mutation share it, so a file and a mutation argument are checked by the same
// rules and reported in the same way: every problem with its file, line and id.
//
// Reading streams (line by line for JSON Lines, a json.Decoder for documents); the decoded
// dataset is held in memory, since Store.Import takes it whole.
package dataset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/autograph-kg/autograph/graph/model"
)

// Format is a dataset's serialisation.
type Format string

// The formats Read understands.
const (
	// FormatJSON is the JSON dataset document: one object with a list per sort of item.
	FormatJSON Format = "json"
	// FormatJSONL is JSON Lines: one item per line, its sort in the "kind" field.
	FormatJSONL Format = "jsonl"
)

// FormatOf picks the format of a file by its name: .jsonl and .ndjson are JSON Lines,
// anything else a JSON document.
func FormatOf(name string) Format {
	n := strings.ToLower(name)
	if strings.HasSuffix(n, ".jsonl") || strings.HasSuffix(n, ".ndjson") {
		return FormatJSONL
	}
	return FormatJSON
}

// The values of the "kind" field of a JSON Lines record.
const (
	KindSource       = "source"
	KindOrganization = "organization"
	KindBrand        = "brand"
	KindVehicleModel = "vehicleModel"
	KindPlant        = "plant"
	KindPlace        = "place"
	KindAgreement    = "agreement"
	KindRelation     = "relation"
)

// MaxLineBytes bounds one JSON Lines record, so a file without line breaks cannot exhaust
// memory.
const MaxLineBytes = 4 << 20

// Position is where an item was read: its file (as named on the command line, or the
// argument's name for the mutation) and its line, from 1. A Line of 0 means the item did not
// come from a file (a stored item the file refers to).
type Position struct {
	File string
	Line int
}

func (p Position) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Problem is one reason a dataset cannot be imported.
type Problem struct {
	Position
	// What is the sort of item: "source", "entity" or "relation" (empty when the problem is
	// not about one item, a syntax error say).
	What string
	// ID is the item's id, when it has one.
	ID string
	// Message says what is wrong, in the words of the mutations' rules.
	Message string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Position.String())
	b.WriteString(": ")
	if p.What != "" {
		b.WriteString(p.What)
		if p.ID != "" {
			fmt.Fprintf(&b, " %q", p.ID)
		}
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Collection accumulates the items read from one or more inputs, with where each came from.
type Collection struct {
	Dataset model.Dataset
	// Problems are the records that could not be decoded, in input order.
	Problems []Problem
	// Records counts the records read, decodable or not.
	Records int
	// pos holds where every decoded item was read, by sort (in the order Validate claims ids:
	// sources, then entities, then relations) and id: the first item of an id in pos, the
	// others, rare, in more. A position is packed (fileIndex<<32 | line) to keep a million
	// items cheap.
	pos  [3]map[string]uint64
	more [3]map[string][]uint64
	// checked holds the per-record problems, so that Validate's repeats of them are dropped.
	checked map[Position][]string
	// files are the inputs read, in order.
	files []string
}

const (
	sortSource = iota
	sortEntity
	sortRelation
)

var sortNames = [3]string{"source", "entity", "relation"}

// NewCollection returns an empty collection.
func NewCollection() *Collection {
	c := &Collection{checked: map[Position][]string{}}
	for i := range c.pos {
		c.pos[i] = map[string]uint64{}
		c.more[i] = map[string][]uint64{}
	}
	return c
}

// Progress is told, now and then while reading, how many records and bytes have been read.
type Progress func(records int, bytes int64)

// progressEvery is how many records Read reads between two calls of its Progress.
const progressEvery = 4096

// Read decodes one input into c. A record that cannot be decoded, or that fails the checks a
// mutation makes of an item on its own (model.CheckEntity, CheckSource, CheckRelation), is a
// Problem and reading goes on; only an error of the input itself (a read error, or a JSON
// document whose syntax breaks) ends it, and that too is a Problem, not an error. The error
// returned is the reader's, or stop's when it says to stop (a done context).
func (c *Collection) Read(r io.Reader, name string, f Format, stop func() error, progress Progress) error {
	cr := &countingReader{r: r}
	c.files = append(c.files, name)
	switch f {
	case FormatJSONL:
		return c.readLines(cr, name, stop, progress)
	default:
		return c.readDocument(cr, name, stop, progress)
	}
}

// countingReader counts the bytes read through it and where the lines break, so a document's
// offsets can be turned into line numbers.
type countingReader struct {
	r      io.Reader
	n      int64
	breaks []int64 // offsets of the '\n' bytes, for documents only
	track  bool
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err != nil && err != io.EOF {
		err = &readError{err}
	}
	if c.track {
		for i, b := range p[:n] {
			if b == '\n' {
				c.breaks = append(c.breaks, c.n+int64(i))
			}
		}
	}
	c.n += int64(n)
	return n, err
}

// line is the line of the byte at offset off.
func (c *countingReader) line(off int64) int {
	return sort.Search(len(c.breaks), func(i int) bool { return c.breaks[i] >= off }) + 1
}

func (c *Collection) readLines(cr *countingReader, name string, stop func() error, progress Progress) error {
	br := bufio.NewReaderSize(cr, 64<<10)
	var line []byte
	for n := 1; ; n++ {
		line = line[:0]
		tooLong := false
		var err error
		for {
			var chunk []byte
			chunk, err = br.ReadSlice('\n')
			if len(line)+len(chunk) <= MaxLineBytes {
				line = append(line, chunk...)
			} else {
				tooLong = true
			}
			if err != bufio.ErrBufferFull {
				break
			}
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("%s: line %d: %w", name, n, err)
		}
		pos := Position{File: name, Line: n}
		trimmed := bytes.TrimSpace(line)
		switch {
		case tooLong:
			c.Records++
			c.problem(pos, "", "", fmt.Sprintf("the line is longer than the limit of %d bytes", MaxLineBytes))
		case len(trimmed) > 0:
			c.Records++
			c.decodeRecord(pos, trimmed)
		}
		if c.Records%progressEvery == 0 && len(trimmed) > 0 {
			if progress != nil {
				progress(c.Records, cr.n)
			}
			if err := stop(); err != nil {
				return err
			}
		}
		if err == io.EOF {
			break
		}
	}
	if progress != nil {
		progress(c.Records, cr.n)
	}
	return stop()
}

// decodeRecord decodes one JSON Lines record.
func (c *Collection) decodeRecord(pos Position, raw []byte) {
	var head struct {
		Kind *string `json:"kind"`
		ID   any     `json:"id"`
	}
	if k, ok := leadingKind(raw); ok {
		// The common case, as export writes it: the kind comes first, so the line is
		// decoded once. Its id is looked for only when something is wrong.
		head.Kind = &k
	} else if err := json.Unmarshal(raw, &head); err != nil {
		c.problem(pos, "", "", "not a JSON object: "+jsonMessage(err))
		return
	}
	id, _ := head.ID.(string)
	if head.Kind == nil {
		c.problem(pos, "", id, `no "kind" field (want one of `+strings.Join(recordKinds, ", ")+")")
		return
	}
	var v any
	what := "entity"
	switch *head.Kind {
	case KindSource:
		v, what = &struct {
			Kind string `json:"kind"`
			*model.Source
		}{Source: &model.Source{}}, "source"
	case KindOrganization:
		v = &struct {
			Kind string `json:"kind"`
			*model.Organization
		}{Organization: &model.Organization{}}
	case KindBrand:
		v = &struct {
			Kind string `json:"kind"`
			*model.Brand
		}{Brand: &model.Brand{}}
	case KindVehicleModel:
		v = &struct {
			Kind string `json:"kind"`
			*model.VehicleModel
		}{VehicleModel: &model.VehicleModel{}}
	case KindPlant:
		v = &struct {
			Kind string `json:"kind"`
			*model.Plant
		}{Plant: &model.Plant{}}
	case KindPlace:
		v = &struct {
			Kind string `json:"kind"`
			*model.Place
		}{Place: &model.Place{}}
	case KindAgreement:
		v = &struct {
			Kind string `json:"kind"`
			*model.Agreement
		}{Agreement: &model.Agreement{}}
	case KindRelation:
		v, what = &struct {
			Kind string `json:"kind"`
			*model.Relation
		}{Relation: &model.Relation{}}, "relation"
	default:
		c.problem(pos, "", id, fmt.Sprintf("unknown kind %q (want one of %s)", truncate(*head.Kind, 40), strings.Join(recordKinds, ", ")))
		return
	}
	if err := strictUnmarshal(raw, v); err != nil {
		if !json.Valid(raw) {
			var x any
			c.problem(pos, "", "", "not a JSON object: "+jsonMessage(json.Unmarshal(raw, &x)))
			return
		}
		if id == "" {
			var h struct {
				ID any `json:"id"`
			}
			_ = json.Unmarshal(raw, &h)
			id, _ = h.ID.(string)
		}
		c.problem(pos, what, id, jsonMessage(err))
		return
	}
	switch x := v.(type) {
	case *struct {
		Kind string `json:"kind"`
		*model.Source
	}:
		c.addSource(pos, x.Source)
	case *struct {
		Kind string `json:"kind"`
		*model.Relation
	}:
		c.addRelation(pos, x.Relation)
	default:
		c.addEntity(pos, embedded(v))
	}
}

// leadingKind reads the kind of a record that starts with it, {"kind":"<plain text>", without
// decoding the rest.
func leadingKind(raw []byte) (string, bool) {
	const prefix = `{"kind":"`
	if !bytes.HasPrefix(raw, []byte(prefix)) {
		return "", false
	}
	rest := raw[len(prefix):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 || bytes.IndexByte(rest[:end], '\\') >= 0 {
		return "", false
	}
	return string(rest[:end]), true
}

// embedded is the entity inside one of decodeRecord's wrappers.
func embedded(v any) model.Entity {
	switch x := v.(type) {
	case *struct {
		Kind string `json:"kind"`
		*model.Organization
	}:
		return x.Organization
	case *struct {
		Kind string `json:"kind"`
		*model.Brand
	}:
		return x.Brand
	case *struct {
		Kind string `json:"kind"`
		*model.VehicleModel
	}:
		return x.VehicleModel
	case *struct {
		Kind string `json:"kind"`
		*model.Plant
	}:
		return x.Plant
	case *struct {
		Kind string `json:"kind"`
		*model.Place
	}:
		return x.Place
	case *struct {
		Kind string `json:"kind"`
		*model.Agreement
	}:
		return x.Agreement
	}
	return nil
}

var recordKinds = []string{KindSource, KindOrganization, KindBrand, KindVehicleModel, KindPlant, KindPlace, KindAgreement, KindRelation}

// documentLists are the lists of a JSON dataset document, by key.
var documentLists = map[string]func() any{
	"sources":       func() any { return &model.Source{} },
	"organizations": func() any { return &model.Organization{} },
	"brands":        func() any { return &model.Brand{} },
	"vehicleModels": func() any { return &model.VehicleModel{} },
	"plants":        func() any { return &model.Plant{} },
	"places":        func() any { return &model.Place{} },
	"agreements":    func() any { return &model.Agreement{} },
	"relations":     func() any { return &model.Relation{} },
}

// readDocument decodes a JSON dataset document token by token, one item at a time, so that
// each item has its line and one bad item does not hide the others.
func (c *Collection) readDocument(cr *countingReader, name string, stop func() error, progress Progress) error {
	cr.track = true
	dec := json.NewDecoder(cr)
	at := func() Position { return Position{File: name, Line: cr.line(dec.InputOffset())} }
	syntax := func(err error) error {
		var se *json.SyntaxError
		pos := at()
		if errors.As(err, &se) {
			pos.Line = cr.line(se.Offset - 1)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			c.problem(pos, "", "", "the document ends before it is complete")
			return nil
		}
		var rerr *readError
		if errors.As(err, &rerr) {
			return rerr.err
		}
		c.problem(pos, "", "", "not a JSON dataset document: "+jsonMessage(err))
		return nil
	}
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return syntax(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		c.problem(at(), "", "", "not a JSON dataset document: it must be one object with lists such as \"sources\" and \"relations\"")
		return nil
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return syntax(err)
		}
		key, _ := tok.(string)
		newItem, ok := documentLists[key]
		if !ok || seen[key] {
			msg := fmt.Sprintf("unknown field %q (want sources, organizations, brands, vehicleModels, plants, places, agreements or relations)", truncate(key, 40))
			if seen[key] {
				msg = fmt.Sprintf("the list %q is given twice", key)
			}
			c.problem(at(), "", "", msg)
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return syntax(err)
			}
			continue
		}
		seen[key] = true
		tok, err = dec.Token()
		if err != nil {
			return syntax(err)
		}
		if tok == nil {
			continue // "relations": null is an empty list, as encoding/json reads it
		}
		if d, ok := tok.(json.Delim); !ok || d != '[' {
			c.problem(at(), "", "", fmt.Sprintf("%q must be a list", key))
			if _, ok := tok.(json.Delim); ok {
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					return syntax(err)
				}
			}
			continue
		}
		for dec.More() {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return syntax(err)
			}
			end := dec.InputOffset()
			start := end - int64(len(raw))
			pos := Position{File: name, Line: cr.line(start)}
			c.Records++
			c.decodeItem(pos, key, raw, newItem())
			if c.Records%progressEvery == 0 {
				if progress != nil {
					progress(c.Records, cr.n)
				}
				if err := stop(); err != nil {
					return err
				}
			}
		}
		if _, err := dec.Token(); err != nil { // ']'
			return syntax(err)
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return syntax(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			c.problem(at(), "", "", "trailing data after the dataset")
			return nil
		}
		return syntax(err)
	}
	if progress != nil {
		progress(c.Records, cr.n)
	}
	return stop()
}

// readError marks an error of the underlying reader, which ends Read with an error.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }

func (e *readError) Unwrap() error { return e.err }

// decodeItem decodes one item of a document's list.
func (c *Collection) decodeItem(pos Position, key string, raw json.RawMessage, v any) {
	what := "entity"
	switch key {
	case "sources":
		what = "source"
	case "relations":
		what = "relation"
	}
	if string(raw) == "null" {
		c.problem(pos, what, "", "the item is null")
		return
	}
	if err := strictUnmarshal(raw, v); err != nil {
		var head struct {
			ID any `json:"id"`
		}
		_ = json.Unmarshal(raw, &head)
		id, _ := head.ID.(string)
		c.problem(pos, what, id, jsonMessage(err))
		return
	}
	switch x := v.(type) {
	case *model.Source:
		c.addSource(pos, x)
	case *model.Relation:
		c.addRelation(pos, x)
	case model.Entity:
		c.addEntity(pos, x)
	}
}

// strictUnmarshal decodes one item, refusing fields the format does not have.
func strictUnmarshal(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the item")
	}
	return nil
}

// jsonMessage is a decoding error in words for the problem list.
func jsonMessage(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Sprintf("field %q: want %s, not a JSON %s", fieldPath(te.Field), jsonType(te.Type.String()), te.Value)
		}
		return fmt.Sprintf("want a JSON object, not a JSON %s", te.Value)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	return truncate(msg, 300)
}

// fieldPath is a decoding error's field path without the Go type names in it
// ("Brand.EntityBase.name" is "name").
func fieldPath(f string) string {
	var keep []string
	for _, part := range strings.Split(f, ".") {
		if part != "" && (part[0] < 'A' || part[0] > 'Z') {
			keep = append(keep, part)
		}
	}
	if len(keep) == 0 {
		return f
	}
	return strings.Join(keep, ".")
}

func jsonType(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case goType == "string" || strings.HasSuffix(goType, "Type") || strings.HasSuffix(goType, "Status") ||
		strings.HasSuffix(goType, "Ownership") || strings.HasSuffix(goType, "Segment") || strings.HasSuffix(goType, "Powertrain"):
		return "a string"
	case goType == "int" || goType == "*int":
		return "a whole number"
	case strings.HasSuffix(goType, "Date"):
		return "a date string"
	}
	return "a " + goType
}

// problem records a problem of the input.
func (c *Collection) problem(pos Position, what, id, msg string) {
	c.Problems = append(c.Problems, Problem{Position: pos, What: what, ID: id, Message: msg})
}

// addSource keeps a decoded source and checks it on its own, as upsertSource does.
func (c *Collection) addSource(pos Position, s *model.Source) {
	c.Dataset.Sources = append(c.Dataset.Sources, s)
	c.at(sortSource, s.ID, pos)
	c.check(pos, "source", s.ID, model.CheckSource(s))
}

// addEntity keeps a decoded entity and checks it on its own, as the upsert mutations do.
func (c *Collection) addEntity(pos Position, e model.Entity) {
	c.Dataset.Add(e)
	id := e.GetID()
	c.at(sortEntity, id, pos)
	c.check(pos, "entity", id, model.CheckEntity(e))
}

// addRelation keeps a decoded relation and checks it on its own, as addRelation does. As in
// addRelation, a status left out is ACTIVE and an id left out is derived from the content
// (model.RelationID), so a curator's file need not spell either out.
func (c *Collection) addRelation(pos Position, r *model.Relation) {
	if r.Status == "" {
		r.Status = model.StatusActive
	}
	if r.ID == "" && r.Type.IsValid() {
		r.ID = model.RelationID(r)
	}
	c.Dataset.Relations = append(c.Dataset.Relations, r)
	c.at(sortRelation, r.ID, pos)
	c.check(pos, "relation", r.ID, model.CheckRelation(r))
}

// at records where an item of a sort was read.
func (c *Collection) at(sort int, id string, pos Position) {
	packed := uint64(len(c.files)-1)<<32 | uint64(uint32(pos.Line))
	if _, dup := c.pos[sort][id]; dup {
		c.more[sort][id] = append(c.more[sort][id], packed)
		return
	}
	c.pos[sort][id] = packed
}

// positions lists where the items of a sort with an id were read, in input order.
func (c *Collection) positions(sort int, id string) []Position {
	first, ok := c.pos[sort][id]
	if !ok {
		return nil
	}
	out := []Position{c.unpack(first)}
	for _, p := range c.more[sort][id] {
		out = append(out, c.unpack(p))
	}
	return out
}

func (c *Collection) unpack(p uint64) Position {
	return Position{File: c.files[p>>32], Line: int(uint32(p))}
}

func (c *Collection) check(pos Position, what, id string, err error) {
	if err == nil {
		return
	}
	msg := errMessage(err)
	c.checked[pos] = append(c.checked[pos], msg)
	c.problem(pos, what, id, msg)
}

// errMessage is the client-safe message of a rule's error.
func errMessage(err error) string {
	var e *model.Error
	if errors.As(err, &e) && e.Err == nil {
		return e.Message
	}
	return err.Error()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
