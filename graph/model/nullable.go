package model

// Optional text (an entity's description, a place's country code, a source's dateline, URL
// and language, a relation's note) is a plain string in the model and in both stores, where
// the empty string means "not given": the embedded store leaves it out of its records and
// Neo4j stores no property. The API shows it as null. An empty string given in a write is
// the same as leaving the field out, so it reads back as null too, and so does an empty
// string that older data may hold.
//
// The accessors below are what the GraphQL layer binds those fields to (gqlgen.yml).

// nullIfEmpty is s, or nil for the empty string.
func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// DescriptionOrNull is the description, nil when there is none.
func (b *EntityBase) DescriptionOrNull() *string { return nullIfEmpty(b.Description) }

// CountryCodeOrNull is the country code, nil when there is none.
func (p *Place) CountryCodeOrNull() *string { return nullIfEmpty(p.CountryCode) }

// DatelineOrNull is the dateline, nil when there is none.
func (s *Source) DatelineOrNull() *string { return nullIfEmpty(s.Dateline) }

// URLOrNull is the URL, nil when there is none.
func (s *Source) URLOrNull() *string { return nullIfEmpty(s.URL) }

// LanguageOrNull is the language, nil when there is none.
func (s *Source) LanguageOrNull() *string { return nullIfEmpty(s.Language) }

// NoteOrNull is the note, nil when there is none.
func (r *Relation) NoteOrNull() *string { return nullIfEmpty(r.Note) }
