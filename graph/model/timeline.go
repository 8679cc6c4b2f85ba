package model

import (
	"io"
	"slices"
	"strconv"
	"strings"
)

// TimelineKind is what happened at a point of an entity's timeline.
type TimelineKind string

// The timeline entry kinds, in the order they sort on the same date.
const (
	TimelineFounded   TimelineKind = "FOUNDED"
	TimelineOpened    TimelineKind = "OPENED"
	TimelineSigned    TimelineKind = "SIGNED"
	TimelineAnnounced TimelineKind = "ANNOUNCED"
	TimelineStarted   TimelineKind = "STARTED"
	TimelineEnded     TimelineKind = "ENDED"
	TimelinePlanned   TimelineKind = "PLANNED"
)

// AllTimelineKinds lists the kinds in sort order, in a fresh slice the caller may change.
func AllTimelineKinds() []TimelineKind { return slices.Clone(timelineKinds) }

// timelineKinds is the table behind AllTimelineKinds: this package reads it in place, callers
// get copies.
var timelineKinds = []TimelineKind{TimelineFounded, TimelineOpened, TimelineSigned, TimelineAnnounced, TimelineStarted, TimelineEnded, TimelinePlanned}

// MarshalGQL implements graphql.Marshaler.
func (k TimelineKind) MarshalGQL(w io.Writer) { marshalEnum(w, string(k)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *TimelineKind) UnmarshalGQL(v any) (err error) {
	*k, err = unmarshalEnum(v, timelineKinds, "TimelineKind")
	return err
}

// TimelineEntry is one dated event in an entity's history.
type TimelineEntry struct {
	Date    Date
	Kind    TimelineKind
	Summary string
	// Entity is the other entity the event is about (the counterpart of the relation), or the
	// entity itself for its own events such as its founding.
	Entity Entity
	// Relation is the relation the event comes from, if any.
	Relation *Relation
}

// relationPhrase says a relation type as a verb phrase between its endpoints.
var relationPhrase = map[RelationType]string{
	RelSubsidiaryOf:   "is a subsidiary of",
	RelJointVentureOf: "is a joint venture of",
	RelOwnsBrand:      "owns the brand",
	RelHasModel:       "has the model",
	RelAssembles:      "assembles",
	RelOperates:       "operates",
	RelLocatedIn:      "is located in",
	RelPartyTo:        "is a party to",
	RelPartnersWith:   "partners with",
}

// DescribeRelation says a relation in words, using names where known and ids otherwise.
func DescribeRelation(r *Relation, names map[string]Entity) string {
	var b strings.Builder
	writeRelationWords(&b, r, names)
	return b.String()
}

// writeRelationWords writes DescribeRelation(r, names) to b.
func writeRelationWords(b *strings.Builder, r *Relation, names map[string]Entity) {
	name := func(id string) string {
		if e, ok := names[id]; ok {
			return e.Common().Name
		}
		return id
	}
	from, to := name(r.FromID), name(r.ToID)
	b.Grow(len(from) + len(relationPhrase[r.Type]) + len(to) + 2)
	b.WriteString(from)
	b.WriteByte(' ')
	b.WriteString(relationPhrase[r.Type])
	b.WriteByte(' ')
	b.WriteString(to)
	if r.Quantity != nil {
		b.WriteString(" (quantity ")
		b.WriteString(strconv.Itoa(*r.Quantity))
		b.WriteByte(')')
	}
}

// BuildTimeline turns an entity and its relations into dated events in date order, keeping
// those whose date overlaps [from, to] (either bound may be nil). entities must hold the
// relations' endpoints, for names; relations without dates give no events.
func BuildTimeline(e Entity, rels []*Relation, entities map[string]Entity, from, to *Date) []TimelineEntry {
	out := make([]TimelineEntry, 0, len(rels)+2) // a relation gives one entry or two
	self := func(d *Date, k TimelineKind, summary string) {
		if d != nil {
			out = append(out, TimelineEntry{Date: *d, Kind: k, Summary: summary, Entity: e})
		}
	}
	name := e.Common().Name
	switch v := e.(type) {
	case *Organization:
		self(v.Founded, TimelineFounded, name+" is founded")
	case *Brand:
		self(v.Founded, TimelineFounded, name+" is founded")
	case *Plant:
		self(v.Opened, TimelineOpened, name+" opens")
	case *Agreement:
		self(v.SignedOn, TimelineSigned, name+" is signed")
		self(v.AnnouncedOn, TimelineAnnounced, name+" is announced")
		for _, p := range v.Provisions {
			self(p.Due, TimelinePlanned, "Planned under "+name+": "+p.Summary)
		}
	}
	for _, r := range rels {
		other := entities[r.Other(e.GetID())]
		add := func(d *Date, k TimelineKind, prefix string) {
			if d != nil {
				// The summary in one string, grown once: prefix, the relation in words,
				// and its note.
				var b strings.Builder
				b.Grow(len(prefix) + 64 + len(r.Note))
				b.WriteString(prefix)
				writeRelationWords(&b, r, entities)
				if r.Note != "" {
					b.WriteString(" — ")
					b.WriteString(r.Note)
				}
				out = append(out, TimelineEntry{Date: *d, Kind: k, Summary: b.String(), Entity: other, Relation: r})
			}
		}
		if r.Status == StatusPlanned {
			target := r.ValidFrom
			if target == nil {
				target = r.ValidTo
			}
			add(target, TimelinePlanned, "Planned: ")
			continue
		}
		add(r.ValidFrom, TimelineStarted, "Started: ")
		if r.Status == StatusEnded {
			add(r.ValidTo, TimelineEnded, "Ended: ")
		}
	}
	window := Span{}
	if from != nil {
		window.Start = from.Start()
	}
	if to != nil {
		window.End = to.End()
	}
	if from != nil || to != nil { // an open window keeps every entry
		out = slices.DeleteFunc(out, func(t TimelineEntry) bool { return !SpanOf(t.Date).Overlaps(window) })
	}
	slices.SortStableFunc(out, func(a, b TimelineEntry) int {
		switch {
		case a.Date.Before(b.Date):
			return -1
		case b.Date.Before(a.Date):
			return 1
		}
		if c := slices.Index(timelineKinds, a.Kind) - slices.Index(timelineKinds, b.Kind); c != 0 {
			return c
		}
		ra, rb := "", ""
		if a.Relation != nil {
			ra = a.Relation.ID
		}
		if b.Relation != nil {
			rb = b.Relation.ID
		}
		if c := strings.Compare(ra, rb); c != 0 {
			return c
		}
		return strings.Compare(a.Summary, b.Summary)
	})
	if len(out) == 0 {
		return nil // no entries, as before the list was made with room
	}
	return out
}
