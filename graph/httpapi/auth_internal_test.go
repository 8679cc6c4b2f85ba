package httpapi

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/autograph-kg/autograph/graph/model"
)

// TestAuthenticatePutsTheActorInTheContext checks the plumbing every transport relies on:
// authenticate's verdict on a header value, and the context withAuth hands on, whose
// model.ActorFrom is what the stores record.
func TestAuthenticatePutsTheActorInTheContext(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := ParseJWTKey(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	if err != nil {
		t.Fatal(err)
	}
	sign := func(c jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c).SignedString(priv)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	exp := time.Now().Add(time.Hour).Unix()
	a := newAuthenticator([]string{"bare-token-0000000001"}, AuthConfig{
		Tokens: []WriteToken{{Name: "alice", Token: "alice-token-00000001"}},
		JWT:    &JWTConfig{Keys: keys},
	})
	system := model.SystemActor()
	for _, tc := range []struct {
		name, header string
		state        authState
		actor        model.Actor // what model.ActorFrom reads downstream
	}{
		{"no header", "", authNone, system},
		{"named token", "Bearer alice-token-00000001", authValid, model.Actor{Name: "alice", Role: model.RoleCurator, Via: "token"}},
		{"unnamed token", "Bearer bare-token-0000000001", authValid, model.Actor{Name: model.UnnamedTokenActor, Role: model.RoleCurator, Via: "token"}},
		{"curator JWT", "Bearer " + sign(jwt.MapClaims{"sub": "carol", "role": "curator", "exp": exp}), authValid, model.Actor{Name: "carol", Role: model.RoleCurator, Via: "jwt"}},
		{"reader JWT", "Bearer " + sign(jwt.MapClaims{"sub": "rita", "exp": exp}), authValid, model.Actor{Name: "rita", Role: model.RoleReader, Via: "jwt"}},
		{"expired JWT", "Bearer " + sign(jwt.MapClaims{"sub": "carol", "role": "admin", "exp": time.Now().Add(-time.Hour).Unix()}), authInvalid, system},
		{"wrong token", "Bearer alice-token-00000002", authInvalid, system},
		{"not Bearer", "Token alice-token-00000001", authInvalid, system},
	} {
		t.Run(tc.name, func(t *testing.T) {
			actor, state, msg := a.authenticate(tc.header)
			if state != tc.state || (state == authInvalid) != (msg != "") {
				t.Errorf("authenticate: state %v, message %q; want state %v, and a message only for a refusal", state, msg, tc.state)
			}
			if state == authValid && actor != tc.actor {
				t.Errorf("authenticate: actor %+v, want %+v", actor, tc.actor)
			}
			var got model.Actor
			var seen verdict
			h := a.withAuth(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				got, seen = model.ActorFrom(r.Context()), verdictFrom(r.Context())
			}))
			req := httptest.NewRequest(http.MethodPost, "/query", nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			h.ServeHTTP(httptest.NewRecorder(), req)
			if got != tc.actor || seen.state != tc.state {
				t.Errorf("downstream: actor %+v, state %v; want %+v, %v", got, seen.state, tc.actor, tc.state)
			}
		})
	}
	t.Run("two Authorization headers", func(t *testing.T) {
		var seen verdict
		h := a.withAuth(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { seen = verdictFrom(r.Context()) }))
		req := httptest.NewRequest(http.MethodPost, "/query", nil)
		req.Header.Add("Authorization", "Bearer alice-token-00000001")
		req.Header.Add("Authorization", "Bearer bare-token-0000000001")
		h.ServeHTTP(httptest.NewRecorder(), req)
		if seen.state != authInvalid {
			t.Errorf("state %v, want a refusal", seen.state)
		}
	})
	t.Run("admit", func(t *testing.T) {
		open := newAuthenticator(nil, AuthConfig{Tokens: []WriteToken{{Name: "x", Token: "x-token-000000000001"}}})
		closed := newAuthenticator(nil, AuthConfig{Tokens: []WriteToken{{Name: "x", Token: "x-token-000000000001"}}, ReadAuth: true})
		for _, state := range []authState{authNone, authInvalid, authValid} {
			if _, ok := open.admit(state, "why"); !ok {
				t.Errorf("reads open: state %v refused", state)
			}
			msg, ok := closed.admit(state, "why")
			if ok != (state == authValid) || (!ok && msg == "") || (state == authInvalid && msg != "why") {
				t.Errorf("reads protected: state %v: %q, %v", state, msg, ok)
			}
		}
	})
}

func TestLooksLikeJWT(t *testing.T) {
	for s, want := range map[string]bool{
		"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln": true,
		"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.":     true, // a JWT with an empty signature, refused later
		"a-long-random-curator-token":               false,
		"abc.def.ghi":                               false, // "abc" does not decode to a JSON object
		"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0":      false,
		"eyJhbGciOiJIUzI1NiJ9.a.b.c":                false,
	} {
		if got := looksLikeJWT(s); got != want {
			t.Errorf("looksLikeJWT(%q) = %v, want %v", s, got, want)
		}
	}
}
