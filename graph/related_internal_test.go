package graph

import (
	"fmt"
	"slices"
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
)

// relatedIDs lists each other end once, those of active relations first, in the relations'
// order, whether the list is short (searched) or long (a set).
func TestRelatedIDsOrderAndDuplicates(t *testing.T) {
	rel := func(from, to string, status model.RelationStatus) *model.Relation {
		return &model.Relation{FromID: from, ToID: to, Status: status}
	}
	for _, n := range []int{3, 40} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var rels []*model.Relation
			var wantActive, wantOther []string
			for i := range n {
				o := fmt.Sprintf("e%02d", i)
				if i%2 == 0 {
					rels = append(rels, rel("owner", o, model.StatusEnded), rel(o, "owner", model.StatusActive))
					wantActive = append(wantActive, o)
				} else {
					rels = append(rels, rel("owner", o, model.StatusPlanned), rel("owner", o, model.StatusEnded))
					wantOther = append(wantOther, o)
				}
			}
			want := append(wantActive, wantOther...)
			if got := relatedIDs("owner", rels); !slices.Equal(got, want) {
				t.Errorf("relatedIDs = %v, want %v", got, want)
			}
		})
	}
}
