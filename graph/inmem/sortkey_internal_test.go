package inmem

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestSortByKeyMatchesSortFunc holds sortByKey to slices.SortFunc on keys built to defeat the
// eight-byte heads: shared prefixes longer than eight bytes, keys shorter than eight, zero
// bytes (which look like the padding), bytes above 0x7f, and duplicates broken by the second
// criterion.
func TestSortByKeyMatchesSortFunc(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "b", "\x00", "\xff", "é", " "}
	type row struct {
		key string
		n   int
	}
	order := func(a, b row) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return a.n - b.n
	}
	for round := range 50 {
		var rows []row
		for i := range 2000 {
			var b strings.Builder
			if rnd.IntN(2) == 0 {
				b.WriteString("common prefix ")
			}
			for range rnd.IntN(12) {
				b.WriteString(alphabet[rnd.IntN(len(alphabet))])
			}
			rows = append(rows, row{b.String(), rnd.IntN(5) + i%3})
		}
		want := slices.Clone(rows)
		slices.SortFunc(want, order)
		sortByKey(rows, func(r row) string { return r.key }, order)
		if !slices.Equal(rows, want) {
			t.Fatalf("round %d: sortByKey and slices.SortFunc disagree", round)
		}
	}
}

// TestSortByIDMatchesSortFunc holds sortByID and sortedByID to slices.SortFunc on unique ids
// shaped like the synthetic ones (a kind prefix, then a number in decimal, so "-10" sorts
// before "-9"), and checks that sortedByID leaves its input as it was.
func TestSortByIDMatchesSortFunc(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	kinds := []string{"syn-organization-", "syn-brand-", "syn-model-", "", "é"}
	type row struct{ id string }
	byID := func(a, b *row) int { return strings.Compare(a.id, b.id) }
	for round := range 20 {
		var rows []*row
		for i := range 3000 {
			rows = append(rows, &row{kinds[rnd.IntN(len(kinds))] + strconv.Itoa(i)})
		}
		rnd.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		input := slices.Clone(rows)
		want := slices.SortedFunc(slices.Values(rows), byID)
		if got := sortedByID(rows, func(r *row) string { return r.id }); !slices.Equal(got, want) {
			t.Fatalf("round %d: sortedByID and slices.SortFunc disagree", round)
		}
		if !slices.Equal(rows, input) {
			t.Fatalf("round %d: sortedByID changed its input", round)
		}
		sortByID(rows, func(r *row) string { return r.id })
		if !slices.Equal(rows, want) {
			t.Fatalf("round %d: sortByID and slices.SortFunc disagree", round)
		}
	}
}
