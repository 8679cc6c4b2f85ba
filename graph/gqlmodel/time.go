package gqlmodel

import (
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/autograph-kg/autograph/graph/model"
)

// The Time scalar is a time.Time, written in RFC 3339 with nanoseconds as gqlgen writes it;
// read, it must be RFC 3339 too, and anything else is the client's mistake, said so.

// MarshalTime writes a Time.
func MarshalTime(t time.Time) graphql.Marshaler { return graphql.MarshalTime(t) }

// UnmarshalTime reads a Time argument; BAD_USER_INPUT when it is not RFC 3339.
func UnmarshalTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if ok {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, model.Errorf(model.CodeBadUserInput, "invalid time: expected an RFC 3339 timestamp such as \"2023-04-20T12:00:00Z\"")
}
