package neo4jstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/autograph-kg/autograph/graph/model"
)

// Mapping from what the driver returns (records, nodes, relationships, paths) to model
// values. A value that cannot be what the store wrote is an internal error naming the stored
// item and the property, never a silent zero.

// recordValue reads a non-null value of type T from a record.
func recordValue[T neo4j.RecordValue](rec *neo4j.Record, key string) (T, error) {
	v, isNil, err := neo4j.GetRecordValue[T](rec, key)
	if err != nil {
		return v, fmt.Errorf("record value %q: %w", key, err)
	}
	if isNil {
		return v, fmt.Errorf("record value %q is null", key)
	}
	return v, nil
}

// listOf reads a list of T from a record (collect(...) results).
func listOf[T any](rec *neo4j.Record, key string) ([]T, error) {
	raw, err := recordValue[[]any](rec, key)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(raw))
	for i, x := range raw {
		v, ok := x.(T)
		if !ok {
			return nil, fmt.Errorf("record value %q[%d]: expected %T, found %T", key, i, v, x)
		}
		out[i] = v
	}
	return out, nil
}

// props reads the properties of one stored node or relationship: a map, or a slim item's
// keys and values side by side (slimProps), which spares a map per item. It remembers the
// first error, so mapping code reads straight through and checks once at the end.
type props struct {
	what string // "entity", "source" or "relation", for messages
	id   string
	m    map[string]any
	keys []string // with vals, instead of m
	vals []any
	kind string // for a slim item that leaves the kind out: the kind the rule book fixes
	err  error
}

func newProps(what string, e dbtype.Entity) props {
	m := e.GetProperties()
	id, _ := m["id"].(string)
	return props{what: what, id: id, m: m}
}

// slimProps reads a slim item's values of keys (keys[0] is "id"); kind, when not "", is the
// entity's kind.
func slimProps(keys []string, vals []any, kind string) props {
	id, _ := vals[0].(string)
	return props{what: "entity", id: id, keys: keys, vals: vals, kind: kind}
}

// get is the value stored under key, and whether there is one (null counts as none).
func (p *props) get(key string) (any, bool) {
	var v any
	if p.keys != nil {
		if key == "kind" && p.kind != "" {
			return p.kind, true
		}
		for i, k := range p.keys {
			if k == key {
				v = p.vals[i]
				break
			}
		}
	} else {
		v = p.m[key]
	}
	return v, v != nil
}

// fail records a bad property. The cause is kept as text only: ParseDate's BAD_USER_INPUT,
// say, must not make a corrupt stored value look like the caller's mistake.
func (p *props) fail(key string, err error) {
	if p.err == nil {
		p.err = fmt.Errorf("neo4j: stored %s %q has a bad %q property: %v", p.what, p.id, key, err)
	}
}

func (p *props) has(key string) bool {
	_, ok := p.get(key)
	return ok
}

// prop reads an optional property of type T: the zero value and false when it is absent.
func prop[T neo4j.PropertyValue](p *props, key string) (T, bool) {
	var zero T
	raw, ok := p.get(key)
	if !ok {
		return zero, false
	}
	v, ok := raw.(T)
	if !ok {
		p.fail(key, fmt.Errorf("expected a %T, found a %T", zero, raw))
		return zero, false
	}
	return v, true
}

// str reads an optional string property; absent is "".
func (p *props) str(key string) string {
	v, _ := prop[string](p, key)
	return v
}

// required reads a string property that every stored item of its sort has.
func (p *props) required(key string) string {
	v, ok := prop[string](p, key)
	if !ok && p.err == nil {
		p.fail(key, errors.New("missing"))
	}
	return v
}

// strs reads a list of strings: nil when absent, empty when stored empty, so a list
// round-trips exactly.
func (p *props) strs(key string) []string {
	raw, ok := prop[[]any](p, key)
	if !ok {
		return nil
	}
	out := make([]string, len(raw))
	for i, x := range raw {
		s, ok := x.(string)
		if !ok {
			p.fail(key, fmt.Errorf("element %d is a %T, not a string", i, x))
			return nil
		}
		out[i] = s
	}
	return out
}

// date reads an optional partial date stored as its String() form.
func (p *props) date(key string) *model.Date {
	s, ok := prop[string](p, key)
	if !ok {
		return nil
	}
	d, err := model.ParseDate(s)
	if err != nil {
		p.fail(key, err)
		return nil
	}
	return &d
}

// timestamp reads an optional DateTime as a UTC time.
func (p *props) timestamp(key string) time.Time {
	t, ok := prop[time.Time](p, key)
	if !ok {
		return time.Time{}
	}
	return t.UTC()
}

// integer reads an optional integer.
func (p *props) integer(key string) *int {
	v, ok := prop[int64](p, key)
	if !ok {
		return nil
	}
	n := int(v)
	return &n
}

// enum reads an optional enum value into a pointer of its type.
func enum[T ~string](p *props, key string) *T {
	s, ok := prop[string](p, key)
	if !ok {
		return nil
	}
	v := T(s)
	return &v
}

// entityFields is the map projection of an entity that reads return (`n {.id, ...}`): the
// properties entityFromNode reads, and no other. The properties derived for the store's own
// use (nameKey, searchKeys, searchText, contentHash) never reach a caller, and a node carries
// its element id and labels besides, so a projected entity is what the driver has to encode,
// send and decode, on both sides, and no more. A property that the projection leaves out
// reads as absent: TestProjectionsCoverTheStoredProperties holds it to entityProps.
const entityFields = `{.id, .kind, .name, .aliases, .description, .sourceIds, .createdAt, .updatedAt, ` +
	`.type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, ` +
	`.signedOn, .announcedOn, .provisionsJson}`

// relationFields is the map projection of a relationship r for reads: the properties
// relationFromRel reads and the type. It leaves out the element ids of the relationship and
// its ends, and spanStart, spanEnd and contentHash, which only the store's filters and import
// use. TestProjectionsCoverTheStoredProperties holds it to relationProps.
const relationFields = `r {.id, .status, .validFrom, .validTo, .quantity, .note, .sourceIds, .createdAt, .updatedAt, type: type(r)}`

// entityFromValue maps an entity as a read returns it: an entityFields projection (a map) or,
// from the statements that return whole nodes (writes, paths), a node.
func entityFromValue(v any) (model.Entity, error) {
	switch n := v.(type) {
	case map[string]any:
		return entityFromNode(dbtype.Node{Props: n})
	case dbtype.Node:
		return entityFromNode(n)
	}
	return nil, fmt.Errorf("neo4j: expected an entity, found %T", v)
}

// entitiesFromList maps a collected list of entities (entityFromValue).
func entitiesFromList(list []any) ([]model.Entity, error) {
	out := make([]model.Entity, 0, len(list))
	for _, v := range list {
		e, err := entityFromValue(v)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// entityFromNode maps an :Entity node (or a projection of one, as its properties) to its
// concrete model type.
func entityFromNode(n dbtype.Node) (model.Entity, error) {
	p := newProps("entity", n)
	return entityFromProps(&p)
}

// entityFromProps maps an entity's properties to its concrete model type.
func entityFromProps(p *props) (model.Entity, error) {
	base := model.EntityBase{
		ID:          p.required("id"),
		Name:        p.str("name"),
		Aliases:     p.strs("aliases"),
		Description: p.str("description"),
		SourceIDs:   p.strs("sourceIds"),
		CreatedAt:   p.timestamp("createdAt"),
		UpdatedAt:   p.timestamp("updatedAt"),
	}
	var e model.Entity
	switch kind := model.EntityKind(p.required("kind")); kind {
	case model.KindOrganization:
		e = &model.Organization{
			EntityBase: base,
			Type:       model.OrganizationType(p.required("type")),
			Ownership:  enum[model.Ownership](p, "ownership"),
			Founded:    p.date("founded"),
			CountryID:  p.str("countryId"),
		}
	case model.KindBrand:
		e = &model.Brand{
			EntityBase: base,
			Segment:    enum[model.BrandSegment](p, "segment"),
			Founded:    p.date("founded"),
			CountryID:  p.str("countryId"),
		}
	case model.KindVehicleModel:
		e = &model.VehicleModel{EntityBase: base, Powertrain: enum[model.Powertrain](p, "powertrain")}
	case model.KindPlant:
		e = &model.Plant{EntityBase: base, Opened: p.date("opened")}
	case model.KindPlace:
		e = &model.Place{
			EntityBase:  base,
			Type:        model.PlaceType(p.required("type")),
			CountryCode: p.str("countryCode"),
		}
	case model.KindAgreement:
		a := &model.Agreement{EntityBase: base, SignedOn: p.date("signedOn"), AnnouncedOn: p.date("announcedOn")}
		if s, ok := prop[string](p, "provisionsJson"); ok {
			if err := json.Unmarshal([]byte(s), &a.Provisions); err != nil {
				p.fail("provisionsJson", err)
			}
		}
		e = a
	default:
		if p.err == nil {
			p.fail("kind", fmt.Errorf("unknown kind %q", kind))
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	return e, nil
}

// sourceFromNode maps a :Source node.
func sourceFromNode(n dbtype.Node) (*model.Source, error) {
	p := newProps("source", n)
	s := &model.Source{
		ID:          p.required("id"),
		Title:       p.str("title"),
		PublisherID: p.str("publisherId"),
		Dateline:    p.str("dateline"),
		URL:         p.str("url"),
		Language:    p.str("language"),
		CreatedAt:   p.timestamp("createdAt"),
		UpdatedAt:   p.timestamp("updatedAt"),
	}
	if d := p.date("publishedOn"); d != nil {
		s.PublishedOn = *d
	}
	if p.err != nil {
		return nil, p.err
	}
	return s, nil
}

// relationFromRel maps a relationship whose endpoints have the given entity ids.
func relationFromRel(r dbtype.Relationship, fromID, toID string) (*model.Relation, error) {
	p := newProps("relation", r)
	rel := &model.Relation{
		ID:        p.required("id"),
		Type:      model.RelationType(r.Type),
		FromID:    fromID,
		ToID:      toID,
		Status:    model.RelationStatus(p.required("status")),
		ValidFrom: p.date("validFrom"),
		ValidTo:   p.date("validTo"),
		Quantity:  p.integer("quantity"),
		Note:      p.str("note"),
		SourceIDs: p.strs("sourceIds"),
		CreatedAt: p.timestamp("createdAt"),
		UpdatedAt: p.timestamp("updatedAt"),
	}
	if !rel.Type.IsValid() && p.err == nil {
		p.fail("type", fmt.Errorf("unknown relationship type %q", r.Type))
	}
	if p.err != nil {
		return nil, p.err
	}
	return rel, nil
}

// relationFromMap maps the {rel, fromId, toId} maps that relation queries collect; rel is a
// relationship, or its relationFields projection.
func relationFromMap(v any) (*model.Relation, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("neo4j: expected a relation map, found %T", v)
	}
	var r dbtype.Relationship
	switch v := m["rel"].(type) {
	case dbtype.Relationship:
		r = v
	case map[string]any: // a relationFields projection
		typ, _ := v["type"].(string)
		r = dbtype.Relationship{Type: typ, Props: v}
	default:
		return nil, fmt.Errorf("neo4j: relation map: expected a relationship, found %T", m["rel"])
	}
	from, ok1 := m["fromId"].(string)
	to, ok2 := m["toId"].(string)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("neo4j: relation map: endpoint ids are %T and %T, not strings", m["fromId"], m["toId"])
	}
	return relationFromRel(r, from, to)
}

// relationsFromList maps a collected list of relation maps.
func relationsFromList(list []any) ([]*model.Relation, error) {
	out := make([]*model.Relation, 0, len(list))
	for _, v := range list {
		r, err := relationFromMap(v)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// relationFromRecord maps a record with columns r, fromId and toId.
func relationFromRecord(rec *neo4j.Record) (*model.Relation, error) {
	r, err := recordValue[dbtype.Relationship](rec, "r")
	if err != nil {
		return nil, err
	}
	from, err := recordValue[string](rec, "fromId")
	if err != nil {
		return nil, err
	}
	to, err := recordValue[string](rec, "toId")
	if err != nil {
		return nil, err
	}
	return relationFromRel(r, from, to)
}

// pathFromDB maps a driver path to a model path that starts at the path's start node.
//
// The driver's Path.Nodes lists the path's distinct nodes, not its sequence, so the sequence
// is rebuilt by walking the relationships (which are in order) from the start node, each time
// stepping to the relationship's other end, whichever way it points.
func pathFromDB(p dbtype.Path) (*model.Path, error) {
	if len(p.Nodes) == 0 {
		return nil, errors.New("neo4j: path without nodes")
	}
	byElement := make(map[string]dbtype.Node, len(p.Nodes))
	for _, n := range p.Nodes {
		byElement[n.ElementId] = n
	}
	entities := map[string]model.Entity{}
	entity := func(n dbtype.Node) (model.Entity, error) {
		if e, ok := entities[n.ElementId]; ok {
			return e.Clone(), nil // every occurrence is its own copy
		}
		e, err := entityFromNode(n)
		if err != nil {
			return nil, err
		}
		entities[n.ElementId] = e
		return e, nil
	}
	node := func(elementID string) (dbtype.Node, error) {
		n, ok := byElement[elementID]
		if !ok {
			return n, fmt.Errorf("neo4j: path relationship ends at node %s, which is not in the path", elementID)
		}
		return n, nil
	}
	cur := p.Nodes[0]
	first, err := entity(cur)
	if err != nil {
		return nil, err
	}
	out := &model.Path{Nodes: []model.Entity{first}}
	for _, r := range p.Relationships {
		var next string
		switch cur.ElementId {
		case r.StartElementId:
			next = r.EndElementId
		case r.EndElementId:
			next = r.StartElementId
		default:
			return nil, fmt.Errorf("neo4j: path relationship %s does not touch node %s", r.ElementId, cur.ElementId)
		}
		start, err := node(r.StartElementId)
		if err != nil {
			return nil, err
		}
		end, err := node(r.EndElementId)
		if err != nil {
			return nil, err
		}
		if cur, err = node(next); err != nil {
			return nil, err
		}
		fromID, ok1 := start.Props["id"].(string)
		toID, ok2 := end.Props["id"].(string)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("neo4j: path relationship %s joins a node without an id", r.ElementId)
		}
		rel, err := relationFromRel(r, fromID, toID)
		if err != nil {
			return nil, err
		}
		e, err := entity(cur)
		if err != nil {
			return nil, err
		}
		out.Relations = append(out.Relations, rel)
		out.Nodes = append(out.Nodes, e)
	}
	return out, nil
}

// reversePath turns a path around, for a path the server returned from its other end.
func reversePath(p *model.Path) {
	for i, j := 0, len(p.Nodes)-1; i < j; i, j = i+1, j-1 {
		p.Nodes[i], p.Nodes[j] = p.Nodes[j], p.Nodes[i]
	}
	for i, j := 0, len(p.Relations)-1; i < j; i, j = i+1, j-1 {
		p.Relations[i], p.Relations[j] = p.Relations[j], p.Relations[i]
	}
}

// optionalNode reads a node column that may be null.
func optionalNode(rec *neo4j.Record, key string) (dbtype.Node, bool, error) {
	v, isNil, err := neo4j.GetRecordValue[dbtype.Node](rec, key)
	if err != nil {
		return v, false, fmt.Errorf("record value %q: %w", key, err)
	}
	return v, !isNil, nil
}

func mapString(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func mapList(m map[string]any, key string) []any {
	l, _ := m[key].([]any)
	return l
}

func mapStrings(m map[string]any, key string) []string {
	var out []string
	for _, x := range mapList(m, key) {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
