package inmem

import (
	"context"
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
)

// TestImportRetypesPublisherOfReplacedSource: a dataset may turn a publisher into another kind
// when it also replaces the sources that named it; only stored sources it leaves alone count.
func TestImportRetypesPublisherOfReplacedSource(t *testing.T) {
	ctx := context.Background()
	s := New()
	first := &model.Dataset{
		Sources:       []*model.Source{{ID: "src", Title: "T", PublisherID: "pub", PublishedOn: model.MustDate("2024")}},
		Organizations: []*model.Organization{{EntityBase: model.EntityBase{ID: "pub", Name: "Pub"}, Type: model.OrgPublisher}},
	}
	if err := s.Import(ctx, first); err != nil {
		t.Fatal(err)
	}
	second := &model.Dataset{
		Sources: []*model.Source{{ID: "src", Title: "T", PublishedOn: model.MustDate("2024")}},
		Brands:  []*model.Brand{{EntityBase: model.EntityBase{ID: "pub", Name: "Pub brand"}}},
	}
	if err := s.Import(ctx, second); err != nil {
		t.Fatalf("Import = %v, want nil: the only source naming pub is replaced", err)
	}
	if e, err := s.Entity(ctx, "pub"); err != nil || e.Kind() != model.KindBrand {
		t.Errorf("pub = %v, %v; want a brand", e, err)
	}
}
