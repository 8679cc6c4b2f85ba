package model

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// History is the transaction-time side of a store: every successful write records a
// Revision in the same transaction as its change, so that the graph of any past moment can be
// rebuilt, and a write whose revision cannot be stored does not happen.
//
// What a revision keeps of each item it touches is the item's content *before* the write
// (Change.Before); the content after it is the Before of the next revision that touches the
// item, or the item as it is now when none does (see ItemsAt). Keeping one side only halves
// what history costs, and a first import, whose items had no content before, costs little more
// than its ids.
//
// Revision numbers start at 1 and grow by one with each revision; a revision is visible to
// readers once its write is, and never before a revision with a smaller number (so that a
// follower that has seen n may ask for everything after n and miss nothing).
type History interface {
	// Revisions lists revision headers matching q (Normalize says the defaults and refusals).
	Revisions(ctx context.Context, q RevisionQuery) (*RevisionPage, error)
	// Changes returns what revision number did to each of ids (all of them when ids is empty),
	// in id order; NOT_FOUND when no such revision is kept.
	Changes(ctx context.Context, number int64, ids []string) ([]Change, error)
	// PriorStates gives, for each id changed by a revision after number, its content before
	// the first such revision: what it was at number (Item{} when it did not exist). Ids not
	// changed since are absent from the map. Empty ids means every id changed since number.
	PriorStates(ctx context.Context, number int64, ids []string) (map[string]Item, error)
	// RevisionAt is the number of the newest revision recorded at or before t; 0 when every
	// kept revision is later (or none is kept).
	RevisionAt(ctx context.Context, t time.Time) (int64, error)
	// HistoryBounds reports the newest revision and the oldest point history still reaches
	// (after Prune).
	HistoryBounds(ctx context.Context) (HistoryBounds, error)
	// Prune forgets revisions recorded before t, keeping the newest one whatever its age, and
	// reports how many went. The graph itself is untouched; the past before the oldest kept
	// revision can no longer be read.
	Prune(ctx context.Context, before time.Time) (int, error)
}

// HistoryBounds is what History keeps.
type HistoryBounds struct {
	// Last is the newest revision's number and time; 0 and zero before the first write.
	Last   int64
	LastAt time.Time
	// Floor is the number of the newest pruned revision (0 when nothing was pruned): the graph
	// can be read as it stood at any revision >= Floor, and FloorAt is when that was.
	Floor   int64
	FloorAt time.Time
	// Imports counts the imports begun on a store whose imports become visible batch by batch
	// (Neo4j: one increment as an import takes its marker, before its first batch), and
	// Importing says one is under way or being rolled back: until it ends, readers may see part
	// of it, and a rolled-back import takes that part away again without a revision. A store
	// whose imports become visible whole, at once (the embedded store), reports 0 and false.
	Imports   int64
	Importing bool
}

// Operation names what a revision did.
type Operation string

// The operations, one per Writer method plus imports.
const (
	OpUpsertEntity   Operation = "UPSERT_ENTITY"
	OpUpsertSource   Operation = "UPSERT_SOURCE"
	OpAddRelation    Operation = "ADD_RELATION"
	OpUpdateRelation Operation = "UPDATE_RELATION"
	OpRemoveRelation Operation = "REMOVE_RELATION"
	OpDeleteEntity   Operation = "DELETE_ENTITY"
	OpImport         Operation = "IMPORT"
)

// Role is what an actor may do.
type Role string

// The roles. A reader may read (where reads are protected); a curator may also write; an
// admin may also prune history and do what later needs more than a curator.
const (
	RoleReader  Role = "reader"
	RoleCurator Role = "curator"
	RoleAdmin   Role = "admin"
)

// CanWrite says whether the role may run mutations.
func (r Role) CanWrite() bool { return r == RoleCurator || r == RoleAdmin }

// Actor is who made a write: the name of a write token or the subject of a JWT. Tokens
// themselves are never recorded.
type Actor struct {
	Name string `json:"name"`
	Role Role   `json:"role"`
	// Via says how the actor proved who it is: "token", "jwt", "cli" or "system".
	Via string `json:"via"`
}

// SystemActor is the actor of writes made by the server itself (the seed) when the context
// names no other.
func SystemActor() Actor { return Actor{Name: "system", Role: RoleAdmin, Via: "system"} }

// UnnamedTokenActor is the name recorded for a write token configured without a name.
const UnnamedTokenActor = "unnamed"

type actorKey struct{}

// WithActor records in ctx who is making the request's writes.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom is the actor WithActor recorded, or SystemActor when there is none.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok && a.Name != "" {
		return a
	}
	return SystemActor()
}

// Revision is one recorded write (its header; Changes has the content).
type Revision struct {
	Number    int64
	At        time.Time
	Operation Operation
	Actor     Actor
	// Touched lists the items the write changed, in id order, with what a change feed filters
	// on. An import lists every item it changed, which may be many.
	Touched []Touched
}

// IDs are the ids of the items the revision changed, in id order.
func (r *Revision) IDs() []string {
	out := make([]string, len(r.Touched))
	for i, t := range r.Touched {
		out[i] = t.ID
	}
	return out
}

// Touched is one item a revision changed.
type Touched struct {
	ID string `json:"id"`
	// Sort is "entity", "source" or "relation".
	Sort string `json:"sort"`
	// Kind is an entity's kind (after the write, or before it for a deletion).
	Kind EntityKind `json:"kind,omitempty"`
	// Type and Ends are a relation's type and endpoint ids, before and after the write
	// (an update may move them), so that a feed about an entity sees its relations change.
	Type RelationType `json:"type,omitempty"`
	Ends []string     `json:"ends,omitempty"`
}

// The sorts of item.
const (
	SortEntity   = "entity"
	SortSource   = "source"
	SortRelation = "relation"
)

// Change is what one revision did to one item: its content before (Item{} when the write
// created it).
type Change struct {
	ID     string
	Before Item
}

// Item is the stored content of one entity, source or relation, timestamps included; the zero
// Item stands for "did not exist".
type Item struct {
	Entity   Entity
	Source   *Source
	Relation *Relation
}

// Exists says whether the item stands for something.
func (it Item) Exists() bool { return it.Entity != nil || it.Source != nil || it.Relation != nil }

// ID is the id of what the item holds; "" for the zero Item.
func (it Item) ID() string {
	switch {
	case it.Entity != nil:
		return it.Entity.GetID()
	case it.Source != nil:
		return it.Source.ID
	case it.Relation != nil:
		return it.Relation.ID
	}
	return ""
}

// Clone copies the item deeply.
func (it Item) Clone() Item {
	switch {
	case it.Entity != nil:
		return Item{Entity: it.Entity.Clone()}
	case it.Source != nil:
		return Item{Source: it.Source.Clone()}
	case it.Relation != nil:
		return Item{Relation: it.Relation.Clone()}
	}
	return Item{}
}

// TouchedOf is the Touched entry of a change from before to after (either may be the zero
// Item, not both).
func TouchedOf(before, after Item) Touched {
	t := Touched{ID: after.ID()}
	if t.ID == "" {
		t.ID = before.ID()
	}
	for _, it := range []Item{after, before} {
		switch {
		case it.Entity != nil:
			t.Sort, t.Kind = SortEntity, it.Entity.Kind()
			return t
		case it.Source != nil:
			t.Sort = SortSource
			return t
		case it.Relation != nil:
			if t.Sort == "" {
				t.Sort, t.Type = SortRelation, it.Relation.Type
			}
			for _, id := range []string{it.Relation.FromID, it.Relation.ToID} {
				if !slices.Contains(t.Ends, id) {
					t.Ends = append(t.Ends, id)
				}
			}
		}
	}
	slices.Sort(t.Ends)
	return t
}

// itemJSON is how an Item is written: in the API's Revision.before and after, and in the
// stores' records of history. Value holds the item in the dataset format (as import reads
// it), and the timestamps, which that format leaves out, are beside it.
type itemJSON struct {
	Sort      string          `json:"sort"`
	Kind      EntityKind      `json:"kind,omitempty"`
	CreatedAt time.Time       `json:"createdAt"`
	UpdatedAt time.Time       `json:"updatedAt"`
	Value     json.RawMessage `json:"value"`
}

// MarshalJSON writes the item as {"sort", "kind", "createdAt", "updatedAt", "value"}; the
// zero Item is null.
func (it Item) MarshalJSON() ([]byte, error) {
	var j itemJSON
	var v any
	switch {
	case it.Entity != nil:
		b := it.Entity.Common()
		j = itemJSON{Sort: SortEntity, Kind: it.Entity.Kind(), CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt}
		v = it.Entity
	case it.Source != nil:
		j = itemJSON{Sort: SortSource, CreatedAt: it.Source.CreatedAt, UpdatedAt: it.Source.UpdatedAt}
		v = it.Source
	case it.Relation != nil:
		j = itemJSON{Sort: SortRelation, CreatedAt: it.Relation.CreatedAt, UpdatedAt: it.Relation.UpdatedAt}
		v = it.Relation
	default:
		return []byte("null"), nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	j.Value = raw
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (it *Item) UnmarshalJSON(data []byte) error {
	*it = Item{}
	if string(data) == "null" {
		return nil
	}
	var j itemJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	switch j.Sort {
	case SortEntity:
		e := NewEntity(j.Kind)
		if e == nil {
			return fmt.Errorf("history item: unknown entity kind %q", j.Kind)
		}
		if err := json.Unmarshal(j.Value, e); err != nil {
			return err
		}
		b := e.Common()
		b.CreatedAt, b.UpdatedAt = j.CreatedAt, j.UpdatedAt
		it.Entity = e
	case SortSource:
		s := &Source{}
		if err := json.Unmarshal(j.Value, s); err != nil {
			return err
		}
		s.CreatedAt, s.UpdatedAt = j.CreatedAt, j.UpdatedAt
		it.Source = s
	case SortRelation:
		r := &Relation{}
		if err := json.Unmarshal(j.Value, r); err != nil {
			return err
		}
		r.CreatedAt, r.UpdatedAt = j.CreatedAt, j.UpdatedAt
		it.Relation = r
	default:
		return fmt.Errorf("history item: unknown sort %q", j.Sort)
	}
	return nil
}

// NewEntity is an empty entity of the kind, nil for an unknown kind.
func NewEntity(k EntityKind) Entity {
	switch k {
	case KindOrganization:
		return &Organization{}
	case KindBrand:
		return &Brand{}
	case KindVehicleModel:
		return &VehicleModel{}
	case KindPlant:
		return &Plant{}
	case KindPlace:
		return &Place{}
	case KindAgreement:
		return &Agreement{}
	}
	return nil
}

// RevisionQuery asks for revision headers. ID, when set, keeps the revisions that touched
// that item; Since keeps numbers above it and Until numbers at or below it (0: no bound).
// Revisions come by number, newest first when Desc. First <= 0 means DefaultPageSize, at most
// MaxPageSize; After is a cursor RevisionCursor made for the same query.
type RevisionQuery struct {
	ID    string
	Since int64
	Until int64
	Desc  bool
	First int
	After string
}

// RevisionPage is one page of revisions.
type RevisionPage struct {
	Items       []*Revision
	HasNextPage bool
}

// Normalize applies the defaults and refuses what no store answers.
func (q RevisionQuery) Normalize() (RevisionQuery, int64, error) {
	if q.First <= 0 {
		q.First = DefaultPageSize
	}
	if q.First > MaxPageSize {
		return q, 0, Errorf(CodeBadUserInput, "first must be at most %d, got %d", MaxPageSize, q.First)
	}
	if q.Since < 0 {
		return q, 0, Errorf(CodeBadUserInput, "since must not be negative, got %d", q.Since)
	}
	if q.ID != "" {
		if err := CheckID(q.ID); err != nil {
			return q, 0, err
		}
	}
	var after int64
	if q.After != "" {
		n, err := DecodeRevisionCursor(q.After)
		if err != nil {
			return q, 0, err
		}
		after = n
	}
	return q, after, nil
}

// Keeps says whether a revision number lies within the query's Since and Until and after its
// cursor position after (0: none), in its direction.
func (q RevisionQuery) Keeps(n, after int64) bool {
	if n <= q.Since || (q.Until > 0 && n > q.Until) {
		return false
	}
	if after > 0 {
		if q.Desc {
			return n < after
		}
		return n > after
	}
	return true
}

// RevisionCursor is the cursor of the revision numbered n.
func RevisionCursor(n int64) string { return fmt.Sprintf("rev:%d", n) }

// DecodeRevisionCursor reads a RevisionCursor.
func DecodeRevisionCursor(c string) (int64, error) {
	var n int64
	if _, err := fmt.Sscanf(c, "rev:%d", &n); err != nil || n <= 0 || RevisionCursor(n) != c {
		return 0, Errorf(CodeBadUserInput, "after is not a cursor of this listing of revisions")
	}
	return n, nil
}

// NewRevision is the header of a write's revision: its number, time, operation, the context's
// actor and the items it touches (sorted by id), from each item's content before and after.
func NewRevision(ctx context.Context, number int64, at time.Time, op Operation, changes []Change, after map[string]Item) *Revision {
	now := make([]Item, len(changes))
	for i, c := range changes {
		now[i] = after[c.ID]
	}
	r := NewRevisionOf(ctx, number, at, op, changes, now)
	slices.SortFunc(r.Touched, func(a, b Touched) int { return strings.Compare(a.ID, b.ID) })
	return r
}

// NewRevisionOf is NewRevision for changes already sorted by id, with after[i] the content of
// changes[i] after the write: no map of every item's content, which for an import of
// millions of items costs more than the rest of the header.
func NewRevisionOf(ctx context.Context, number int64, at time.Time, op Operation, changes []Change, after []Item) *Revision {
	r := &Revision{Number: number, At: at, Operation: op, Actor: ActorFrom(ctx), Touched: make([]Touched, len(changes))}
	for i, c := range changes {
		r.Touched[i] = TouchedOf(c.Before, after[i])
	}
	return r
}
