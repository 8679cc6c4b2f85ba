package dataset

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/autograph-kg/autograph/graph/model"
)

// Selection says what of the graph an export holds.
type Selection struct {
	// IDs, when given, limits the export to the neighbourhood of these entities: what lies
	// within Depth hops of one of them (Store.Neighborhood), with the relations among it.
	IDs   []string
	Depth int
	// AsOf, when set, keeps only the relations that hold at that date (and, for a
	// neighbourhood, follows only those).
	AsOf *model.Date
}

// exportPage is the page size of the listings an export reads. Stores do not enforce the
// API's MaxPageSize, and bigger pages are fewer round trips.
const exportPage = 1000

// Collect reads what sel selects through the read interface of a store, so that it works
// on every store. The dataset is self-contained: the sources that its items cite, their
// publishers, and the countries its entities name come with it (and what those refer to),
// so it imports into an empty store. Items are in id order, so two exports of the same graph
// are the same. Truncated says a neighbourhood was cut short by the store's limits
// (model.MaxNeighborhoodLimit nodes, model.MaxSubgraphRelations relations per entity).
func Collect(ctx context.Context, r model.Reader, sel Selection) (d *model.Dataset, truncated bool, err error) {
	d = &model.Dataset{}
	if len(sel.IDs) == 0 {
		err = collectAll(ctx, r, sel, d)
	} else {
		truncated, err = collectAround(ctx, r, sel, d)
	}
	if err != nil {
		return nil, false, err
	}
	sortDataset(d)
	return d, truncated, nil
}

func collectAll(ctx context.Context, r model.Reader, sel Selection, d *model.Dataset) error {
	eq := model.EntityQuery{Order: model.Order{Field: model.SortByID}, First: exportPage}
	for {
		p, err := r.Entities(ctx, eq)
		if err != nil {
			return fmt.Errorf("listing entities: %w", err)
		}
		for _, e := range p.Items {
			d.Add(e)
		}
		if !p.HasNextPage || len(p.Items) == 0 {
			break
		}
		eq.After = eq.Cursor(p.Items[len(p.Items)-1])
	}
	sq := model.SourceQuery{Order: model.Order{Field: model.SortByID}, First: exportPage}
	for {
		p, err := r.Sources(ctx, sq)
		if err != nil {
			return fmt.Errorf("listing sources: %w", err)
		}
		d.Sources = append(d.Sources, p.Items...)
		if !p.HasNextPage || len(p.Items) == 0 {
			break
		}
		sq.After = sq.Cursor(p.Items[len(p.Items)-1])
	}
	rq := model.RelationQuery{Filter: model.RelationFilter{AsOf: sel.AsOf}, First: exportPage}
	for {
		p, err := r.Relations(ctx, rq)
		if err != nil {
			return fmt.Errorf("listing relations: %w", err)
		}
		d.Relations = append(d.Relations, p.Items...)
		if !p.HasNextPage || len(p.Items) == 0 {
			break
		}
		rq.After = rq.Cursor(p.Items[len(p.Items)-1])
	}
	return nil
}

func collectAround(ctx context.Context, r model.Reader, sel Selection, d *model.Dataset) (bool, error) {
	if sel.Depth < 0 || sel.Depth > model.MaxNeighborhoodDepth {
		return false, model.Errorf(model.CodeBadUserInput, "depth %d is out of range: 0 to %d", sel.Depth, model.MaxNeighborhoodDepth)
	}
	truncated := false
	have := map[string]bool{}
	for _, id := range sel.IDs {
		g, err := r.Neighborhood(ctx, model.NeighborhoodQuery{ID: id, Depth: sel.Depth, AsOf: sel.AsOf, Limit: model.MaxNeighborhoodLimit})
		if err != nil {
			return false, fmt.Errorf("the neighbourhood of %q: %w", id, err)
		}
		truncated = truncated || g.Truncated
		for _, e := range g.Nodes {
			if !have[e.GetID()] {
				have[e.GetID()] = true
				d.Add(e)
			}
		}
		for _, x := range g.Relations {
			if !have[x.ID] {
				have[x.ID] = true
				d.Relations = append(d.Relations, x)
			}
		}
	}
	// What the items refer to comes along, so that the export imports on its own.
	wantE, wantS := map[string]bool{}, map[string]bool{}
	needE := func(id string) {
		if id != "" && !have[id] {
			wantE[id] = true
		}
	}
	needS := func(id string) {
		if id != "" && !have[id] {
			wantS[id] = true
		}
	}
	entityRefs := func(e model.Entity) {
		for _, s := range e.Common().SourceIDs {
			needS(s)
		}
		switch v := e.(type) {
		case *model.Organization:
			needE(v.CountryID)
		case *model.Brand:
			needE(v.CountryID)
		}
	}
	for _, e := range d.Entities() {
		entityRefs(e)
	}
	for _, x := range d.Relations {
		for _, s := range x.SourceIDs {
			needS(s)
		}
	}
	for len(wantE)+len(wantS) > 0 {
		ids := sortedKeys(wantE)
		clear(wantE)
		for chunk := range slices.Chunk(ids, lookupBatch) {
			found, err := r.EntitiesByID(ctx, chunk)
			if err != nil {
				return false, err
			}
			for _, id := range chunk {
				have[id] = true
				if e, ok := found[id]; ok {
					d.Add(e)
					entityRefs(e)
				}
			}
		}
		ids = sortedKeys(wantS)
		clear(wantS)
		for chunk := range slices.Chunk(ids, lookupBatch) {
			found, err := r.SourcesByID(ctx, chunk)
			if err != nil {
				return false, err
			}
			for _, id := range chunk {
				have[id] = true
				if s, ok := found[id]; ok {
					d.Sources = append(d.Sources, s)
					needE(s.PublisherID)
				}
			}
		}
	}
	return truncated, nil
}

// sortDataset puts every list in id order and spells empty source lists the same way
// whichever store they came from, so that exports compare byte for byte.
func sortDataset(d *model.Dataset) {
	byID := func(a, b model.Entity) int { return cmp.Compare(a.GetID(), b.GetID()) }
	sortE := func(xs any) {
		switch v := xs.(type) {
		case []*model.Organization:
			slices.SortFunc(v, func(a, b *model.Organization) int { return byID(a, b) })
		case []*model.Brand:
			slices.SortFunc(v, func(a, b *model.Brand) int { return byID(a, b) })
		case []*model.VehicleModel:
			slices.SortFunc(v, func(a, b *model.VehicleModel) int { return byID(a, b) })
		case []*model.Plant:
			slices.SortFunc(v, func(a, b *model.Plant) int { return byID(a, b) })
		case []*model.Place:
			slices.SortFunc(v, func(a, b *model.Place) int { return byID(a, b) })
		case []*model.Agreement:
			slices.SortFunc(v, func(a, b *model.Agreement) int { return byID(a, b) })
		}
	}
	sortE(d.Organizations)
	sortE(d.Brands)
	sortE(d.VehicleModels)
	sortE(d.Plants)
	sortE(d.Places)
	sortE(d.Agreements)
	slices.SortFunc(d.Sources, func(a, b *model.Source) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(d.Relations, func(a, b *model.Relation) int { return cmp.Compare(a.ID, b.ID) })
	for _, e := range d.Entities() {
		b := e.Common()
		if b.SourceIDs == nil {
			b.SourceIDs = []string{}
		}
		if len(b.Aliases) == 0 {
			b.Aliases = nil
		}
	}
	for _, x := range d.Relations {
		if x.SourceIDs == nil {
			x.SourceIDs = []string{}
		}
	}
	for _, a := range d.Agreements {
		if len(a.Provisions) == 0 {
			a.Provisions = nil
		}
	}
}
