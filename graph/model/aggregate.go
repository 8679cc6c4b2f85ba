package model

import "slices"

// AggregateField is what a relation aggregate groups by.
type AggregateField string

// The fields relations can be counted by.
const (
	AggregateByType   AggregateField = "TYPE"
	AggregateByStatus AggregateField = "STATUS"
)

// AggregateRequest says what to compute over every relation a query matches (all pages):
// the count always, a count per value of each CountBy field, and with Dates the earliest and
// latest validFrom and validTo.
type AggregateRequest struct {
	CountBy []AggregateField
	Dates   bool
}

// Aggregate is the answer to an AggregateRequest.
type Aggregate struct {
	Count int
	// Groups holds, for each requested field, one entry per value that occurs, ordered by
	// value.
	Groups map[AggregateField][]Group
	// The date bounds, in Date.Before order; nil when no matching relation states the date.
	MinValidFrom, MaxValidFrom, MinValidTo, MaxValidTo *Date
}

// Group is one value of a field and how many relations have it.
type Group struct {
	Value string
	Count int
}

// check refuses an unknown field and returns the request with each field once, in order.
func (a *AggregateRequest) check() (*AggregateRequest, error) {
	if a == nil {
		return nil, nil
	}
	out := &AggregateRequest{Dates: a.Dates}
	for _, f := range a.CountBy {
		switch f {
		case AggregateByType, AggregateByStatus:
		default:
			return nil, Errorf(CodeBadUserInput, "relations cannot be counted by %q (use TYPE or STATUS)", f)
		}
		if !slices.Contains(out.CountBy, f) {
			out.CountBy = append(out.CountBy, f)
		}
	}
	slices.Sort(out.CountBy)
	return out, nil
}

// GroupValue is the value of field f for relation r.
func GroupValue(r *Relation, f AggregateField) string {
	if f == AggregateByType {
		return string(r.Type)
	}
	return string(r.Status)
}

// Aggregator computes an Aggregate from the matching relations one at a time; the embedded
// store feeds it, and the rules for ties and unknown dates are written once here.
type Aggregator struct {
	req    *AggregateRequest
	agg    Aggregate
	counts map[AggregateField]map[string]int
}

// NewAggregator starts an aggregate for a checked request (nil when none was asked).
func NewAggregator(req *AggregateRequest) *Aggregator {
	if req == nil {
		return nil
	}
	a := &Aggregator{req: req, counts: map[AggregateField]map[string]int{}}
	for _, f := range req.CountBy {
		a.counts[f] = map[string]int{}
	}
	return a
}

// Add counts one matching relation.
func (a *Aggregator) Add(r *Relation) {
	if a == nil {
		return
	}
	a.agg.Count++
	for f, m := range a.counts {
		m[GroupValue(r, f)]++
	}
	if a.req.Dates {
		bound(&a.agg.MinValidFrom, &a.agg.MaxValidFrom, r.ValidFrom)
		bound(&a.agg.MinValidTo, &a.agg.MaxValidTo, r.ValidTo)
	}
}

func bound(lo, hi **Date, d *Date) {
	if d == nil {
		return
	}
	if *lo == nil || d.Before(**lo) {
		c := *d
		*lo = &c
	}
	if *hi == nil || (*hi).Before(*d) {
		c := *d
		*hi = &c
	}
}

// Result is the aggregate of what was added; nil for a nil Aggregator.
func (a *Aggregator) Result() *Aggregate {
	if a == nil {
		return nil
	}
	out := a.agg
	out.Groups = map[AggregateField][]Group{}
	for f, m := range a.counts {
		gs := make([]Group, 0, len(m))
		for v, n := range m {
			gs = append(gs, Group{Value: v, Count: n})
		}
		slices.SortFunc(gs, func(x, y Group) int {
			if x.Value < y.Value {
				return -1
			}
			if x.Value > y.Value {
				return 1
			}
			return 0
		})
		out.Groups[f] = gs
	}
	return &out
}
