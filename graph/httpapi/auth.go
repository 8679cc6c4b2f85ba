package httpapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/autograph-kg/autograph/graph/model"
)

// Writes need a credential; reads are open. The handler reads the bearer token of each
// request once, compares it in constant time with every configured token (as SHA-256 digests,
// so neither the content nor the length of a token leaks through timing), and records the
// verdict in the context. Tokens are never logged.

type authState int

const (
	authNone    authState = iota // no Authorization header
	authInvalid                  // a token that matches none
	authWriter                   // a valid write token
)

type authKey struct{}

// tokenSet holds the digests of the accepted write tokens.
type tokenSet [][sha256.Size]byte

func newTokenSet(tokens []string) tokenSet {
	var ts tokenSet
	for _, t := range tokens {
		if t = strings.TrimSpace(t); t != "" {
			ts = append(ts, sha256.Sum256([]byte(t)))
		}
	}
	return ts
}

func (ts tokenSet) match(token string) bool {
	d := sha256.Sum256([]byte(token))
	ok := 0
	for i := range ts {
		ok |= subtle.ConstantTimeCompare(d[:], ts[i][:])
	}
	return ok == 1
}

// withAuth records whether the request carries a valid write token.
func withAuth(ts tokenSet, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		state := authNone
		if h := r.Header.Get("Authorization"); h != "" {
			state = authInvalid
			if scheme, token, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") && ts.match(strings.TrimSpace(token)) {
				state = authWriter
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), authKey{}, state)))
	})
}

// requireWriterForMutations refuses a mutation, before any of it runs, unless the request
// carries a valid write token.
func requireWriterForMutations(ts tokenSet) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		oc := graphql.GetOperationContext(ctx)
		if oc.Operation == nil || oc.Operation.Operation != ast.Mutation {
			return next(ctx)
		}
		var msg string
		state, _ := ctx.Value(authKey{}).(authState)
		switch {
		case len(ts) == 0:
			msg = "writes are disabled on this server: set KG_WRITE_TOKEN (or KG_WRITE_TOKEN_FILE) to enable them"
		case state == authNone:
			msg = "mutations need a write token: send the header Authorization: Bearer <token>"
		case state == authInvalid:
			msg = "the write token is not valid"
		default:
			return next(ctx)
		}
		err := &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": string(model.CodeUnauthenticated)}}
		if rec := recordFrom(ctx); rec != nil {
			rec.set(operationName(oc), []string{string(model.CodeUnauthenticated)})
		}
		return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{err}})
	}
}
