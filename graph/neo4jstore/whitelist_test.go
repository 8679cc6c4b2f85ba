package neo4jstore

import (
	"strconv"
	"testing"

	"github.com/autograph-kg/autograph/graph/model"
)

func TestWhitelist(t *testing.T) {
	if l, err := entityLabel(""); err != nil || l != "Entity" {
		t.Errorf(`entityLabel("") = %q, %v`, l, err)
	}
	for _, k := range model.AllEntityKinds() {
		if l, err := entityLabel(k); err != nil || l != k.Label() {
			t.Errorf("entityLabel(%s) = %q, %v", k, l, err)
		}
	}
	if s, err := relTypes(nil); err != nil || s != "" {
		t.Errorf("relTypes(nil) = %q, %v", s, err)
	}
	if s, err := relTypes([]model.RelationType{model.RelPartnersWith, model.RelSubsidiaryOf}); err != nil || s != ":SUBSIDIARY_OF|PARTNERS_WITH" {
		t.Errorf("relTypes = %q, %v", s, err)
	}
	for _, n := range []int{0, -1, model.MaxPathLength + 1} {
		if _, err := pathLength(n); model.ErrorCode(err) != model.CodeBadUserInput {
			t.Errorf("pathLength(%d) error = %v, want BAD_USER_INPUT", n, err)
		}
	}
	if s, err := pathLength(model.MaxPathLength); err != nil || s != strconv.Itoa(model.MaxPathLength) {
		t.Errorf("pathLength(max) = %q, %v", s, err)
	}
}
