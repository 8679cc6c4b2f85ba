package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// graphqlServer answers GraphQL requests through exec with the first of its transports that
// supports each, as gqlgen's handler.Server does, with two differences:
//
//   - a request served inside a request scope (withRequestScope: every request to /query that
//     is not a stream) has its operation's start time in the scope's context already, so its
//     request is not copied once more to carry it;
//   - the plain route has the one transport that takes every request, so it asks no other
//     transport first (the stream transports looked at the Accept and Upgrade headers of
//     every request again, after routeStreams had).
//
// A panic outside the executor's own recovery is answered 500 with the presented error.
type graphqlServer struct {
	exec       *executor.Executor
	transports []graphql.Transport
}

func (s graphqlServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			err := s.exec.PresentRecoveredError(r.Context(), v)
			gqlErr, _ := err.(*gqlerror.Error)
			b, _ := json.Marshal(&graphql.Response{Errors: []*gqlerror.Error{gqlErr}})
			w.Header()["Content-Type"] = jsonContentType
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write(b)
		}
	}()
	if scopeFrom(r.Context()) == nil {
		r = r.WithContext(graphql.StartOperationTrace(r.Context()))
	}
	for _, t := range s.transports {
		if t.Supports(r) {
			t.Do(w, r, s.exec)
			return
		}
	}
	writeError(w, r, http.StatusBadRequest, codeBadRequest, "this request is not a GraphQL request this server takes: send a POST with a JSON body, a GET with a query parameter, or a WebSocket or SSE subscription")
}
