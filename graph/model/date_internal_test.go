package model

import (
	"strings"
	"testing"
)

// TestDateFastPathsAsTheirDefinitions holds String to its fmt formats and Before to the
// order of starts then string lengths, for dates of every precision, the zero date, and
// values outside the four-digit forms.
func TestDateFastPathsAsTheirDefinitions(t *testing.T) {
	var dates []Date
	for _, y := range []int{0, 1, 9, 10, 99, 999, 1999, 2021, 2022, 9999, 10000, -5} {
		for _, m := range []int{0, 1, 2, 9, 10, 12, 13, 99, 100, -1} {
			for _, d := range []int{0, 1, 9, 10, 28, 31, 99, 100} {
				dates = append(dates, Date{Year: y, Month: m, Day: d})
			}
		}
	}
	format := Date.formatted
	before := func(a, b Date) bool {
		if a.Start() != b.Start() {
			return a.Start() < b.Start()
		}
		return len(format(a)) < len(format(b))
	}
	for _, a := range dates {
		if got, want := a.String(), format(a); got != want {
			t.Errorf("%+v.String() = %q, want %q", a, got, want)
		}
		for _, b := range dates {
			if got, want := a.Before(b), before(a, b); got != want {
				t.Errorf("%+v.Before(%+v) = %v, want %v", a, b, got, want)
			}
		}
	}
}

// TestRelationsOfKeyQuotesTheDate: the key writes asOf as keyField would quote its String,
// for dates of every form, so that a key made in place is the key made through strings.
func TestRelationsOfKeyQuotesTheDate(t *testing.T) {
	for _, d := range []Date{{Year: 2021}, {Year: 2021, Month: 4}, {Year: 2021, Month: 4, Day: 18}, {Year: 10000, Month: 1}, {Year: -44, Month: 3, Day: 15}, {Year: 7}} {
		key := string(RelationsOfQuery{Filter: RelationFilter{AsOf: &d}}.Key())
		if want := string(keyField(nil, "asOf", d.String())); !strings.Contains(key, want) {
			t.Errorf("%+v: key %q lacks %q", d, key, want)
		}
	}
}
