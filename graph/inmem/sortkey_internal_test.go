package inmem

import (
	"math/rand/v2"
	"slices"
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
