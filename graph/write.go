package graph

import (
	"context"

	"github.com/autograph-kg/autograph/graph/dataset"
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

// importStore is what importDataset needs of the store: the batch lookups that resolve a
// dataset's references to stored items, and Import.
type importStore struct {
	model.BatchReader
	model.Importer
}

// maxReportedProblems bounds the problems importDataset lists (problemCount counts them all).
const maxReportedProblems = 100

// importReport is a dataset report in its GraphQL shape.
func importReport(rep *dataset.Report) *gqlmodel.ImportReport {
	out := &gqlmodel.ImportReport{
		DryRun: rep.DryRun, Imported: rep.Imported, Records: rep.Records, Sources: rep.Sources,
		Entities: rep.Entities, Relations: rep.Relations, Stored: rep.Stored,
		ProblemCount: len(rep.Problems), Problems: []*gqlmodel.ImportProblem{},
	}
	for _, p := range rep.Problems[:min(len(rep.Problems), maxReportedProblems)] {
		q := &gqlmodel.ImportProblem{Message: p.Message}
		if p.Line > 0 {
			q.Line = &p.Line
		}
		if p.What != "" {
			q.What = &p.What
		}
		if p.ID != "" {
			q.ID = &p.ID
		}
		out.Problems = append(out.Problems, q)
	}
	return out
}
