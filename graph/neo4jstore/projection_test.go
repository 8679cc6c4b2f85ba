package neo4jstore

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/autograph-kg/autograph/graph/model"
	"github.com/autograph-kg/autograph/graph/storetest"
)

// projectedKeys are the property keys a map projection such as entityFields names (`.key`
// items; computed items such as `type: type(r)` are not properties).
func projectedKeys(t *testing.T, fields string) []string {
	t.Helper()
	open, end := strings.Index(fields, "{"), strings.LastIndex(fields, "}")
	if open < 0 || end < open {
		t.Fatalf("not a map projection: %q", fields)
	}
	var keys []string
	for _, item := range strings.Split(fields[open+1:end], ",") {
		if item = strings.TrimSpace(item); strings.HasPrefix(item, ".") {
			keys = append(keys, item[1:])
		}
	}
	return keys
}

// project does in Go what a map projection does in Cypher: every named key, null when the
// stored item has no such property.
func project(props map[string]any, keys []string) map[string]any {
	out := make(map[string]any, len(keys))
	for _, k := range keys {
		out[k] = props[k]
	}
	return out
}

// TestProjectionsCoverTheStoredProperties holds the read projections to what the writes
// store: every stored property but the store-only ones is projected, and a projected entity
// or relation maps to the same model value as the whole node or relationship.
func TestProjectionsCoverTheStoredProperties(t *testing.T) {
	// The stored properties that reads leave out: derived for the store's own filters, orders
	// and import, never part of a model value.
	storeOnly := []string{"nameKey", "searchKeys", "searchText", "contentHash", "spanStart", "spanEnd"}
	fx := storetest.Fixture()
	all := entityKeys(model.AllEntityFields)
	entityKeys := projectedKeys(t, entityFields)
	for _, e := range fx.Entities() {
		n := entityNode(t, "4:x:1", e)
		for k := range n.Props {
			if !slices.Contains(entityKeys, k) && !slices.Contains(storeOnly, k) {
				t.Errorf("entity %s: stored property %q is not in entityFields", e.GetID(), k)
			}
		}
		got, err := entityFromValue(project(n.Props, entityKeys))
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(stamped(e), got); d != "" {
			t.Errorf("entity %s through its projection (-want +got):\n%s", e.GetID(), d)
		}
	}
	// The keys of a read of every field (entityKeys, the slim items' order) are entityFields'.
	if !slices.Equal(slices.Sorted(slices.Values(all)), slices.Sorted(slices.Values(entityKeys))) {
		t.Errorf("entityKeys(AllEntityFields) = %v, want the keys of entityFields %v", all, entityKeys)
	}
	relKeys := projectedKeys(t, relationFields)
	for _, r := range fx.Relations {
		rel := relationship("9", r, "1", "2")
		for k := range rel.Props {
			if !slices.Contains(relKeys, k) && !slices.Contains(storeOnly, k) {
				t.Errorf("relation %s: stored property %q is not in relationFields", r.ID, k)
			}
		}
		m := project(rel.Props, relKeys)
		m["type"] = rel.Type
		got, err := relationFromMap(map[string]any{"rel": m, "fromId": r.FromID, "toId": r.ToID})
		if err != nil {
			t.Fatal(err)
		}
		want, err := relationFromRel(rel, r.FromID, r.ToID)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("relation %s through its projection (-want +got):\n%s", r.ID, d)
		}
	}
}
