package graph

import (
	"github.com/autograph-kg/autograph/graph/model"
)

// Argument checks. An argument over its limit is refused with a message naming the limit,
// never silently clamped.

// intArg returns *v, or def when the client left it out, after checking lo <= v <= hi.
func intArg(name string, v *int, def, lo, hi int) (int, error) {
	if v == nil {
		return def, nil
	}
	if *v < lo || *v > hi {
		return 0, model.Errorf(model.CodeBadUserInput, "%s must be between %d and %d (got %d)", name, lo, hi, *v)
	}
	return *v, nil
}

// firstArg is the page size of a connection: 0 to MaxPageSize, default DefaultPageSize.
func firstArg(v *int) (int, error) {
	return intArg("first", v, model.DefaultPageSize, 0, model.MaxPageSize)
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// orderOr is the ordering a listing was asked for, or def when the client left orderBy out.
// The order inputs are bound to model.Order (gqlgen.yml), so there is nothing to translate.
func orderOr(orderBy *model.Order, def model.Order) model.Order {
	if orderBy == nil {
		return def
	}
	return *orderBy
}

// attr turns a list of enum values into an attribute filter; nil when the list is empty.
func attr[T ~string](field string, values []T) []model.AttrFilter {
	if len(values) == 0 {
		return nil
	}
	vs := make([]string, len(values))
	for i, v := range values {
		vs[i] = string(v)
	}
	return []model.AttrFilter{{Field: field, Values: vs}}
}
