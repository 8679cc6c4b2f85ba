package model

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"
)

// Writer is the write half of a store, used by curators through the mutations. Every method
// is one transaction: it checks its references and writes together, so a refused write
// changes nothing, and a write that returned success is durable (it survives a crash).
// Writes are idempotent: repeating one with the same input changes nothing, so a client or a
// driver may retry them safely.
type Writer interface {
	// UpsertEntity creates the entity, or replaces the one with the same id (fields left out
	// are cleared). CreatedAt is kept; UpdatedAt changes only when the content does.
	// BAD_USER_INPUT when CheckEntity fails (an id of the shape RelationID derives is one such
	// failure: HasRelationIDShape) or the id belongs to another kind, a source or a relation;
	// NOT_FOUND when a cited source or the country is unknown.
	UpsertEntity(ctx context.Context, e Entity) (Entity, error)
	// UpsertSource creates or replaces a source, with the same rules. NOT_FOUND when the
	// publisher is unknown.
	UpsertSource(ctx context.Context, s *Source) (*Source, error)
	// AddRelation creates a relation with the id r.ID (RelationID gives the canonical one).
	// Adding the same relation again returns the stored one unchanged. BAD_USER_INPUT when
	// CheckRelation fails (a relation from an entity to itself among others), the type does not
	// fit the endpoint kinds, a relation of a hierarchical type would close a cycle with the
	// stored ones (CheckNoCycle), or the id is taken by a different relation or by an entity or
	// source; NOT_FOUND for an unknown endpoint or source.
	AddRelation(ctx context.Context, r *Relation) (*Relation, error)
	// UpdateRelation replaces the relation with id r.ID; NOT_FOUND when there is none, and
	// otherwise the same checks as AddRelation.
	UpdateRelation(ctx context.Context, r *Relation) (*Relation, error)
	// RemoveRelation deletes a relation; NOT_FOUND when there is none.
	RemoveRelation(ctx context.Context, id string) error
	// DeleteEntity deletes an entity and every relation that starts or ends at it, and
	// reports how many relations went with it; NOT_FOUND when there is none. Sources whose
	// publisher it was keep their publisher id (it then resolves to null).
	DeleteEntity(ctx context.Context, id string) (int, error)
}

// Size limits of written text, so one write cannot bloat the graph.
const (
	MaxNameLength        = 200
	MaxDescriptionLength = 5000
	MaxAliases           = 50
	MaxNoteLength        = 2000
	MaxProvisions        = 50
	MaxSourcesPerFact    = 50
	MaxURLLength         = 2000
)

func checkText(what, s string, limit int, required bool) error {
	if required && strings.TrimSpace(s) == "" {
		return Errorf(CodeBadUserInput, "%s must not be empty", what)
	}
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return Errorf(CodeBadUserInput, "%s is not valid text", what)
	}
	if n := utf8.RuneCountInString(s); n > limit {
		return Errorf(CodeBadUserInput, "%s is %d characters long, more than the limit of %d", what, n, limit)
	}
	return nil
}

func checkRefs(what string, ids []string, required bool) error {
	if required && len(ids) == 0 {
		return Errorf(CodeBadUserInput, "%s must cite at least one source", what)
	}
	if len(ids) > MaxSourcesPerFact {
		return Errorf(CodeBadUserInput, "%s cites %d sources, more than the limit of %d", what, len(ids), MaxSourcesPerFact)
	}
	for _, id := range ids {
		if err := CheckID(id); err != nil {
			return err
		}
	}
	return nil
}

// CheckEntity validates an entity on its own (its references are checked against the graph by
// CheckEntityWrite). A value no store can hold (CheckEntityValue) is refused first.
func CheckEntity(e Entity) error {
	if err := CheckEntityValue(e); err != nil {
		return err
	}
	b := e.Common()
	if err := CheckEntityID(b.ID); err != nil {
		return err
	}
	if err := checkText("name", b.Name, MaxNameLength, true); err != nil {
		return err
	}
	if err := checkText("description", b.Description, MaxDescriptionLength, false); err != nil {
		return err
	}
	if len(b.Aliases) > MaxAliases {
		return Errorf(CodeBadUserInput, "%d aliases, more than the limit of %d", len(b.Aliases), MaxAliases)
	}
	for _, a := range b.Aliases {
		if err := checkText("alias", a, MaxNameLength, true); err != nil {
			return err
		}
	}
	if err := checkRefs("entity "+b.ID, b.SourceIDs, false); err != nil {
		return err
	}
	if err := checkEnums(e); err != nil {
		return err
	}
	switch v := e.(type) {
	case *Organization:
		if v.CountryID != "" {
			if err := CheckID(v.CountryID); err != nil {
				return err
			}
		}
	case *Brand:
		if v.CountryID != "" {
			if err := CheckID(v.CountryID); err != nil {
				return err
			}
		}
	case *Agreement:
		if len(v.Provisions) > MaxProvisions {
			return Errorf(CodeBadUserInput, "%d provisions, more than the limit of %d", len(v.Provisions), MaxProvisions)
		}
		for _, p := range v.Provisions {
			if err := checkText("provision summary", p.Summary, MaxNoteLength, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// CheckSource validates a source on its own (its publisher is checked against the graph by
// CheckSourceWrite); nil is BAD_USER_INPUT.
func CheckSource(s *Source) error {
	if s == nil {
		return Errorf(CodeBadUserInput, "no source given")
	}
	if err := CheckEntityID(s.ID); err != nil {
		return err
	}
	if err := checkText("title", s.Title, MaxNameLength*2, true); err != nil {
		return err
	}
	if s.PublishedOn.IsZero() {
		return Errorf(CodeBadUserInput, "publishedOn is required")
	}
	if s.PublisherID != "" {
		if err := CheckID(s.PublisherID); err != nil {
			return err
		}
	}
	for what, v := range map[string]string{"dateline": s.Dateline, "language": s.Language} {
		if err := checkText(what, v, MaxNameLength, false); err != nil {
			return err
		}
	}
	if err := checkText("url", s.URL, MaxURLLength, false); err != nil {
		return err
	}
	if s.URL != "" && !strings.HasPrefix(s.URL, "https://") && !strings.HasPrefix(s.URL, "http://") {
		return Errorf(CodeBadUserInput, "url must start with http:// or https://")
	}
	return nil
}

// CheckRelation validates a relation on its own: id, type, status, endpoints that differ,
// period, quantity, note and at least one cited source; nil is BAD_USER_INPUT. What it refers
// to is checked against the graph by CheckRelationAdd and CheckRelationUpdate, and cycles of
// hierarchical types by CheckNoCycle.
func CheckRelation(r *Relation) error {
	if r == nil {
		return Errorf(CodeBadUserInput, "no relation given")
	}
	if err := CheckID(r.ID); err != nil {
		return err
	}
	if !r.Type.IsValid() {
		return Errorf(CodeBadUserInput, "unknown relation type %q", r.Type)
	}
	if !r.Status.IsValid() {
		return Errorf(CodeBadUserInput, "unknown status %q", r.Status)
	}
	if err := CheckID(r.FromID); err != nil {
		return err
	}
	if err := CheckID(r.ToID); err != nil {
		return err
	}
	if err := CheckNotSelf(r); err != nil {
		return err
	}
	if r.Quantity != nil && *r.Quantity < 0 {
		return Errorf(CodeBadUserInput, "quantity %d is negative", *r.Quantity)
	}
	if err := checkText("note", r.Note, MaxNoteLength, false); err != nil {
		return err
	}
	if err := checkRefs("a relation", r.SourceIDs, true); err != nil {
		return err
	}
	return CheckPeriod(r.ValidFrom, r.ValidTo)
}

// RelationID is the canonical id of a new relation: a readable prefix (from, type, to) and a
// hash of its content, so adding the same fact twice gives the same id (and is a no-op) while
// two different facts between the same entities get different ids.
func RelationID(r *Relation) string {
	c := r.Clone()
	slices.Sort(c.SourceIDs)
	c.SourceIDs = slices.Compact(c.SourceIDs)
	b, _ := json.Marshal(struct {
		T      RelationType
		F, To  string
		S      RelationStatus
		VF, VT *Date
		Q      *int
		N      string
		Src    []string
	}{c.Type, c.FromID, c.ToID, c.Status, c.ValidFrom, c.ValidTo, c.Quantity, c.Note, c.SourceIDs})
	sum := sha256.Sum256(b)
	prefix := strings.Trim(Normalize(r.FromID+" "+string(r.Type)+" "+r.ToID), " ")
	prefix = strings.ReplaceAll(prefix, " ", "-")
	if len(prefix) > MaxIDLength-9 {
		prefix = strings.TrimRight(prefix[:MaxIDLength-9], "-")
	}
	return prefix + "-" + hex.EncodeToString(sum[:4])
}
