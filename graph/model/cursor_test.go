package model

import "testing"

func TestCursorRoundTrip(t *testing.T) {
	o := Order{Field: SortByName, Desc: true}
	b := &Brand{EntityBase: EntityBase{ID: "baic", Name: "BAIC Motor"}}
	c, err := DecodeCursor(EntityCursor(b, o), OrderTag(o))
	if err != nil || c.Key != "baic motor" || c.ID != "baic" {
		t.Fatalf("round trip: %+v, %v", c, err)
	}
	if _, err := DecodeCursor(EntityCursor(b, o), OrderTag(Order{Field: SortByName})); ErrorCode(err) != CodeBadUserInput {
		t.Errorf("cursor of another ordering accepted: %v", err)
	}
	for _, bad := range []string{"", "%%%", "bm90IGpzb24", "WyJhIl0", "WyJOQU1FOmRlc2MiLCJrIiwiIl0"} {
		if _, err := DecodeCursor(bad, OrderTag(o)); ErrorCode(err) != CodeBadUserInput {
			t.Errorf("DecodeCursor(%q) = %v, want BAD_USER_INPUT", bad, err)
		}
	}
}

func TestCursorAfter(t *testing.T) {
	c := Cursor{Key: "m", ID: "id5"}
	for _, tc := range []struct {
		key, id string
		desc    bool
		want    bool
	}{
		{"n", "id1", false, true},
		{"m", "id6", false, true},
		{"m", "id5", false, false},
		{"m", "id4", false, false},
		{"l", "id9", false, false},
		{"l", "id1", true, true},
		{"m", "id4", true, true},
		{"m", "id5", true, false},
		{"n", "id1", true, false},
	} {
		if got := c.After(tc.key, tc.id, tc.desc); got != tc.want {
			t.Errorf("After(%q, %q, desc=%v) = %v, want %v", tc.key, tc.id, tc.desc, got, tc.want)
		}
	}
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add(EncodeCursor(Cursor{Order: "NAME:asc", Key: "baic", ID: "baic"}))
	f.Add("")
	f.Add("WyJOQU1FOmFzYyIsIiIsIngiXQ")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := DecodeCursor(s, "NAME:asc")
		if err != nil {
			if ErrorCode(err) != CodeBadUserInput {
				t.Fatalf("DecodeCursor(%q): %v is not BAD_USER_INPUT", s, err)
			}
			return
		}
		if c.Order != "NAME:asc" || c.ID == "" {
			t.Fatalf("DecodeCursor(%q) accepted %+v", s, c)
		}
	})
}
