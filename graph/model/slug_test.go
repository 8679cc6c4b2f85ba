package model

import (
	"regexp"
	"testing"
)

// slugRegexp is the language isSlug decides.
var slugRegexp = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func slugCases() []string {
	return []string{"", "a", "-", "--", "a-", "-a", "a-b", "a--b", "baic-x35", "syn-org-1373", "A", "a_b",
		"a b", "ab-", "1-2-3", "x--", "é", "a-é", "a\x00", "z9-0", "-a-", "a-b-c-d-e", "a-\n"}
}

func TestIsSlugIsTheRegexp(t *testing.T) {
	for _, c := range slugCases() {
		if got, want := isSlug(c), slugRegexp.MatchString(c); got != want {
			t.Errorf("isSlug(%q) = %v, the regexp says %v", c, got, want)
		}
	}
}

func FuzzIsSlug(f *testing.F) {
	for _, c := range slugCases() {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isSlug(s), slugRegexp.MatchString(s); got != want {
			t.Errorf("isSlug(%q) = %v, the regexp says %v", s, got, want)
		}
	})
}
