package model

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Dataset is a whole graph in one value: what the seed holds and what Store.Import loads.
type Dataset struct {
	Sources       []*Source       `json:"sources"`
	Organizations []*Organization `json:"organizations"`
	Brands        []*Brand        `json:"brands"`
	VehicleModels []*VehicleModel `json:"vehicleModels"`
	Plants        []*Plant        `json:"plants"`
	Places        []*Place        `json:"places"`
	Agreements    []*Agreement    `json:"agreements"`
	Relations     []*Relation     `json:"relations"`
}

// Entities lists every entity of the dataset, kind by kind.
func (d *Dataset) Entities() []Entity {
	var out []Entity
	for _, e := range d.Organizations {
		out = append(out, e)
	}
	for _, e := range d.Brands {
		out = append(out, e)
	}
	for _, e := range d.VehicleModels {
		out = append(out, e)
	}
	for _, e := range d.Plants {
		out = append(out, e)
	}
	for _, e := range d.Places {
		out = append(out, e)
	}
	for _, e := range d.Agreements {
		out = append(out, e)
	}
	return out
}

// Add puts an entity into the slice of its kind.
func (d *Dataset) Add(e Entity) {
	switch v := e.(type) {
	case *Organization:
		d.Organizations = append(d.Organizations, v)
	case *Brand:
		d.Brands = append(d.Brands, v)
	case *VehicleModel:
		d.VehicleModels = append(d.VehicleModels, v)
	case *Plant:
		d.Plants = append(d.Plants, v)
	case *Place:
		d.Places = append(d.Places, v)
	case *Agreement:
		d.Agreements = append(d.Agreements, v)
	}
}

// isSlug reports whether id is lower-case letters and digits joined by single hyphens, the
// language of ^[a-z0-9]+(-[a-z0-9]+)*$ (TestIsSlugIsTheRegexp): by hand, since an import of
// 1M entities checks 2.5M ids and the regexp took a second of it.
func isSlug(id string) bool {
	if id == "" || id[0] == '-' || id[len(id)-1] == '-' {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && id[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// MaxIDLength bounds ids.
const MaxIDLength = 100

// CheckID returns BAD_USER_INPUT unless id is a slug: lower-case letters and digits in words
// joined by single hyphens, at most MaxIDLength long.
func CheckID(id string) error {
	if len(id) > MaxIDLength || !isSlug(id) {
		return Errorf(CodeBadUserInput, "id %q is not a slug (lower-case letters and digits joined by single hyphens, at most %d characters, e.g. \"baic-x35\")", truncate(id, 40), MaxIDLength)
	}
	return nil
}

// relationHashLength is the length of the hexadecimal hash that ends a RelationID.
const relationHashLength = 8

// HasRelationIDShape reports whether id looks like an id RelationID derives: a readable part
// that names a relation type between two ids ("avtotor-assembles-kaiyi"), or one long enough
// that RelationID cut it short, then a hyphen and eight lower-case hexadecimal digits. Such ids
// are reserved for relations: an entity or source holding one could stop addRelation from ever
// recording the fact whose id it is.
func HasRelationIDShape(id string) bool {
	n := len(id) - relationHashLength
	if n < 2 || id[n-1] != '-' {
		return false
	}
	for _, c := range id[n:] {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	prefix := id[:n-1]
	if len(prefix) >= MaxIDLength-relationHashLength-2 {
		return true // RelationID may have cut the type off
	}
	for _, t := range relationTypes {
		if strings.Contains(prefix, "-"+relationTypeWord(t)+"-") {
			return true
		}
	}
	return false
}

// relationTypeWord is how a relation type reads inside a RelationID: SUBSIDIARY_OF is
// "subsidiary-of".
func relationTypeWord(t RelationType) string {
	return strings.ReplaceAll(Normalize(string(t)), " ", "-")
}

// CheckEntityID is CheckID for the ids of entities and sources, which may not have the shape
// of a derived relation id (HasRelationIDShape).
func CheckEntityID(id string) error {
	if err := CheckID(id); err != nil {
		return err
	}
	if HasRelationIDShape(id) {
		return Errorf(CodeBadUserInput,
			"id %q is reserved for relations: ids of the form <from>-<relation type>-<to>-<8 hexadecimal digits> are the ones addRelation derives; choose another id (for example without the last part)",
			id)
	}
	return nil
}

// CheckPeriod returns BAD_USER_INPUT when validTo ends before validFrom starts.
func CheckPeriod(from, to *Date) error {
	if from != nil && to != nil && to.End() <= from.Start() {
		return Errorf(CodeBadUserInput, "validTo %s is before validFrom %s", to, from)
	}
	return nil
}

// Validate checks a dataset as a whole: slugs, ids unique across entities, sources and
// relations, names present, enum values known, every reference (country, publisher, relation
// endpoint, cited source) resolvable, endpoint kinds allowed for each relation type, no
// relation from an entity to itself and no cycle of a hierarchical type, every relation
// citing a source, and periods in order. It reports every problem, not just the first.
func (d *Dataset) Validate() error { return d.ValidateContext(context.Background()) }

// validateCheckEvery is how many items ValidateContext checks between two looks at its context.
const validateCheckEvery = 1024

// ValidateContext is Validate that stops when ctx is done, with ctx's error alone (no problem
// of the dataset), so a large dataset's checks can be cancelled.
func (d *Dataset) ValidateContext(ctx context.Context) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	seen := 0
	stop := func() bool {
		seen++
		return seen%validateCheckEvery == 0 && ctx.Err() != nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	ents := d.Entities()
	// Made at their sizes: growing them to a million ids, rehash by rehash, was a fifth of
	// the check of a large import.
	ids := make(map[string]string, len(d.Sources)+len(ents)+len(d.Relations))
	claim := func(id, what string) {
		check := CheckEntityID // entities and sources
		if what == "relation" {
			check = CheckID
		}
		if err := check(id); err != nil {
			bad("%s: %w", what, err)
		}
		if prev, ok := ids[id]; ok {
			bad("%s %q: id already used by a %s", what, id, prev)
		}
		ids[id] = what
	}
	sources := make(map[string]bool, len(d.Sources))
	for _, s := range d.Sources {
		if stop() {
			return ctx.Err()
		}
		claim(s.ID, "source")
		sources[s.ID] = true
		if s.Title == "" {
			bad("source %q: no title", s.ID)
		}
		if s.PublishedOn.IsZero() {
			bad("source %q: no publication date", s.ID)
		}
	}
	kinds := make(map[string]EntityKind, len(ents))
	for _, e := range ents {
		if stop() {
			return ctx.Err()
		}
		b := e.Common()
		claim(b.ID, "entity")
		kinds[b.ID] = e.Kind()
		if b.Name == "" {
			bad("entity %q: no name", b.ID)
		}
	}
	checkSources := func(what, id string, ids []string, required bool) {
		if required && len(ids) == 0 {
			bad("%s %q: cites no source", what, id)
		}
		for _, s := range ids {
			if !sources[s] {
				bad("%s %q: unknown source %q", what, id, s)
			}
		}
	}
	checkRef := func(what, id, field, ref string, kind EntityKind) {
		if ref != "" && kinds[ref] != kind {
			bad("%s %q: %s %q is not a known %s", what, id, field, ref, kind)
		}
	}
	for _, e := range ents {
		if stop() {
			return ctx.Err()
		}
		b := e.Common()
		checkSources("entity", b.ID, b.SourceIDs, false)
		if err := checkEnums(e); err != nil {
			bad("entity %q: %w", b.ID, err)
		}
		switch v := e.(type) {
		case *Organization:
			checkRef("organization", b.ID, "countryId", v.CountryID, KindPlace)
		case *Brand:
			checkRef("brand", b.ID, "countryId", v.CountryID, KindPlace)
		case *Agreement:
			for i, p := range v.Provisions {
				if p.Summary == "" {
					bad("agreement %q: provision %d has no summary", b.ID, i+1)
				}
			}
		}
	}
	for _, s := range d.Sources {
		checkRef("source", s.ID, "publisherId", s.PublisherID, KindOrganization)
	}
	for _, r := range d.Relations {
		if stop() {
			return ctx.Err()
		}
		claim(r.ID, "relation")
		if err := r.check(kinds); err != nil {
			bad("relation %q: %w", r.ID, err)
		}
		checkSources("relation", r.ID, r.SourceIDs, true)
	}
	// Hierarchies: a relation that closes a cycle with the ones before it is refused, so
	// each cycle is reported once, at its last relation.
	up := map[string][]*Relation{}
	for _, r := range d.Relations {
		if stop() {
			return ctx.Err()
		}
		if !r.Type.Hierarchical() || r.FromID == r.ToID {
			continue
		}
		chain := FindChain(r.Type, r.ToID, r.FromID, func(id string) []*Relation { return up[id] })
		if err := CheckNoCycle(r, chain); err != nil {
			bad("relation %q: %w", r.ID, err)
			continue
		}
		up[r.FromID] = append(up[r.FromID], r)
	}
	return errors.Join(errs...)
}

// check validates a relation against the kinds of the entities it may connect.
func (r *Relation) check(kinds map[string]EntityKind) error {
	if !r.Type.IsValid() {
		return Errorf(CodeBadUserInput, "unknown relation type %q", r.Type)
	}
	if !r.Status.IsValid() {
		return Errorf(CodeBadUserInput, "unknown status %q", r.Status)
	}
	if err := CheckNotSelf(r); err != nil {
		return err
	}
	fk, ok := kinds[r.FromID]
	if !ok {
		return NotFound("entity", r.FromID)
	}
	tk, ok := kinds[r.ToID]
	if !ok {
		return NotFound("entity", r.ToID)
	}
	if err := CheckEndpoints(r.Type, fk, tk); err != nil {
		return err
	}
	if r.Quantity != nil && *r.Quantity < 0 {
		return Errorf(CodeBadUserInput, "quantity %d is negative", *r.Quantity)
	}
	return CheckPeriod(r.ValidFrom, r.ValidTo)
}

// checkEnums checks the enum-valued fields of an entity (JSON decoding does not).
func checkEnums(e Entity) error {
	switch v := e.(type) {
	case *Organization:
		if !slices.Contains(organizationTypes, v.Type) {
			return Errorf(CodeBadUserInput, "unknown organization type %q", v.Type)
		}
		if v.Ownership != nil && !slices.Contains(ownerships, *v.Ownership) {
			return Errorf(CodeBadUserInput, "unknown ownership %q", *v.Ownership)
		}
	case *Brand:
		if v.Segment != nil && !slices.Contains(brandSegments, *v.Segment) {
			return Errorf(CodeBadUserInput, "unknown segment %q", *v.Segment)
		}
	case *VehicleModel:
		if v.Powertrain != nil && !slices.Contains(powertrains, *v.Powertrain) {
			return Errorf(CodeBadUserInput, "unknown powertrain %q", *v.Powertrain)
		}
	case *Place:
		if v.Type != "" && !slices.Contains(placeTypes, v.Type) {
			return Errorf(CodeBadUserInput, "unknown place type %q", v.Type)
		}
	}
	return nil
}
