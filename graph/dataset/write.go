package dataset

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/autograph-kg/autograph/graph/model"
)

// marshal encodes v as JSON without escaping <, > and &, which are common in names and safe
// in every place a dataset goes.
func marshal(v any, prefix, indent string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent(prefix, indent)
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// WriteJSON writes d as a JSON dataset document, two spaces an indent, lists in the order of
// model.Dataset. Read gives back the same dataset, and an export of it writes the same bytes.
func WriteJSON(w io.Writer, d *model.Dataset) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	lists := []struct {
		key   string
		items []any
	}{
		{"sources", anys(d.Sources)},
		{"organizations", anys(d.Organizations)},
		{"brands", anys(d.Brands)},
		{"vehicleModels", anys(d.VehicleModels)},
		{"plants", anys(d.Plants)},
		{"places", anys(d.Places)},
		{"agreements", anys(d.Agreements)},
		{"relations", anys(d.Relations)},
	}
	bw.WriteString("{\n")
	for i, l := range lists {
		fmt.Fprintf(bw, "  %q: [", l.key)
		for j, item := range l.items {
			b, err := marshal(item, "    ", "  ")
			if err != nil {
				return err
			}
			if j > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString("\n    ")
			bw.Write(b)
		}
		if len(l.items) > 0 {
			bw.WriteString("\n  ")
		}
		bw.WriteByte(']')
		if i < len(lists)-1 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

func anys[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// record is one JSON Lines record: the item's fields after its kind.
type record[T any] struct {
	Kind string `json:"kind"`
	Item T      `json:"-"`
}

// MarshalJSON writes the kind first, then the item's own fields.
func (r record[T]) MarshalJSON() ([]byte, error) {
	b, err := marshal(r.Item, "", "")
	if err != nil {
		return nil, err
	}
	if len(b) < 2 || b[0] != '{' {
		return nil, errors.New("a record must be an object")
	}
	head := `{"kind":` + strconv.Quote(r.Kind)
	if len(b) > 2 {
		head += ","
	}
	return append([]byte(head), b[1:]...), nil
}

// KindOf is the JSON Lines kind of an entity.
func KindOf(e model.Entity) string {
	switch e.Kind() {
	case model.KindOrganization:
		return KindOrganization
	case model.KindBrand:
		return KindBrand
	case model.KindVehicleModel:
		return KindVehicleModel
	case model.KindPlant:
		return KindPlant
	case model.KindPlace:
		return KindPlace
	case model.KindAgreement:
		return KindAgreement
	}
	return ""
}

// WriteJSONL writes d as JSON Lines: sources, then entities kind by kind, then relations, so
// that a reader meets what an item refers to before the item (the import does not need it).
func WriteJSONL(w io.Writer, d *model.Dataset) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	line := func(v any) error {
		b, err := marshal(v, "", "")
		if err != nil {
			return err
		}
		bw.Write(b)
		return bw.WriteByte('\n')
	}
	for _, s := range d.Sources {
		if err := line(record[*model.Source]{KindSource, s}); err != nil {
			return err
		}
	}
	for _, e := range d.Entities() {
		if err := line(record[model.Entity]{KindOf(e), e}); err != nil {
			return err
		}
	}
	for _, r := range d.Relations {
		if err := line(record[*model.Relation]{KindRelation, r}); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// property is one property of an item in a flat form: a string, an int64, or a list of
// strings; objects and lists of objects (an agreement's provisions) are JSON text.
type property struct {
	name  string
	value any
}

// flatten lists the properties of an item (its JSON fields) in name order, id first.
func flatten(v any) ([]property, error) {
	b, err := marshal(v, "", "")
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	var out []property
	for _, k := range slices.Sorted(mapsKeys(m)) {
		switch x := m[k].(type) {
		case nil:
		case string:
			out = append(out, property{k, x})
		case json.Number:
			n, err := x.Int64()
			if err != nil {
				return nil, fmt.Errorf("property %q: %w", k, err)
			}
			out = append(out, property{k, n})
		case bool:
			out = append(out, property{k, strconv.FormatBool(x)})
		case []any:
			strs := make([]string, 0, len(x))
			for _, y := range x {
				s, ok := y.(string)
				if !ok {
					strs = nil
					break
				}
				strs = append(strs, s)
			}
			if strs != nil || len(x) == 0 {
				out = append(out, property{k, strs})
				continue
			}
			j, err := marshal(x, "", "")
			if err != nil {
				return nil, err
			}
			out = append(out, property{k, string(j)})
		default:
			j, err := marshal(x, "", "")
			if err != nil {
				return nil, err
			}
			out = append(out, property{k, string(j)})
		}
	}
	slices.SortStableFunc(out, func(a, b property) int {
		switch {
		case a.name == "id":
			return -1
		case b.name == "id":
			return 1
		}
		return 0
	})
	return out, nil
}

func mapsKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// item is a node or an edge of the flat forms (GraphML, CSV, Cypher).
type item struct {
	label string // SOURCE or the entity kind; the relation type for edges
	id    string
	from  string
	to    string
	props []property
}

// flatItems turns a dataset into nodes (sources, then entities) and edges (relations).
func flatItems(d *model.Dataset) (nodes, edges []item, err error) {
	for _, s := range d.Sources {
		p, err := flatten(s)
		if err != nil {
			return nil, nil, err
		}
		nodes = append(nodes, item{label: "Source", id: s.ID, props: p})
	}
	for _, e := range d.Entities() {
		p, err := flatten(e)
		if err != nil {
			return nil, nil, err
		}
		nodes = append(nodes, item{label: e.Kind().Label(), id: e.GetID(), props: p})
	}
	for _, r := range d.Relations {
		p, err := flatten(r)
		if err != nil {
			return nil, nil, err
		}
		// type, from and to are the edge's own.
		p = slices.DeleteFunc(p, func(x property) bool { return x.name == "type" || x.name == "from" || x.name == "to" })
		edges = append(edges, item{label: string(r.Type), id: r.ID, from: r.FromID, to: r.ToID, props: p})
	}
	return nodes, edges, nil
}

// column is a property as a typed column or key: its name and type ("string", "int" or
// "string[]").
type column struct {
	name, typ string
}

// columns lists the properties of items with their types, in name order, id first.
func columns(items []item) []column {
	types := map[string]string{}
	var names []string
	for _, it := range items {
		for _, p := range it.props {
			t := "string"
			switch p.value.(type) {
			case int64:
				t = "int"
			case []string:
				t = "string[]"
			}
			if prev, ok := types[p.name]; !ok {
				types[p.name] = t
				names = append(names, p.name)
			} else if prev != t {
				types[p.name] = "string"
			}
		}
	}
	slices.Sort(names)
	out := make([]column, 0, len(names))
	if _, ok := types["id"]; ok {
		out = append(out, column{"id", types["id"]})
	}
	for _, n := range names {
		if n != "id" {
			out = append(out, column{n, types[n]})
		}
	}
	return out
}

// text is a property's value as one string: lists of strings as JSON text.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case []string:
		b, _ := marshal(x, "", "")
		return string(b)
	}
	return fmt.Sprint(v)
}

// WriteGraphML writes d as GraphML: entities and sources are nodes (the "kind" key says
// which, "label" holds the name or title for tools such as Gephi), relations are directed
// edges (the "type" key holds the relation type). Every property is a typed <key>: text is
// string, quantity int; lists (aliases, sources) and provisions are JSON text.
func WriteGraphML(w io.Writer, d *model.Dataset) error {
	nodes, edges, err := flatItems(d)
	if err != nil {
		return err
	}
	for i := range nodes {
		label := ""
		for _, p := range nodes[i].props {
			if p.name == "name" || p.name == "title" {
				label, _ = p.value.(string)
			}
		}
		nodes[i].props = append([]property{{"kind", nodes[i].label}, {"label", label}}, nodes[i].props...)
	}
	for i := range edges {
		edges[i].props = append([]property{{"type", edges[i].label}}, edges[i].props...)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	esc := func(s string) string {
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	graphmlType := func(t string) string {
		if t == "int" {
			return "long"
		}
		return "string"
	}
	bw.WriteString(xml.Header)
	bw.WriteString(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	keyIDs := map[string]string{}
	declare := func(domain, prefix string, cols []column) {
		for i, c := range cols {
			id := fmt.Sprintf("%s%d", prefix, i)
			keyIDs[domain+"\x00"+c.name] = id
			fmt.Fprintf(bw, "  <key id=%q for=%q attr.name=%q attr.type=%q/>\n", id, domain, esc(c.name), graphmlType(c.typ))
		}
	}
	ncols, ecols := columns(nodes), columns(edges)
	declare("node", "n", ncols)
	declare("edge", "e", ecols)
	bw.WriteString(`  <graph id="autograph" edgedefault="directed">` + "\n")
	data := func(domain string, props []property) {
		for _, p := range props {
			if p.name == "id" {
				continue
			}
			fmt.Fprintf(bw, "      <data key=%q>%s</data>\n", keyIDs[domain+"\x00"+p.name], esc(text(p.value)))
		}
	}
	for _, n := range nodes {
		fmt.Fprintf(bw, "    <node id=\"%s\">\n", esc(n.id))
		data("node", n.props)
		bw.WriteString("    </node>\n")
	}
	for _, e := range edges {
		fmt.Fprintf(bw, "    <edge id=\"%s\" source=\"%s\" target=\"%s\">\n", esc(e.id), esc(e.from), esc(e.to))
		data("edge", e.props)
		bw.WriteString("    </edge>\n")
	}
	bw.WriteString("  </graph>\n</graphml>\n")
	return bw.Flush()
}

// The files WriteCSV writes.
const (
	CSVEntities  = "entities.csv"
	CSVSources   = "sources.csv"
	CSVRelations = "relations.csv"
)

// csvArrayDelimiter separates the elements of a list in one CSV field; it is the default of
// neo4j-admin database import.
const csvArrayDelimiter = ";"

// NeoAdminArgs are the neo4j-admin arguments that import WriteCSV's files, in dir, into the
// new database db. The database comes first: after --relationships it would be read as one
// more file. Give dir as an absolute path: newer releases refuse a file name without a
// directory.
func NeoAdminArgs(db, dir string) []string {
	at := func(name string) string { return filepath.Join(dir, name) }
	return []string{"database", "import", "full", db, "--nodes=" + at(CSVSources), "--nodes=" + at(CSVEntities), "--relationships=" + at(CSVRelations)}
}

// NeoAdminCommand is the neo4j-admin command line of NeoAdminArgs.
func NeoAdminCommand(db, dir string) string {
	return "neo4j-admin " + strings.Join(NeoAdminArgs(db, dir), " ")
}

// WriteCSV writes d as the CSV files of `neo4j-admin database import` (NeoAdminCommand):
// sources.csv and entities.csv (nodes, with an id:ID column, a :LABEL column — Source, or
// Entity and the entity's kind — and a typed column per property) and relations.csv (edges:
// :START_ID, :END_ID, :TYPE and the relation's properties). Lists are string[] columns,
// their elements separated by ";"; a list element holding ";" is refused, since no
// neo4j-admin setting could read it back. create opens each file.
func WriteCSV(create func(name string) (io.WriteCloser, error), d *model.Dataset) error {
	nodes, edges, err := flatItems(d)
	if err != nil {
		return err
	}
	var sources, entities []item
	for _, n := range nodes {
		if n.label == "Source" {
			sources = append(sources, n)
		} else {
			entities = append(entities, n)
		}
	}
	write := func(name string, items []item, edge bool) (err error) {
		f, err := create(name)
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, f.Close()) }()
		cw := csv.NewWriter(f)
		cols := columns(items)
		var header []string
		if edge {
			header = []string{":START_ID", ":END_ID", ":TYPE"}
		}
		for _, c := range cols {
			switch {
			case c.name == "id" && !edge:
				header = append(header, "id:ID")
			case c.typ == "string":
				header = append(header, c.name)
			default:
				header = append(header, c.name+":"+c.typ)
			}
		}
		if !edge {
			header = append(header, ":LABEL")
		}
		if err := cw.Write(header); err != nil {
			return err
		}
		for _, it := range items {
			var row []string
			if edge {
				row = []string{it.from, it.to, it.label}
			}
			vals := map[string]any{}
			for _, p := range it.props {
				vals[p.name] = p.value
			}
			for _, c := range cols {
				v, ok := vals[c.name]
				if !ok {
					row = append(row, "")
					continue
				}
				if l, isList := v.([]string); isList && c.typ == "string[]" {
					for _, s := range l {
						if strings.Contains(s, csvArrayDelimiter) {
							return fmt.Errorf("%s %q: %s holds %q, the CSV list delimiter", name, it.id, c.name, s)
						}
					}
					row = append(row, strings.Join(l, csvArrayDelimiter))
					continue
				}
				row = append(row, text(v))
			}
			if !edge {
				label := it.label
				if label != "Source" {
					label = "Entity" + csvArrayDelimiter + label
				}
				row = append(row, label)
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	}
	if err := write(CSVSources, sources, false); err != nil {
		return err
	}
	if err := write(CSVEntities, entities, false); err != nil {
		return err
	}
	return write(CSVRelations, edges, true)
}

// cypherString is a Cypher string literal. JSON's escapes (\", \\, \n, \uXXXX, ...) are
// Cypher's too.
func cypherString(s string) string {
	b, _ := marshal(s, "", "")
	return string(b)
}

// cypherValue is a property value as a Cypher literal.
func cypherValue(v any) string {
	switch x := v.(type) {
	case string:
		return cypherString(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case []string:
		parts := make([]string, len(x))
		for i, s := range x {
			parts[i] = cypherString(s)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return cypherString(fmt.Sprint(v))
}

// cypherMap is properties as a Cypher map literal. Property names are the dataset's JSON
// field names, plain identifiers.
func cypherMap(props []property) string {
	parts := make([]string, 0, len(props))
	for _, p := range props {
		parts = append(parts, p.name+": "+cypherValue(p.value))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// WriteCypher writes d as a Cypher script, one statement a line, for cypher-shell -f or
// Neo4j Browser: uniqueness constraints on the ids, then a MERGE per source (label Source),
// per entity (labels Entity and its kind) and per relation (its type as the relationship
// type), each setting every property. Running it twice changes nothing. Lists of text are
// lists; provisions are JSON text.
func WriteCypher(w io.Writer, d *model.Dataset) error {
	nodes, edges, err := flatItems(d)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("// autograph dataset: " + strconv.Itoa(len(d.Sources)) + " sources, " +
		strconv.Itoa(len(nodes)-len(d.Sources)) + " entities, " + strconv.Itoa(len(edges)) + " relations\n")
	bw.WriteString("CREATE CONSTRAINT IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;\n")
	bw.WriteString("CREATE CONSTRAINT IF NOT EXISTS FOR (n:Source) REQUIRE n.id IS UNIQUE;\n")
	for _, n := range nodes {
		labels := "Source"
		if n.label != "Source" {
			labels = "Entity:" + n.label
		}
		first := strings.SplitN(labels, ":", 2)[0]
		fmt.Fprintf(bw, "MERGE (n:%s {id: %s}) SET n = %s, n:%s;\n", first, cypherString(n.id), cypherMap(n.props), labels)
	}
	for _, e := range edges {
		if !model.RelationType(e.label).IsValid() {
			return fmt.Errorf("relation %q: unknown type %q", e.id, e.label)
		}
		fmt.Fprintf(bw, "MATCH (a:Entity {id: %s}), (b:Entity {id: %s}) MERGE (a)-[r:%s {id: %s}]->(b) SET r = %s;\n",
			cypherString(e.from), cypherString(e.to), e.label, cypherString(e.id), cypherMap(e.props))
	}
	return bw.Flush()
}
