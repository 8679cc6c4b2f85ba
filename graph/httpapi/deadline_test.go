package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/autograph-kg/autograph/graph/inmem"
)

// TestDeadlinePassedBeforeRunning: a request whose deadline has passed by the time it would
// run (its body read in time) is a TIMEOUT, not an empty answer.
func TestDeadlinePassedBeforeRunning(t *testing.T) {
	store := inmem.New()
	t.Cleanup(func() { _ = store.Close(context.Background()) })
	h := httpapi.NewHandler(httpapi.Options{Store: store})
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/query", strings.NewReader(`{"query":"{ brand(id: \"kia\") { name } }"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out apitest.Response
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.Errors) != 1 || out.Errors[0].Code() != "TIMEOUT" {
		t.Errorf("status %d body %q; want a TIMEOUT error", rec.Code, rec.Body.String())
	}
	if rec.Code >= 500 || rec.Code == http.StatusOK {
		t.Errorf("status %d", rec.Code)
	}
}
