package graph

import (
	"context"

	"github.com/autograph-kg/autograph/graph/gqlmodel"
	"github.com/autograph-kg/autograph/graph/model"
)

// base builds the common fields of an entity from a mutation input.
func base(id, name string, aliases []string, description *string, sources []string) model.EntityBase {
	return model.EntityBase{ID: id, Name: name, Aliases: aliases, Description: str(description), SourceIDs: sources}
}

// upsert validates an entity from a mutation input and writes it.
func upsert[N model.Entity](ctx context.Context, w model.Writer, e N) (N, error) {
	var zero N
	if err := model.CheckEntity(e); err != nil {
		return zero, err
	}
	got, err := w.UpsertEntity(ctx, e)
	if err != nil {
		return zero, err
	}
	v, ok := got.(N)
	if !ok {
		return zero, model.Errorf(model.CodeInternal, "upsert %s: store returned a %s", e.GetID(), got.Kind())
	}
	return v, nil
}

func relationFromInput(id string, in gqlmodel.RelationInput) *model.Relation {
	r := &model.Relation{
		ID:        id,
		Type:      in.Type,
		FromID:    in.From,
		ToID:      in.To,
		Status:    model.StatusActive,
		ValidFrom: in.ValidFrom,
		ValidTo:   in.ValidTo,
		Quantity:  in.Quantity,
		Note:      str(in.Note),
		SourceIDs: in.SourceIds,
	}
	if in.Status != nil {
		r.Status = *in.Status
	}
	return r
}
