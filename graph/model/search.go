package model

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize folds text for matching: Unicode compatibility decomposition, accents dropped,
// lower case, and every run of characters that are not letters or digits turned into one
// space. "Mercedes-Benz" and "mercedes benz" normalise alike. Stores match on normalised
// keys computed at write time (SearchKeys), so both backends see the same strings.
func Normalize(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}

// SortKey is the key names and titles sort by: the normalised text.
func SortKey(s string) string { return Normalize(s) }

// SearchKeys are the normalised name and aliases of an entity, without duplicates, name first.
func SearchKeys(e Entity) []string {
	b := e.Common()
	keys := []string{Normalize(b.Name)}
	for _, a := range b.Aliases {
		if k := Normalize(a); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// The match scores, best first.
const (
	ScoreExact      = 1.0
	ScorePrefix     = 0.8
	ScoreWordPrefix = 0.6
	ScoreSubstring  = 0.4
)

// PrepareSearch validates and normalises a search text.
func PrepareSearch(text string) (string, error) {
	if !utf8.ValidString(text) {
		return "", Errorf(CodeBadUserInput, "search query is not valid UTF-8")
	}
	if utf8.RuneCountInString(text) > MaxSearchLength {
		return "", Errorf(CodeBadUserInput, "search query is longer than %d characters", MaxSearchLength)
	}
	q := Normalize(text)
	if q == "" {
		return "", Errorf(CodeBadUserInput, "search query needs at least one letter or digit")
	}
	return q, nil
}

// ScoreMatch scores a normalised query against normalised keys: exact match of any key beats
// a prefix, a prefix beats the start of a later word, and that beats any other substring.
// Zero means no match.
func ScoreMatch(q string, keys []string) float64 {
	best := 0.0
	for _, k := range keys {
		s := 0.0
		switch {
		case k == q:
			s = ScoreExact
		case strings.HasPrefix(k, q):
			s = ScorePrefix
		case strings.Contains(k, " "+q):
			s = ScoreWordPrefix
		case strings.Contains(k, q):
			s = ScoreSubstring
		}
		best = max(best, s)
	}
	return best
}

// SortHits orders search hits: higher score first, then by name, then by id.
func SortHits(hits []SearchHit) {
	slices.SortFunc(hits, func(a, b SearchHit) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		if c := strings.Compare(SortKey(a.Entity.Common().Name), SortKey(b.Entity.Common().Name)); c != 0 {
			return c
		}
		return strings.Compare(a.Entity.GetID(), b.Entity.GetID())
	})
}
