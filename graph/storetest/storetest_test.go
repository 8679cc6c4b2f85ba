package storetest

import "testing"

// TestFixture checks the fixture on its own, without a store: valid, fresh on every call, and
// of the sizes the hand-derived expectations assume.
func TestFixture(t *testing.T) { testFixture(t) }
