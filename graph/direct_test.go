package graph

import (
	"bytes"
	"context"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/autograph-kg/autograph/graph/model"
)

// The writer's scalars must come out as the executor's marshallers write them, byte for byte.

func FuzzDirectStringsMatchMarshalString(f *testing.F) {
	for _, s := range []string{"", "Avtotor", `quote " and \ backslash`, "tab\tnew\nline\rcr", "\x00\x01\x1f\x7f", "Кёнигсберг – 北京", "bad \xff\xfe utf-8", "\u2028\u2029"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		graphql.MarshalString(s).MarshalGQL(&want)
		if got := appendGQLString(nil, s); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%q: wrote %s, MarshalString writes %s", s, got, want.Bytes())
		}
	})
}

func TestDirectDatesAndTimesMatchTheirMarshallers(t *testing.T) {
	dates := []model.Date{{}, {Year: 2023}, {Year: 2023, Month: 4}, {Year: 2023, Month: 4, Day: 4}, {Year: 7, Month: 12, Day: 31}, {Year: 999}, {Year: 10000, Month: 1}, {Year: -44, Month: 3, Day: 15}, {Year: 1994, Day: 5}}
	for _, d := range dates {
		var want bytes.Buffer
		d.MarshalGQL(&want)
		w := &directWriter{}
		w.date(d)
		if !bytes.Equal(w.buf, want.Bytes()) {
			t.Errorf("%+v: wrote %s, MarshalGQL writes %s", d, w.buf, want.Bytes())
		}
	}
	for _, tm := range []time.Time{time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC), time.Date(2024, 5, 6, 7, 8, 9, 0, time.FixedZone("", 3*3600))} {
		var want bytes.Buffer
		graphql.MarshalTime(tm).MarshalGQL(&want)
		w := &directWriter{}
		w.time(tm)
		if !bytes.Equal(w.buf, want.Bytes()) || w.bad {
			t.Errorf("%v: wrote %s, MarshalTime writes %s", tm, w.buf, want.Bytes())
		}
	}
	for _, f := range []float64{1, 0.8, 0.6, 0.4, 0, 1.0 / 3, 1e21, 1e20, 123456789, 1e-5, 1e-4, -2.5} {
		w := &directWriter{}
		w.float(f)
		var want bytes.Buffer
		if err := graphql.MarshalFloatContext(f).MarshalGQLContext(context.Background(), &want); err != nil || !bytes.Equal(w.buf, want.Bytes()) {
			t.Errorf("%v: wrote %s, MarshalFloatContext writes %s (%v)", f, w.buf, want.Bytes(), err)
		}
	}
	for _, f := range []float64{math.Inf(1), math.NaN()} {
		w := &directWriter{}
		if w.float(f); !w.bad {
			t.Errorf("%v, an error for the executor, was not handed back", f)
		}
	}
	for _, e := range []string{"ASSEMBLES", "VEHICLE_MODEL", "X1", "", "lower", `q"uote`, "é"} {
		w := &directWriter{}
		w.quote(e)
		if want := strconv.Quote(e); string(w.buf) != want {
			t.Errorf("%q: wrote %s, strconv.Quote writes %s", e, w.buf, want)
		}
	}
	w := &directWriter{}
	if w.time(time.Time{}); !w.bad {
		t.Error("the zero time, a null for a Time!, was not handed back to the executor")
	}
}
