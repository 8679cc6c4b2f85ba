package httpapi

import (
	"context"
	"errors"
	"testing"
	"time"
)

type parentKey struct{}

// newScope is a request scope over parent whose deadline is in d.
func newScope(parent context.Context, d time.Duration) *requestScope {
	return &requestScope{Context: parent, deadline: time.Now().Add(d)}
}

// isDone says whether ctx's Done channel is closed.
func isDone(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return true
	default:
		return false
	}
}

// TestScopeDeadlineWithoutDone: a scope that nobody asked for Done reports the deadline's
// passing from Err, and a Done asked for afterwards is closed with the same error; Err never
// changes once it is not nil.
func TestScopeDeadlineWithoutDone(t *testing.T) {
	s := newScope(context.Background(), 20*time.Millisecond)
	if err := s.Err(); err != nil {
		t.Fatalf("Err before the deadline = %v", err)
	}
	if s.timed.Load() != nil {
		t.Fatal("Err before the deadline made the deadline context")
	}
	time.Sleep(30 * time.Millisecond)
	if err := s.Err(); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Err after the deadline = %v, want DeadlineExceeded", err)
	}
	if !isDone(s) {
		t.Fatal("Done is not closed after Err reported the deadline")
	}
	if cause := context.Cause(s); !errors.Is(cause, context.DeadlineExceeded) {
		t.Errorf("Cause = %v, want DeadlineExceeded", cause)
	}
	s.end()
	if err := s.Err(); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Err after end = %v, want DeadlineExceeded still", err)
	}
}

// TestScopeDoneClosesAtDeadline: Done asked for before the deadline closes when it passes,
// and so does a context derived from the scope.
func TestScopeDoneClosesAtDeadline(t *testing.T) {
	s := newScope(context.Background(), 20*time.Millisecond)
	child, cancel := context.WithCancel(s)
	defer cancel()
	if isDone(s) || isDone(child) {
		t.Fatal("done before the deadline")
	}
	select {
	case <-child.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the derived context did not end at the deadline")
	}
	if !errors.Is(s.Err(), context.DeadlineExceeded) || !errors.Is(child.Err(), context.DeadlineExceeded) {
		t.Errorf("Err = %v, child's %v; want DeadlineExceeded", s.Err(), child.Err())
	}
	if d, ok := s.Deadline(); !ok || !d.Equal(s.deadline) {
		t.Errorf("Deadline = %v, %v; want %v", d, ok, s.deadline)
	}
	s.end()
}

// TestScopeFollowsParent: the scope ends with its parent, with the parent's error, whether
// or not Done was asked for first; the parent's values and earlier deadline show through.
func TestScopeFollowsParent(t *testing.T) {
	for _, askDone := range []bool{false, true} {
		base := context.WithValue(context.Background(), parentKey{}, "v")
		early := time.Now().Add(time.Hour)
		parent, cancel := context.WithDeadline(base, early)
		s := newScope(parent, 2*time.Hour)
		if askDone {
			_ = s.Done()
		}
		if got := s.Value(parentKey{}); got != "v" {
			t.Errorf("askDone %v: Value = %v, want the parent's", askDone, got)
		}
		if d, _ := s.Deadline(); !d.Equal(early) {
			t.Errorf("askDone %v: Deadline = %v, want the parent's %v", askDone, d, early)
		}
		cancel()
		if err := s.Err(); !errors.Is(err, context.Canceled) {
			t.Errorf("askDone %v: Err = %v, want Canceled", askDone, err)
		}
		if !isDone(s) {
			t.Errorf("askDone %v: Done is not closed", askDone)
		}
		s.end()
	}
}

// TestScopeEnd: once the request has been answered the scope is done with Canceled, as the
// cancel of a deadline context would leave it, and still answers its parent's values.
func TestScopeEnd(t *testing.T) {
	for _, askDone := range []bool{false, true} {
		s := newScope(context.WithValue(context.Background(), parentKey{}, "v"), time.Hour)
		if askDone {
			_ = s.Done()
		}
		s.end()
		if err := s.Err(); !errors.Is(err, context.Canceled) {
			t.Errorf("askDone %v: Err after end = %v, want Canceled", askDone, err)
		}
		if !isDone(s) {
			t.Errorf("askDone %v: Done is not closed after end", askDone)
		}
		if got := s.Value(parentKey{}); got != "v" {
			t.Errorf("askDone %v: Value after end = %v, want the parent's", askDone, got)
		}
		if s.Value(scopeKey{}) != s {
			t.Errorf("askDone %v: the scope does not answer its own key", askDone)
		}
	}
	// Scopes that never made a deadline context share one ended context; ending one leaves
	// a new scope untouched.
	s := newScope(context.Background(), time.Hour)
	if s.Err() != nil || isDone(s) {
		t.Errorf("a new scope is done: %v", s.Err())
	}
	s.end()
}
