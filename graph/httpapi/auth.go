package httpapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/autograph-kg/autograph/graph/model"
)

// Who a request speaks for, and what it may do.
//
// A request proves who it is with one header, Authorization: Bearer <credential>, where the
// credential is either a write token or a JWT (told apart by shape: a JWT is three base64url
// segments whose first is a JSON header). The authenticator judges that header once per
// request and the verdict travels in the context: its actor (model.WithActor) is what the
// stores record with every write, and the operation middleware reads it to let a mutation
// run (curator or admin), refuse it (FORBIDDEN for a reader, UNAUTHENTICATED for no or a bad
// credential), or, with read protection on, refuse any operation without a valid credential.
//
// Write tokens are compared in constant time with every configured token, as SHA-256
// digests, so neither the content nor the length of a token leaks through timing; a token is
// never stored (only its digest), logged or repeated in a message. A write token's writes
// are recorded under the token's name, or model.UnnamedTokenActor.
//
// Transports other than the plain HTTP one (a WebSocket's connection_init payload, an SSE
// stream) call authenticate with the Authorization value they were given and record its
// verdict with withVerdict; admit says whether such a connection may be opened at all. The
// operation middleware then holds every operation they run to the same rules.

type authState int

const (
	authNone    authState = iota // no credential
	authInvalid                  // a credential that was refused; the verdict's message says why
	authValid                    // an accepted write token or JWT; the actor's role says what it may do
)

// WriteToken is one configured write token and the name its writes are recorded under.
type WriteToken struct {
	// Name is who the token's writes are recorded as (model.UnnamedTokenActor when it was
	// configured without one); CheckTokenName says what a name may be.
	Name string
	// Token is the secret itself; only its digest is kept once the handler is built.
	Token string
}

// AuthConfig says who may use the API beyond open reads.
type AuthConfig struct {
	// Tokens are the write tokens; each runs mutations as a curator named by the token.
	Tokens []WriteToken
	// JWT, when set, also accepts JWTs verified with its keys, with the role their claims
	// give.
	JWT *JWTConfig
	// ReadAuth makes every operation on /query (queries and subscriptions too) need a valid
	// write token or JWT, of any role; off, reads are open to anyone.
	ReadAuth bool
}

// maxTokenName bounds a write token's name.
const maxTokenName = 64

// CheckTokenName says whether name can name a write token: 1 to 64 letters, digits or
// . - _ @. The error never repeats the name, which may be a mistyped part of a token.
func CheckTokenName(name string) error {
	switch {
	case name == "":
		return errors.New("the name before ':' is empty")
	case len(name) > maxTokenName:
		return fmt.Errorf("the name before ':' is %d characters long; a name has at most %d", len(name), maxTokenName)
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(".-_@", c)) {
			return errors.New("the name before ':' may hold only letters, digits and . - _ @ (a token that itself contains ':' needs a name in front of it: name:token)")
		}
	}
	return nil
}

// ParseWriteToken reads one configured write token, "name:token" or a bare "token" (named
// model.UnnamedTokenActor). Everything after the first ':' is the token, so a token that
// contains ':' needs a name in front of it. Errors never repeat the entry.
func ParseWriteToken(entry string) (WriteToken, error) {
	entry = strings.TrimSpace(entry)
	name, token, named := strings.Cut(entry, ":")
	if !named {
		return WriteToken{Name: model.UnnamedTokenActor, Token: entry}, nil
	}
	name, token = strings.TrimSpace(name), strings.TrimSpace(token)
	if err := CheckTokenName(name); err != nil {
		return WriteToken{}, err
	}
	if token == "" {
		return WriteToken{}, fmt.Errorf("the token named %q is empty after ':'", name)
	}
	return WriteToken{Name: name, Token: token}, nil
}

// authenticator judges credentials. It is built once per handler and only read after.
type authenticator struct {
	tokens   []tokenDigest
	jwt      *jwtVerifier // nil: JWTs are not accepted
	readAuth bool
}

// tokenDigest is what is kept of a write token: its digest and its name.
type tokenDigest struct {
	digest [sha256.Size]byte
	name   string
}

// newAuthenticator keeps the digests of the tokens (unnamed ones first, then c.Tokens) and
// builds the JWT verifier when c.JWT has keys.
func newAuthenticator(unnamed []string, c AuthConfig) *authenticator {
	a := &authenticator{jwt: newJWTVerifier(c.JWT), readAuth: c.ReadAuth}
	add := func(name, token string) {
		if token = strings.TrimSpace(token); token != "" {
			if name == "" {
				name = model.UnnamedTokenActor
			}
			a.tokens = append(a.tokens, tokenDigest{digest: sha256.Sum256([]byte(token)), name: name})
		}
	}
	for _, t := range unnamed {
		add(model.UnnamedTokenActor, t)
	}
	for _, t := range c.Tokens {
		add(t.Name, t.Token)
	}
	return a
}

// writesEnabled says whether any credential could run a mutation.
func (a *authenticator) writesEnabled() bool { return len(a.tokens) > 0 || a.jwt != nil }

// matchToken compares token with every configured token in constant time and returns the
// matching one's name.
func (a *authenticator) matchToken(token string) (string, bool) {
	d := sha256.Sum256([]byte(token))
	found, at := 0, 0
	for i := range a.tokens {
		eq := subtle.ConstantTimeCompare(d[:], a.tokens[i].digest[:])
		at = subtle.ConstantTimeSelect(eq, i, at)
		found |= eq
	}
	if found == 0 {
		return "", false
	}
	return a.tokens[at].name, true
}

// maxCredential bounds the credential of one request (JWTs with many claims stay far below).
const maxCredential = 16 << 10

// authenticate judges the value of an Authorization header (the header of an HTTP request,
// or the Authorization a WebSocket or SSE client sends when it connects): no credential
// (authNone, for ""), a refused one (authInvalid, with a message for the person who sent it,
// never internal text and never the credential), or an accepted one (authValid) with the
// actor it speaks for. A write token is tried first, always against every configured token;
// a credential shaped like a JWT that matches no token is then verified as a JWT.
func (a *authenticator) authenticate(header string) (model.Actor, authState, string) {
	if header == "" {
		return model.Actor{}, authNone, ""
	}
	scheme, cred, ok := strings.Cut(header, " ")
	cred = strings.TrimSpace(cred)
	if !ok || !strings.EqualFold(scheme, "Bearer") || cred == "" {
		return model.Actor{}, authInvalid, "the Authorization header is not valid: send Authorization: Bearer <token>"
	}
	if len(cred) > maxCredential {
		return model.Actor{}, authInvalid, fmt.Sprintf("the token is not valid: it is longer than %s", byteSize(maxCredential))
	}
	if name, ok := a.matchToken(cred); ok {
		return model.Actor{Name: name, Role: model.RoleCurator, Via: "token"}, authValid, ""
	}
	if looksLikeJWT(cred) {
		if a.jwt == nil {
			return model.Actor{}, authInvalid, "the token is not valid: it is a JWT, and this server is not configured to accept JWTs"
		}
		actor, refusal := a.jwt.verify(cred)
		if refusal != "" {
			return model.Actor{}, authInvalid, refusal
		}
		return actor, authValid, ""
	}
	return model.Actor{}, authInvalid, "the write token is not valid"
}

// admit says whether a request or connection with this verdict may be served at all: always,
// unless reads are protected and it has no valid credential, in which case the message says
// why not (its code is UNAUTHENTICATED).
func (a *authenticator) admit(state authState, msg string) (string, bool) {
	if !a.readAuth || state == authValid {
		return "", true
	}
	if state == authInvalid {
		return msg, false
	}
	return "this server needs a credential for every request: send the header Authorization: Bearer <token> with a write token or a JWT", false
}

// verdict is authenticate's answer, kept in the request's context.
type verdict struct {
	actor model.Actor
	state authState
	msg   string
}

type authKey struct{}

// withVerdict records authenticate's verdict in ctx, and, when the credential was accepted,
// its actor (model.WithActor), whom the stores record as the author of the request's writes.
// A request to /query has a place for it in its scope, which it takes instead of a context
// layer.
func withVerdict(ctx context.Context, actor model.Actor, state authState, msg string) context.Context {
	if s := scopeFrom(ctx); s != nil {
		s.verdict = verdict{actor: actor, state: state, msg: msg}
	} else {
		ctx = context.WithValue(ctx, authKey{}, &verdict{actor: actor, state: state, msg: msg})
	}
	if state == authValid {
		ctx = model.WithActor(ctx, actor)
	}
	return ctx
}

// verdictFrom is the verdict withVerdict recorded; none reads as no credential.
func verdictFrom(ctx context.Context) verdict {
	if v, _ := ctx.Value(authKey{}).(*verdict); v != nil {
		return *v
	}
	return verdict{}
}

// withAuth judges each request's Authorization header and records the verdict; with reads
// protected, a request without a valid credential is answered 401 before anything else is
// read of it (OPTIONS, which carries no operation, is let through).
func (a *authenticator) withAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var (
			actor model.Actor
			state authState
			msg   string
		)
		if hs := r.Header.Values("Authorization"); len(hs) > 1 {
			state, msg = authInvalid, "the request has more than one Authorization header: send one"
		} else {
			actor, state, msg = a.authenticate(r.Header.Get("Authorization"))
		}
		if refusal, ok := a.admit(state, msg); !ok && r.Method != http.MethodOptions {
			w.Header().Set("WWW-Authenticate", `Bearer realm="autograph"`)
			writeError(w, r, http.StatusUnauthorized, string(model.CodeUnauthenticated), refusal)
			return
		}
		if ctx := withVerdict(r.Context(), actor, state, msg); ctx != r.Context() {
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	})
}

// requireCredentials refuses an operation, before any of it runs, that its verdict does not
// allow: any operation without a valid credential when reads are protected, and a mutation
// without a credential whose role may write.
func (a *authenticator) requireCredentials() graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		oc := graphql.GetOperationContext(ctx)
		v := verdictFrom(ctx)
		code, msg := model.CodeUnauthenticated, ""
		if refusal, ok := a.admit(v.state, v.msg); !ok {
			msg = refusal
		} else if oc.Operation != nil && oc.Operation.Operation == ast.Mutation {
			switch {
			case !a.writesEnabled():
				msg = "writes are disabled on this server: set KG_WRITE_TOKEN (or KG_WRITE_TOKEN_FILE), or a JWT key (KG_JWT_KEY_FILE or KG_JWT_JWKS_FILE), to enable them"
			case v.state == authNone:
				msg = "mutations need a write token: send the header Authorization: Bearer <token>"
				if a.jwt != nil {
					msg = "mutations need a write token or a JWT: send the header Authorization: Bearer <token>"
				}
			case v.state == authInvalid:
				msg = v.msg
			case !v.actor.Role.CanWrite():
				code = model.CodeForbidden
				msg = fmt.Sprintf("the token gives the role %s, which may read but not write: mutations need the role curator or admin", v.actor.Role)
			}
		}
		if msg == "" {
			return next(ctx)
		}
		err := &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": string(code)}}
		if rec := recordFrom(ctx); rec != nil {
			rec.set(operationName(oc), []string{string(code)})
		}
		return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{err}})
	}
}
