package model

import (
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in, want, start, end string
		err                  string
	}{
		{in: "1994", want: "1994", start: "1994-01-01", end: "1995-01-01"},
		{in: "2023-01", want: "2023-01", start: "2023-01-01", end: "2023-02-01"},
		{in: "2023-12", want: "2023-12", start: "2023-12-01", end: "2024-01-01"},
		{in: "2023-04-04", want: "2023-04-04", start: "2023-04-04", end: "2023-04-05"},
		{in: "2024-02-29", want: "2024-02-29", start: "2024-02-29", end: "2024-03-01"},
		{in: "2023-12-31", want: "2023-12-31", start: "2023-12-31", end: "2024-01-01"},
		{in: "9999", want: "9999", start: "9999-01-01", end: "9999-99-99"},
		{in: "2024-02-30", err: "no such day"},
		{in: "2023-02-29", err: "no such day"},
		{in: "2023-13", err: "month out of range"},
		{in: "2023-00", err: "month out of range"},
		{in: "0000", err: "year out of range"},
		{in: "23", err: "digits"},
		{in: "2023-1-05", err: "digits"},
		{in: "2023-01-05-01", err: "not a partial ISO date"},
		{in: "", err: "not a partial ISO date"},
		{in: "yesterday", err: "digits"},
		{in: "２０２３", err: "digits"},
		{in: "+2023", err: "digits"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			d, err := ParseDate(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || ErrorCode(err) != CodeBadUserInput {
					t.Fatalf("ParseDate(%q) = %v, %v; want BAD_USER_INPUT containing %q", tc.in, d, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tc.in, err)
			}
			if d.String() != tc.want || d.Start() != tc.start || d.End() != tc.end {
				t.Errorf("ParseDate(%q) = %s [%s, %s), want %s [%s, %s)", tc.in, d, d.Start(), d.End(), tc.want, tc.start, tc.end)
			}
		})
	}
}

func TestDateOrder(t *testing.T) {
	in := []string{"2022", "2023", "2023-01", "2023-01-05", "2023-02", "2024-12-31"}
	for i := 0; i+1 < len(in); i++ {
		a, b := MustDate(in[i]), MustDate(in[i+1])
		if !a.Before(b) || b.Before(a) {
			t.Errorf("want %s before %s", a, b)
		}
	}
}

func TestRelationHoldsAt(t *testing.T) {
	d := func(s string) *Date { x := MustDate(s); return &x }
	for _, tc := range []struct {
		name string
		r    Relation
		asOf string
		want bool
	}{
		{"open both ends", Relation{Status: StatusActive}, "1900", true},
		{"ended 2022, asOf 2022", Relation{Status: StatusEnded, ValidTo: d("2022")}, "2022", true},
		{"ended 2022, asOf last day", Relation{Status: StatusEnded, ValidTo: d("2022")}, "2022-12-31", true},
		{"ended 2022, asOf 2023", Relation{Status: StatusEnded, ValidTo: d("2022")}, "2023", false},
		{"from 2023-04-04, asOf 2023-04", Relation{Status: StatusActive, ValidFrom: d("2023-04-04")}, "2023-04", true},
		{"from 2023-04-04, asOf 2023-04-03", Relation{Status: StatusActive, ValidFrom: d("2023-04-04")}, "2023-04-03", false},
		{"from 2023-01, asOf 2022", Relation{Status: StatusActive, ValidFrom: d("2023-01")}, "2022", false},
		{"planned by end of 2023, asOf 2021", Relation{Status: StatusPlanned, ValidTo: d("2023")}, "2021", false},
		{"planned by end of 2023, asOf 2023-06", Relation{Status: StatusPlanned, ValidTo: d("2023")}, "2023-06", true},
		{"planned by end of 2023, asOf 2024", Relation{Status: StatusPlanned, ValidTo: d("2023")}, "2024", false},
		{"planned from 2023, asOf 2030", Relation{Status: StatusPlanned, ValidFrom: d("2023")}, "2030", true},
		{"active with only validTo counts from the start of time", Relation{Status: StatusActive, ValidTo: d("2023")}, "1990", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.HoldsAt(MustDate(tc.asOf)); got != tc.want {
				t.Errorf("HoldsAt(%s) = %v, want %v (span %+v)", tc.asOf, got, tc.want, tc.r.Span())
			}
		})
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"1994", "2023-01", "2023-04-04", "2024-02-30", "9999-12-31", "", "-", "2023--01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if ErrorCode(err) != CodeBadUserInput {
				t.Fatalf("ParseDate(%q) error %v has code %s", s, err, ErrorCode(err))
			}
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q", s, d.String())
		}
		if !(d.Start() < d.End()) {
			t.Fatalf("%q: start %s not before end %s", s, d.Start(), d.End())
		}
	})
}

// TestStartEndAgreeWithTime checks the hand-made Start and End against the time package on
// every day, month and year of a few years, leap days and the last year included.
func TestStartEndAgreeWithTime(t *testing.T) {
	for _, y := range []int{1, 1900, 2000, 2023, 2024, 9999} {
		check := func(d Date, start, end time.Time) {
			t.Helper()
			if got, want := d.Start(), start.Format("2006-01-02"); got != want {
				t.Errorf("%s.Start() = %s, want %s", d, got, want)
			}
			want := end.Format("2006-01-02")
			if end.Year() > 9999 {
				want = "9999-99-99"
			}
			if got := d.End(); got != want {
				t.Errorf("%s.End() = %s, want %s", d, got, want)
			}
		}
		check(Date{Year: y}, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC))
		for m := 1; m <= 12; m++ {
			first := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
			check(Date{Year: y, Month: m}, first, first.AddDate(0, 1, 0))
			for day := first; day.Month() == first.Month(); day = day.AddDate(0, 0, 1) {
				check(Date{Year: y, Month: m, Day: day.Day()}, day, day.AddDate(0, 0, 1))
			}
		}
	}
}

// TestOverlapsSpanIsSpanOverlaps: the filters' allocation-free test agrees with Span and
// Overlaps for every kind of period, status and asOf, across month and year ends.
func TestOverlapsSpanIsSpanOverlaps(t *testing.T) {
	texts := []string{"", "2019", "2020", "2020-02", "2020-02-28", "2020-02-29", "2020-12", "2020-12-31", "2021-01-01", "2021", "9999", "9999-12-31", "0001"}
	dates := make([]*Date, len(texts))
	for i, s := range texts {
		if s != "" {
			d := MustDate(s)
			dates[i] = &d
		}
	}
	n := 0
	for _, from := range dates {
		for _, to := range dates {
			for _, st := range []RelationStatus{StatusActive, StatusPlanned, StatusEnded} {
				r := &Relation{ValidFrom: from, ValidTo: to, Status: st}
				for _, asOf := range dates[1:] {
					o := SpanOf(*asOf)
					if got, want := r.OverlapsSpan(o), r.Span().Overlaps(o); got != want {
						t.Errorf("from %v to %v %s, asOf %v: OverlapsSpan %v, Span().Overlaps %v", from, to, st, asOf, got, want)
					}
					n++
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no case was checked")
	}
}
