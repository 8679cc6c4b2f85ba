package graph

import (
	"context"
	"reflect"

	"github.com/99designs/gqlgen/graphql"

	"github.com/autograph-kg/autograph/graph/gqlmodel"
	"github.com/autograph-kg/autograph/graph/model"
)

// The listings' where inputs. Their flat fields (ids, nameContains and the kind's enums) go
// to model.EntityFilter as they always have, so a listing that uses none of the newer fields
// is the same query, with the same cursors; the newer fields (AND, OR, NOT, name, founded,
// relations) go to its Where, where nested inputs carry their flat fields too. The shared
// inputs (TextFilter, DateFilter, RelatedWhere, RelationWhere, ...) are bound to the model's
// types (gqlgen autobind) and pass through unchanged; model's Normalize checks them all.

// composite is what every typed where input has beyond its flat fields.
type composite[W any] struct {
	and, or   []*W
	not       *W
	name      *model.TextFilter
	founded   *model.DateFilter
	relations *model.RelatedWhere
}

func (c composite[W]) empty() bool {
	return c.and == nil && c.or == nil && c.not == nil && c.name == nil && c.founded == nil && c.relations == nil
}

// splitter takes a typed where input apart: its flat fields as a model.EntityWhere, and the rest.
type splitter[W any] func(*W) (model.EntityWhere, composite[W])

// nestedWhere converts a typed where input, flat fields included; nil stays nil.
func nestedWhere[W any](w *W, split splitter[W]) *model.EntityWhere {
	if w == nil {
		return nil
	}
	flat, c := split(w)
	out := rest(c, split)
	out.IDs, out.NameContains, out.Attrs = flat.IDs, flat.NameContains, flat.Attrs
	return out
}

// rest converts the newer fields alone.
func rest[W any](c composite[W], split splitter[W]) *model.EntityWhere {
	out := &model.EntityWhere{Name: c.name, Founded: c.founded, Relations: c.relations, Not: nestedWhere(c.not, split)}
	for _, a := range c.and {
		out.And = append(out.And, nestedWhere(a, split))
	}
	if c.or != nil {
		out.Or = make([]*model.EntityWhere, 0, len(c.or))
		for _, o := range c.or {
			out.Or = append(out.Or, nestedWhere(o, split))
		}
	}
	return out
}

// entityFilter is the filter of a listing whose where input is w.
func entityFilter[W any](w *W, split splitter[W]) model.EntityFilter {
	if w == nil {
		return model.EntityFilter{}
	}
	flat, c := split(w)
	f := model.EntityFilter{IDs: flat.IDs, NameContains: flat.NameContains, Attrs: flat.Attrs}
	if !c.empty() {
		f.Where = rest(c, split)
	}
	return f
}

func attrs(lists ...[]model.AttrFilter) []model.AttrFilter {
	var out []model.AttrFilter
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func splitOrganization(w *gqlmodel.OrganizationWhere) (model.EntityWhere, composite[gqlmodel.OrganizationWhere]) {
	return model.EntityWhere{IDs: w.Ids, NameContains: str(w.NameContains), Attrs: attrs(
			attr(model.AttrOrganizationType, w.Type), attr(model.AttrOwnership, w.Ownership), attr(model.AttrCountry, w.Country))},
		composite[gqlmodel.OrganizationWhere]{w.And, w.Or, w.Not, w.Name, w.Founded, w.Relations}
}

func splitBrand(w *gqlmodel.BrandWhere) (model.EntityWhere, composite[gqlmodel.BrandWhere]) {
	return model.EntityWhere{IDs: w.Ids, NameContains: str(w.NameContains), Attrs: attrs(
			attr(model.AttrSegment, w.Segment), attr(model.AttrCountry, w.Country))},
		composite[gqlmodel.BrandWhere]{w.And, w.Or, w.Not, w.Name, w.Founded, w.Relations}
}

func splitVehicleModel(w *gqlmodel.VehicleModelWhere) (model.EntityWhere, composite[gqlmodel.VehicleModelWhere]) {
	return model.EntityWhere{IDs: w.Ids, NameContains: str(w.NameContains), Attrs: attr(model.AttrPowertrain, w.Powertrain)},
		composite[gqlmodel.VehicleModelWhere]{w.And, w.Or, w.Not, w.Name, nil, w.Relations}
}

func splitPlant(w *gqlmodel.PlantWhere) (model.EntityWhere, composite[gqlmodel.PlantWhere]) {
	return model.EntityWhere{IDs: w.Ids, NameContains: str(w.NameContains)},
		composite[gqlmodel.PlantWhere]{w.And, w.Or, w.Not, w.Name, nil, w.Relations}
}

func splitPlace(w *gqlmodel.PlaceWhere) (model.EntityWhere, composite[gqlmodel.PlaceWhere]) {
	return model.EntityWhere{IDs: w.Ids, NameContains: str(w.NameContains), Attrs: attr(model.AttrPlaceType, w.Type)},
		composite[gqlmodel.PlaceWhere]{w.And, w.Or, w.Not, w.Name, nil, w.Relations}
}

func splitAgreement(w *gqlmodel.AgreementWhere) (model.EntityWhere, composite[gqlmodel.AgreementWhere]) {
	return model.EntityWhere{IDs: w.Ids, NameContains: str(w.NameContains)},
		composite[gqlmodel.AgreementWhere]{w.And, w.Or, w.Not, w.Name, nil, w.Relations}
}

// relationFilter is the filter of the relations listing: the flat fields of where as they
// always were, the rest in Where (nil when none is given).
func relationFilter(where *model.RelationWhere) model.RelationFilter {
	if where == nil {
		return model.RelationFilter{}
	}
	f := model.RelationFilter{IDs: where.IDs, Types: where.Types, Status: where.Status, AsOf: where.AsOf,
		FromIDs: where.From, ToIDs: where.To, SourceIDs: where.Sources}
	w := *where
	w.IDs, w.Types, w.Status, w.AsOf, w.From, w.To, w.Sources = nil, nil, nil, nil, nil, nil, nil
	if !reflect.ValueOf(w).IsZero() {
		f.Where = &w
	}
	return f
}

// connectionWants reads what the client selected of the relation connection being resolved:
// whether it needs rows at all (edges or pageInfo) and what aggregate, if any. A connection
// asked only for totalCount or its aggregate is counted, not read.
func connectionWants(ctx context.Context) (rows bool, agg *model.AggregateRequest) {
	fc := graphql.GetFieldContext(ctx)
	oc := graphql.GetOperationContext(ctx)
	if fc == nil || oc == nil {
		return true, nil
	}
	for _, f := range graphql.CollectFields(oc, fc.Field.Selections, []string{"RelationConnection"}) {
		switch f.Name {
		case "edges", "pageInfo":
			rows = true
		case "aggregate":
			if agg == nil {
				agg = &model.AggregateRequest{}
			}
			for _, sub := range graphql.CollectFields(oc, f.Selections, []string{"RelationAggregate"}) {
				switch sub.Name {
				case "countBy":
					if v, ok := sub.ArgumentMap(oc.Variables)["field"]; ok {
						if s, ok := v.(string); ok {
							agg.CountBy = append(agg.CountBy, model.AggregateField(s))
						} else if af, ok := v.(model.AggregateField); ok {
							agg.CountBy = append(agg.CountBy, af)
						}
					}
				case "validFrom", "validTo":
					agg.Dates = true
				}
			}
		}
	}
	return rows, agg
}

// withAggregate fills a connection's aggregate from the page, when one was asked for.
func withAggregate(conn *gqlmodel.RelationConnection, page *model.RelationPage) *gqlmodel.RelationConnection {
	conn.Aggregate = page.Aggregate
	if conn.Aggregate == nil {
		conn.Aggregate = &model.RelationAggregate{Count: page.TotalCount}
	}
	return conn
}

// entityConnectionWants is connectionWants for an entity connection: whether it needs rows
// (edges or pageInfo) and what entity aggregate, if any.
func entityConnectionWants(ctx context.Context) (rows bool, agg *model.EntityAggregateRequest) {
	fc := graphql.GetFieldContext(ctx)
	oc := graphql.GetOperationContext(ctx)
	if fc == nil || oc == nil || fc.Field.Definition == nil {
		return true, nil
	}
	for _, f := range graphql.CollectFields(oc, fc.Field.Selections, []string{fc.Field.Definition.Type.Name()}) {
		switch f.Name {
		case "edges", "pageInfo":
			rows = true
		case "aggregate":
			if agg == nil {
				agg = &model.EntityAggregateRequest{}
			}
			for _, sub := range graphql.CollectFields(oc, f.Selections, []string{"EntityAggregate"}) {
				switch sub.Name {
				case "countBy":
					if v, ok := sub.ArgumentMap(oc.Variables)["field"]; ok {
						if s, ok := v.(string); ok {
							agg.CountBy = append(agg.CountBy, model.EntityAggregateField(s))
						} else if af, ok := v.(model.EntityAggregateField); ok {
							agg.CountBy = append(agg.CountBy, af)
						}
					}
				case "founded":
					agg.Founded = true
				}
			}
		}
	}
	return rows, agg
}
