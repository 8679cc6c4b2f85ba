package inmem

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
	"unsafe"

	"github.com/autograph-kg/autograph/graph/model"
)

// The records of format version 2: a compact binary encoding, about a third of the JSON of
// version 1 and decoded several times faster, which is most of what reading a large file at
// Open costs. A record does not repeat its id, which is its key.
//
// Every value starts with binaryTag, a byte that cannot start a JSON value, so the decoders
// also read the JSON records of version 1 (they start with '{'): a version 1 file is read as
// it is, and its records turn binary as writes replace them. Then come the fields in the
// order of the model type's declaration:
//
//	string            uvarint length, bytes
//	[]string          uvarint count+1 (0 for nil), then each string
//	*Date             0 for nil, else 1 and Date
//	Date              uvarint year, month, day
//	*string-like enum 0 for nil, else 1 and string
//	*int              0 for nil, else 1 and varint
//	time.Time         varint microseconds since the Unix epoch, UTC
//
// An entity starts with its kind (entityKindCodes), then EntityBase, then its own fields.
// TestCodecCoversEveryField fails when a model type gains a field this file does not write.
const binaryTag = 0x01

// entityKindCodes numbers the entity kinds in records; never renumber one.
var entityKindCodes = [...]model.EntityKind{
	1: model.KindOrganization,
	2: model.KindBrand,
	3: model.KindVehicleModel,
	4: model.KindPlant,
	5: model.KindPlace,
	6: model.KindAgreement,
}

func kindCode(k model.EntityKind) byte {
	for i, x := range entityKindCodes {
		if i > 0 && x == k {
			return byte(i)
		}
	}
	return 0
}

// enc appends a record's fields to b.
type enc struct{ b []byte }

func (e *enc) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *enc) varint(v int64)   { e.b = binary.AppendVarint(e.b, v) }

func (e *enc) str(s string) {
	e.uvarint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *enc) strs(ss []string) {
	if ss == nil {
		e.uvarint(0)
		return
	}
	e.uvarint(uint64(len(ss)) + 1)
	for _, s := range ss {
		e.str(s)
	}
}

func (e *enc) dateVal(d model.Date) {
	e.uvarint(uint64(d.Year))
	e.uvarint(uint64(d.Month))
	e.uvarint(uint64(d.Day))
}

func (e *enc) date(d *model.Date) {
	if d == nil {
		e.b = append(e.b, 0)
		return
	}
	e.b = append(e.b, 1)
	e.dateVal(*d)
}

func optStr[T ~string](e *enc, p *T) {
	if p == nil {
		e.b = append(e.b, 0)
		return
	}
	e.b = append(e.b, 1)
	e.str(string(*p))
}

func (e *enc) intPtr(p *int) {
	if p == nil {
		e.b = append(e.b, 0)
		return
	}
	e.b = append(e.b, 1)
	e.varint(int64(*p))
}

func (e *enc) time(t time.Time) { e.varint(t.UnixMicro()) }

// appendEntity appends the binary record of e to b.
func appendEntity(b []byte, x model.Entity) ([]byte, error) {
	code := kindCode(x.Kind())
	if code == 0 {
		return nil, fmt.Errorf("unknown kind %q", x.Kind())
	}
	e := &enc{b: append(b, binaryTag, code)}
	c := x.Common()
	e.str(c.Name)
	e.strs(c.Aliases)
	e.str(c.Description)
	e.strs(c.SourceIDs)
	e.time(c.CreatedAt)
	e.time(c.UpdatedAt)
	switch v := x.(type) {
	case *model.Organization:
		e.str(string(v.Type))
		optStr(e, v.Ownership)
		e.date(v.Founded)
		e.str(v.CountryID)
	case *model.Brand:
		optStr(e, v.Segment)
		e.date(v.Founded)
		e.str(v.CountryID)
	case *model.VehicleModel:
		optStr(e, v.Powertrain)
	case *model.Plant:
		e.date(v.Opened)
	case *model.Place:
		e.str(string(v.Type))
		e.str(v.CountryCode)
	case *model.Agreement:
		e.date(v.SignedOn)
		e.date(v.AnnouncedOn)
		if v.Provisions == nil {
			e.uvarint(0)
		} else {
			e.uvarint(uint64(len(v.Provisions)) + 1)
			for _, p := range v.Provisions {
				e.str(p.Summary)
				e.date(p.Due)
			}
		}
	default:
		return nil, fmt.Errorf("unknown entity type %T", x)
	}
	return e.b, nil
}

// appendSource appends the binary record of src to b.
func appendSource(b []byte, src *model.Source) []byte {
	e := &enc{b: append(b, binaryTag)}
	e.str(src.Title)
	e.str(src.PublisherID)
	e.dateVal(src.PublishedOn)
	e.str(src.Dateline)
	e.str(src.URL)
	e.str(src.Language)
	e.time(src.CreatedAt)
	e.time(src.UpdatedAt)
	return e.b
}

// appendRelation appends the binary record of r to b.
func appendRelation(b []byte, r *model.Relation) []byte {
	e := &enc{b: append(b, binaryTag)}
	e.str(string(r.Type))
	e.str(r.FromID)
	e.str(r.ToID)
	e.str(string(r.Status))
	e.date(r.ValidFrom)
	e.date(r.ValidTo)
	e.intPtr(r.Quantity)
	e.str(r.Note)
	e.strs(r.SourceIDs)
	e.time(r.CreatedAt)
	e.time(r.UpdatedAt)
	return e.b
}

// strtab hands out one string per distinct value, so that the many records that repeat a
// value (an enum, a source id, a relation's endpoints) share its memory.
type strtab map[string]string

func (t strtab) get(b []byte) string {
	if s, ok := t[string(b)]; ok {
		return s
	}
	s := string(b)
	t[s] = s
	return s
}

// slabs hold what the records of one load share, so that a million records are not
// millions of small objects, which every collection marks:
//
//   - dates: one *model.Date per distinct date. Most of a million relations' periods and
//     entities' founding years fall on a few thousand dates; each record had a value of its
//     own, two million objects at 1M entities.
//   - lists: the string lists (aliases, source ids) are carved out of blocks of listBlock
//     strings instead of allocated one by one, another three million objects. Each list's
//     capacity is its length, so that an append to one copies it and leaves its neighbours
//     alone; a block lives as long as one of its lists does.
//   - text: the strings a record does not share (names, notes, titles, relation ids) are
//     copied into blocks of textBlock bytes, which nothing writes to again, instead of each
//     into an allocation of its own: three million objects more.
//   - relations: the relation structs come out of blocks of relBlock.
//   - enums: one pointer per distinct value of an optional enum (an organization's
//     ownership, a brand's segment, a model's powertrain), as for dates.
//
// The store never changes a stored value in place, and hands out copies (Clone copies dates
// and lists), so no one can change one record through another. A nil *slabs shares nothing.
type slabs struct {
	dates map[model.Date]*model.Date
	lists []string // the unused rest of the current block
	text  []byte   // the unused rest of the current block
	rels  []model.Relation
	enums map[enumKey]any // a *T of the key's type
}

// enumKey is an enum value and its type, a nil *T: values of two enum types stay apart.
type enumKey struct {
	typ any
	v   string
}

// sharedEnum returns the shared pointer to v.
func sharedEnum[T ~string](t *slabs, v T) *T {
	k := enumKey{typ: (*T)(nil), v: string(v)}
	if p, ok := t.enums[k].(*T); ok {
		return p
	}
	if t.enums == nil {
		t.enums = map[enumKey]any{}
	}
	p := &v
	t.enums[k] = p
	return p
}

const (
	// listBlock is how many strings a block of lists holds: 64 KiB of string headers.
	listBlock = 4096
	// textBlock is the size of a block of text; a string longer than a sixteenth of it gets
	// an allocation of its own rather than waste the rest of a block.
	textBlock = 64 << 10
	// relBlock is how many relations a block of them holds (about 200 KiB).
	relBlock = 1024
)

// str returns a string of b's bytes, in the current block of text.
func (t *slabs) str(b []byte) string {
	switch {
	case len(b) == 0:
		return ""
	case len(b) > textBlock/16:
		return string(b)
	case len(t.text) < len(b):
		t.text = make([]byte, textBlock)
	}
	n := copy(t.text, b)
	s := unsafe.String(&t.text[0], n)
	t.text = t.text[n:]
	return s
}

// relation returns a new zero relation from the current block of them.
func (t *slabs) relation() *model.Relation {
	if len(t.rels) == 0 {
		t.rels = make([]model.Relation, relBlock)
	}
	r := &t.rels[0]
	t.rels = t.rels[1:]
	return r
}

func newSlabs() *slabs { return &slabs{dates: map[model.Date]*model.Date{}} }

// date returns the shared value of v.
func (t *slabs) date(v model.Date) *model.Date {
	if p, ok := t.dates[v]; ok {
		return p
	}
	p := &v
	t.dates[v] = p
	return p
}

// list returns a list of n strings for the caller to fill, of capacity n.
func (t *slabs) list(n int) []string {
	if n > listBlock/4 {
		return make([]string, n) // a long list does not waste the rest of a block
	}
	if len(t.lists) < n {
		t.lists = make([]string, listBlock)
	}
	l := t.lists[:n:n]
	t.lists = t.lists[n:]
	return l
}

// find is get for a table that must not grow: a value it does not hold gets a string of its own.
func (t strtab) find(b []byte) string {
	if s, ok := t[string(b)]; ok {
		return s
	}
	return string(b)
}

// dec reads a record's fields; the first malformed field sets err, and every read after it
// returns zero values, so that a decoder checks err once at the end.
type dec struct {
	b   []byte
	err error
	// shared interns values that many records repeat; ids interns entity ids (a relation's
	// endpoints), when the caller has them.
	shared, ids strtab
	// slabs shares dates and carves lists (slabs), when the caller has them.
	slabs *slabs
}

var errShort = errors.New("the record ends early")

func (d *dec) fail(err error) {
	if d.err == nil {
		d.err = err
	}
	d.b = nil
}

func (d *dec) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail(errShort)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail(errShort)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) byte() byte {
	if len(d.b) == 0 {
		d.fail(errShort)
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *dec) raw() []byte {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail(errShort)
		return nil
	}
	s := d.b[:n]
	d.b = d.b[n:]
	return s
}

// str copies a string out of the record (records live in the file's memory mapping).
func (d *dec) str() string {
	if d.slabs == nil {
		return string(d.raw())
	}
	return d.slabs.str(d.raw())
}

// interned is str through a string table.
func (d *dec) interned(t strtab) string {
	b := d.raw()
	if t == nil || d.err != nil {
		return string(b)
	}
	return t.get(b)
}

// endpoint reads an entity id, sharing the string of the entity's own id when d.ids has it.
func (d *dec) endpoint() string {
	b := d.raw()
	if d.ids == nil || d.err != nil {
		return string(b)
	}
	return d.ids.find(b)
}

func (d *dec) strs(t strtab) []string {
	n := d.uvarint()
	if n == 0 || d.err != nil {
		return nil
	}
	if n-1 > uint64(len(d.b)) { // every string takes at least a byte
		d.fail(errShort)
		return nil
	}
	var out []string
	if d.slabs != nil {
		out = d.slabs.list(int(n - 1))
	} else {
		out = make([]string, n-1)
	}
	for i := range out {
		out[i] = d.interned(t)
	}
	return out
}

func (d *dec) int() int {
	v := d.uvarint()
	if v > 1<<31 {
		d.fail(errors.New("a number is out of range"))
	}
	return int(v)
}

func (d *dec) dateVal() model.Date { return model.Date{Year: d.int(), Month: d.int(), Day: d.int()} }

func (d *dec) present() bool {
	switch d.byte() {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail(errors.New("a presence flag is neither 0 nor 1"))
	return false
}

func (d *dec) date() *model.Date {
	if !d.present() {
		return nil
	}
	v := d.dateVal()
	if d.slabs == nil || d.err != nil {
		return &v
	}
	return d.slabs.date(v)
}

func optDec[T ~string](d *dec) *T {
	if !d.present() {
		return nil
	}
	v := T(d.interned(d.shared))
	if d.slabs == nil || d.err != nil {
		return &v
	}
	return sharedEnum(d.slabs, v)
}

func (d *dec) intPtr() *int {
	if !d.present() {
		return nil
	}
	v := int(d.varint())
	return &v
}

func (d *dec) time() time.Time { return time.UnixMicro(d.varint()).UTC() }

// done reports the first error, or trailing bytes.
func (d *dec) done() error {
	if d.err == nil && len(d.b) > 0 {
		return errors.New("the record has trailing bytes")
	}
	return d.err
}

// decodeEntityBinary decodes a binary entity record (after its tag) stored under id.
func decodeEntityBinary(id string, d *dec) (model.Entity, error) {
	code := d.byte()
	if d.err != nil || int(code) >= len(entityKindCodes) || code == 0 {
		return nil, fmt.Errorf("unknown kind code %d", code)
	}
	base := model.EntityBase{ID: id}
	base.Name = d.str()
	base.Aliases = d.strs(nil)
	base.Description = d.str()
	base.SourceIDs = d.strs(d.shared)
	base.CreatedAt = d.time()
	base.UpdatedAt = d.time()
	var e model.Entity
	switch entityKindCodes[code] {
	case model.KindOrganization:
		o := &model.Organization{EntityBase: base}
		o.Type = model.OrganizationType(d.interned(d.shared))
		o.Ownership = optDec[model.Ownership](d)
		o.Founded = d.date()
		o.CountryID = d.interned(d.shared)
		e = o
	case model.KindBrand:
		b := &model.Brand{EntityBase: base}
		b.Segment = optDec[model.BrandSegment](d)
		b.Founded = d.date()
		b.CountryID = d.interned(d.shared)
		e = b
	case model.KindVehicleModel:
		m := &model.VehicleModel{EntityBase: base}
		m.Powertrain = optDec[model.Powertrain](d)
		e = m
	case model.KindPlant:
		p := &model.Plant{EntityBase: base}
		p.Opened = d.date()
		e = p
	case model.KindPlace:
		p := &model.Place{EntityBase: base}
		p.Type = model.PlaceType(d.interned(d.shared))
		p.CountryCode = d.interned(d.shared)
		e = p
	case model.KindAgreement:
		a := &model.Agreement{EntityBase: base}
		a.SignedOn = d.date()
		a.AnnouncedOn = d.date()
		if n := d.uvarint(); n > 0 && d.err == nil {
			if n-1 > uint64(len(d.b)) {
				d.fail(errShort)
			} else {
				a.Provisions = make([]model.Provision, n-1)
				for i := range a.Provisions {
					a.Provisions[i] = model.Provision{Summary: d.str(), Due: d.date()}
				}
			}
		}
		e = a
	}
	if err := d.done(); err != nil {
		return nil, err
	}
	return e, nil
}

func decodeSourceBinary(id string, d *dec) (*model.Source, error) {
	src := &model.Source{ID: id}
	src.Title = d.str()
	src.PublisherID = d.interned(d.shared)
	src.PublishedOn = d.dateVal()
	src.Dateline = d.str()
	src.URL = d.str()
	src.Language = d.interned(d.shared)
	src.CreatedAt = d.time()
	src.UpdatedAt = d.time()
	if err := d.done(); err != nil {
		return nil, err
	}
	return src, nil
}

func decodeRelationBinary(id string, d *dec) (*model.Relation, error) {
	var r *model.Relation
	if d.slabs != nil {
		r = d.slabs.relation()
	} else {
		r = &model.Relation{}
	}
	r.ID = id
	r.Type = model.RelationType(d.interned(d.shared))
	r.FromID = d.endpoint()
	r.ToID = d.endpoint()
	r.Status = model.RelationStatus(d.interned(d.shared))
	r.ValidFrom = d.date()
	r.ValidTo = d.date()
	r.Quantity = d.intPtr()
	r.Note = d.str()
	r.SourceIDs = d.strs(d.shared)
	r.CreatedAt = d.time()
	r.UpdatedAt = d.time()
	if err := d.done(); err != nil {
		return nil, err
	}
	return r, nil
}
