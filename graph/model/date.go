package model

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Date is a partial ISO calendar date: a year ("1994"), a month ("2023-01") or a day
// ("2023-04-04"). Sources state "in 2022" as often as they give a day, so a Date stands for the
// whole interval it names: Start is its first day and End the first day after it.
//
// The zero Date is not a valid date; optional dates are *Date.
type Date struct {
	Year  int // 1..9999
	Month int // 0 when only the year is known
	Day   int // 0 when only the year or month is known
}

// ParseDate reads a partial ISO date and rejects impossible ones such as "2024-02-30".
func ParseDate(s string) (Date, error) {
	bad := func(why string) (Date, error) {
		return Date{}, Errorf(CodeBadUserInput, "invalid date %q: %s (use YYYY, YYYY-MM or YYYY-MM-DD)", s, why)
	}
	parts := strings.Split(s, "-")
	if len(parts) > 3 || s == "" {
		return bad("not a partial ISO date")
	}
	widths := []int{4, 2, 2}
	nums := make([]int, 3)
	for i, p := range parts {
		if len(p) != widths[i] {
			return bad("wrong number of digits")
		}
		for _, c := range p {
			if c < '0' || c > '9' {
				return bad("not a number")
			}
		}
		nums[i], _ = strconv.Atoi(p)
	}
	d := Date{Year: nums[0], Month: nums[1], Day: nums[2]}
	if d.Year < 1 {
		return bad("year out of range")
	}
	if len(parts) >= 2 && (d.Month < 1 || d.Month > 12) {
		return bad("month out of range")
	}
	if len(parts) == 3 {
		last := time.Date(d.Year, time.Month(d.Month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		if d.Day < 1 || d.Day > last {
			return bad("no such day in that month")
		}
	}
	return d, nil
}

// MustDate parses s and panics on error; for literals in tests and fixtures only.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is the zero value (no date).
func (d Date) IsZero() bool { return d.Year == 0 }

// String gives the date in the precision it was stated in.
func (d Date) String() string {
	var a [10]byte
	b, _ := d.AppendText(a[:0])
	return string(b)
}

// AppendText implements encoding.TextAppender: String appended to b, without fmt for the
// four-digit years (dates are keys of queries and cursors, and written in every answer
// that shows one). It never fails.
func (d Date) AppendText(b []byte) ([]byte, error) {
	if !d.plain() || d.IsZero() {
		return append(b, d.formatted()...), nil
	}
	b = append(b, byte('0'+d.Year/1000), byte('0'+d.Year/100%10), byte('0'+d.Year/10%10), byte('0'+d.Year%10))
	if d.Month != 0 {
		b = append(b, '-', byte('0'+d.Month/10), byte('0'+d.Month%10))
		if d.Day != 0 {
			b = append(b, '-', byte('0'+d.Day/10), byte('0'+d.Day%10))
		}
	}
	return b, nil
}

// formatted is String's definition, through fmt: YYYY, YYYY-MM or YYYY-MM-DD, "" for the
// zero date.
func (d Date) formatted() string {
	switch {
	case d.IsZero():
		return ""
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	default:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	}
}

// Start is the first day of the interval d names, as YYYY-MM-DD.
func (d Date) Start() string {
	k := d.startKey()
	return string(k[:])
}

// dayKey is a day as the bytes of YYYY-MM-DD: compared as strings (string(k[:]) in a
// comparison makes no string), the order of Start and End without making them. Filters
// compare relation periods for every relation they look at.
type dayKey [10]byte

func (d Date) startKey() dayKey { return ymd(d.Year, max(d.Month, 1), max(d.Day, 1)) }

// ymd formats a day as YYYY-MM-DD without fmt.
func ymd(y, m, d int) dayKey {
	return dayKey{
		byte('0' + y/1000%10), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-', byte('0' + d/10), byte('0' + d%10),
	}
}

// End is the first day after the interval d names, as YYYY-MM-DD (exclusive bound).
func (d Date) End() string {
	k := d.endKey()
	return string(k[:])
}

func (d Date) endKey() dayKey {
	y, m, day := d.Year, d.Month, d.Day
	switch {
	case m == 0:
		y, m, day = y+1, 1, 1
	case day == 0:
		m, day = m+1, 1
	default:
		day++
	}
	if day > 28 && day > time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		m, day = m+1, 1
	}
	if m > 12 {
		y, m = y+1, 1
	}
	if y > 9999 {
		// Past the last representable day: a sentinel that still sorts after every date.
		return dayKey{'9', '9', '9', '9', '-', '9', '9', '-', '9', '9'}
	}
	return ymd(y, m, day)
}

// Before orders dates by their start, then coarser precision first, so "2023" sorts before
// "2023-01" and "2023-01" before "2023-01-05".
func (d Date) Before(o Date) bool {
	if d.plain() && o.plain() {
		// The same order without the strings: for four-digit years the starts compare as
		// their numbers do, and the lengths of the strings as the precisions.
		a := [3]int{d.Year, max(d.Month, 1), max(d.Day, 1)}
		b := [3]int{o.Year, max(o.Month, 1), max(o.Day, 1)}
		if a != b {
			return a[0] < b[0] || a[0] == b[0] && (a[1] < b[1] || a[1] == b[1] && a[2] < b[2])
		}
		return d.precision() < o.precision()
	}
	if d.Start() != o.Start() {
		return d.Start() < o.Start()
	}
	return len(d.String()) < len(o.String())
}

// plain says whether the date's year has four digits at most and its month and day two,
// where String and Before need no fmt.
func (d Date) plain() bool {
	return d.Year >= 0 && d.Year <= 9999 && d.Month >= 0 && d.Month <= 99 && d.Day >= 0 && d.Day <= 99
}

// precision is the length of a plain date's String: 0 for none, 4, 7 or 10.
func (d Date) precision() int {
	switch {
	case d.IsZero():
		return 0
	case d.Month == 0:
		return 4
	case d.Day == 0:
		return 7
	}
	return 10
}

// MarshalGQL writes the date as a GraphQL string.
func (d Date) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, strconv.Quote(d.String()))
}

// UnmarshalGQL reads a GraphQL string into the date.
func (d *Date) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return Errorf(CodeBadUserInput, "invalid date: expected a string such as \"2023\", \"2023-04\" or \"2023-04-04\"")
	}
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// MarshalText implements encoding.TextMarshaler, so dates are plain strings in JSON.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Span is the half-open interval [Start, End) of days, as YYYY-MM-DD strings, that a relation
// or a query covers. An empty Start or End is unbounded on that side. Both stores compare these
// strings, so they agree on every edge case.
type Span struct {
	Start string
	End   string
}

// SpanOf is the interval a Date names.
func SpanOf(d Date) Span { return Span{Start: d.Start(), End: d.End()} }

// Overlaps reports whether two spans share at least one day.
func (s Span) Overlaps(o Span) bool {
	if s.Start != "" && o.End != "" && s.Start >= o.End {
		return false
	}
	if o.Start != "" && s.End != "" && o.Start >= s.End {
		return false
	}
	return true
}
