package httpapi_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	neturl "net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/autograph-kg/autograph/graph/model"
)

const token = "curator-secret-1"

const upsertSource = `mutation { upsertSource(input: {id: "example-report-2024", title: "Example report", publishedOn: "2024-03-01", publisher: "tass"}) { id } }`

func TestWritesNeedAToken(t *testing.T) {
	t.Run("writes disabled without configured tokens", func(t *testing.T) {
		srv := apitest.NewServer(t, httpapi.Options{})
		resp := apitest.PostAs(t, srv.URL, "Bearer anything", upsertSource, nil)
		if len(resp.Errors) != 1 || resp.Errors[0].Code() != "UNAUTHENTICATED" || !strings.Contains(resp.Errors[0].Message, "KG_WRITE_TOKEN") {
			t.Errorf("errors %+v, want UNAUTHENTICATED saying how to enable writes", resp.Errors)
		}
	})
	srv := apitest.NewServer(t, httpapi.Options{WriteTokens: []string{"other-token", token}})
	for _, tc := range []struct{ name, auth, want string }{
		{"missing", "", "Authorization: Bearer"},
		{"wrong", "Bearer nope", "not valid"},
		{"wrong scheme", "Basic " + token, "not valid"},
		{"empty bearer", "Bearer ", "not valid"},
		{"a JWT, with no JWT key configured", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "not configured to accept JWTs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := apitest.PostAs(t, srv.URL, tc.auth, upsertSource, nil)
			if len(resp.Errors) != 1 || resp.Errors[0].Code() != "UNAUTHENTICATED" || !strings.Contains(resp.Errors[0].Message, tc.want) {
				t.Errorf("errors %+v, want UNAUTHENTICATED mentioning %q", resp.Errors, tc.want)
			}
			check := apitest.PostAs(t, srv.URL, "", `{ source(id: "example-report-2024") { id } }`, nil)
			if string(check.Data) != `{"source":null}` {
				t.Errorf("refused write left a trace: %s", check.Data)
			}
		})
	}
	t.Run("right token, any case of Bearer", func(t *testing.T) {
		resp := apitest.PostAs(t, srv.URL, "bearer "+token, upsertSource, nil)
		if len(resp.Errors) > 0 {
			t.Fatalf("errors %+v", resp.Errors)
		}
	})
	t.Run("reads stay open", func(t *testing.T) {
		resp := apitest.PostAs(t, srv.URL, "Bearer nope", `{ organization(id: "avtotor") { name } }`, nil)
		if len(resp.Errors) > 0 || string(resp.Data) != `{"organization":{"name":"Avtotor"}}` {
			t.Errorf("data %s errors %+v", resp.Data, resp.Errors)
		}
	})
	t.Run("no mutations over GET", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/query?query=" + strings.ReplaceAll(`mutation{removeRelation(id:"avtotor-assembles-kia")}`, " ", ""))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode < 400 || resp.StatusCode >= 500 {
			t.Errorf("status %d, want a 4xx", resp.StatusCode)
		}
	})
}

// TestWriteTokensNameTheirWrites checks that the actor a store reads from the context of a
// write is the name of the token that made it, and "unnamed" for a token without a name.
func TestWriteTokensNameTheirWrites(t *testing.T) {
	srv, store := newActorServer(t, httpapi.Options{
		WriteTokens: []string{"bare-token-0000000001"},
		Auth: httpapi.AuthConfig{Tokens: []httpapi.WriteToken{
			{Name: "alice", Token: "alice-token-00000001"},
			{Name: "bob@example.com", Token: "bob-token-0000000001"},
			{Name: model.UnnamedTokenActor, Token: "file-token-000000001"},
		}},
	})
	for _, tc := range []struct {
		token string
		want  model.Actor
	}{
		{"alice-token-00000001", model.Actor{Name: "alice", Role: model.RoleCurator, Via: "token"}},
		{"bob-token-0000000001", model.Actor{Name: "bob@example.com", Role: model.RoleCurator, Via: "token"}},
		{"bare-token-0000000001", model.Actor{Name: "unnamed", Role: model.RoleCurator, Via: "token"}},
		{"file-token-000000001", model.Actor{Name: "unnamed", Role: model.RoleCurator, Via: "token"}},
	} {
		t.Run(tc.want.Name, func(t *testing.T) {
			id := "report-" + strings.ReplaceAll(strings.ReplaceAll(tc.token, "-", ""), "0", "")
			q, vars := upsertSourceQuery(id)
			if resp := apitest.PostAs(t, srv.URL, "Bearer "+tc.token, q, vars); len(resp.Errors) > 0 {
				t.Fatalf("errors %+v", resp.Errors)
			}
			if got, ok := store.actor(id); !ok || got != tc.want {
				t.Errorf("the store saw actor %+v (%v), want %+v", got, ok, tc.want)
			}
		})
	}
}

// TestJWTs signs tokens with a key of each type, configured as a key file and as a JWKS file,
// and checks what each token may do and what the store records as its actor.
func TestJWTs(t *testing.T) {
	for _, source := range []string{"key file", "JWKS"} {
		for _, key := range newTestKeys(t, source == "JWKS") {
			t.Run(source+"/"+key.name, func(t *testing.T) {
				t.Parallel()
				var keys *httpapi.JWTKeys
				var err error
				if source == "JWKS" {
					b, _ := os.ReadFile(jwksFile(t, key))
					keys, err = httpapi.ParseJWKS(b)
				} else {
					keys, err = httpapi.ParseJWTKey(key.keyFile)
				}
				if err != nil {
					t.Fatalf("parsing the %s: %v", source, err)
				}
				jwtCases(t, key, keys)
			})
		}
	}
}

func jwtCases(t *testing.T, key testKey, keys *httpapi.JWTKeys) {
	srv, store := newActorServer(t, httpapi.Options{
		WriteTokens: []string{"a-plain-write-token-01"},
		Auth: httpapi.AuthConfig{JWT: &httpapi.JWTConfig{
			Keys: keys, Issuer: "https://id.example.com", Audiences: []string{"autograph", "kg"},
		}},
	})
	// good are the claims of a token this server accepts, with the role given.
	good := func(sub, role string, more ...any) jwt.MapClaims {
		return claims(sub, role, append([]any{"iss", "https://id.example.com", "aud", []string{"other", "kg"}}, more...)...)
	}
	other := newTestKeys(t, false)
	otherKey := other[0]
	for _, k := range other {
		if k.name == key.name {
			otherKey = k
		}
	}
	if key.name == "RSA" {
		// The package shares one RSA key; a second one is made here, once.
		otherKey.private, otherKey.method = mustRSA(t), jwt.SigningMethodRS256
	}
	otherKey.jwk = map[string]any{} // no kid
	var wrongAlg jwt.SigningMethod = jwt.SigningMethodHS256
	var wrongAlgKey any = key.keyFile // an HMAC signature keyed with the public key's PEM
	if key.name == "HMAC" {
		// A secret takes every HS algorithm and nothing else.
		wrongAlg, wrongAlgKey = jwt.SigningMethodRS256, nil
	}
	sign := func(c jwt.MapClaims) string { return key.sign(t, c) }

	for i, tc := range []struct {
		name  string
		token func() string
		code  string // "" for success
		want  string // in the message; on success, the actor's name
		role  model.Role
	}{
		{"curator", func() string { return sign(good("alice", "curator")) }, "", "alice", model.RoleCurator},
		{"admin among other roles", func() string { return sign(good("root", "", "role", []string{"viewer", "admin", "curator"})) }, "", "root", model.RoleAdmin},
		{"roles in one string", func() string { return sign(good("carol", "reader Curator")) }, "", "carol", model.RoleCurator},
		{"an expiry just past, within the leeway", func() string { return sign(good("dave", "curator", "exp", time.Now().Add(-5*time.Second).Unix())) }, "", "dave", model.RoleCurator},
		{"reader", func() string { return sign(good("rita", "reader")) }, "FORBIDDEN", "role reader, which may read but not write", ""},
		{"no role is a reader", func() string { return sign(good("nobody", "")) }, "FORBIDDEN", "role reader", ""},
		{"an unknown role is a reader", func() string { return sign(good("sam", "superuser")) }, "FORBIDDEN", "role reader", ""},
		{"expired", func() string { return sign(good("eve", "curator", "exp", time.Now().Add(-time.Hour).Unix())) }, "UNAUTHENTICATED", "the token has expired", ""},
		{"no expiry", func() string { return sign(good("eve", "curator", "exp", nil)) }, "UNAUTHENTICATED", "no expiry (exp)", ""},
		{"not valid yet", func() string { return sign(good("eve", "curator", "nbf", time.Now().Add(time.Hour).Unix())) }, "UNAUTHENTICATED", "not valid yet", ""},
		{"wrong issuer", func() string { return sign(good("eve", "curator", "iss", "https://evil.example.com")) }, "UNAUTHENTICATED", "issuer (iss) is not the one", ""},
		{"no issuer", func() string { return sign(good("eve", "curator", "iss", nil)) }, "UNAUTHENTICATED", "names no issuer", ""},
		{"wrong audience", func() string { return sign(good("eve", "curator", "aud", "someone-else")) }, "UNAUTHENTICATED", "audience (aud) is not one", ""},
		{"no audience", func() string { return sign(good("eve", "curator", "aud", nil)) }, "UNAUTHENTICATED", "names no audience", ""},
		{"exp not a number", func() string { return sign(good("eve", "curator", "exp", "tomorrow")) }, "UNAUTHENTICATED", "must be numbers", ""},
		{"no subject", func() string { return sign(good("", "curator")) }, "UNAUTHENTICATED", `claim "sub" is missing`, ""},
		{"wrong key", func() string { return otherKey.sign(t, good("mallory", "curator")) }, "UNAUTHENTICATED", "signature does not match the configured key", ""},
		{"tampered claims", func() string {
			parts := strings.Split(sign(good("mallory", "reader")), ".")
			forged := strings.Split(sign(good("mallory", "admin")), ".")
			return parts[0] + "." + forged[1] + "." + parts[2]
		}, "UNAUTHENTICATED", "signature does not match", ""},
		{"wrong algorithm", func() string {
			if wrongAlgKey == nil {
				wrongAlgKey, _ = rsaKeyOnce()
			}
			s, err := jwt.NewWithClaims(wrongAlg, good("mallory", "admin")).SignedString(wrongAlgKey)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}, "UNAUTHENTICATED", "which the configured key does not accept", ""},
		{"alg none", func() string {
			s, err := jwt.NewWithClaims(jwt.SigningMethodNone, good("mallory", "admin")).SignedString(jwt.UnsafeAllowNoneSignatureType)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}, "UNAUTHENTICATED", "not signed", ""},
		{"garbage in JWT shape", func() string { return "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2lnbmF0dXJl" }, "UNAUTHENTICATED", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := tc.token()
			id := fmt.Sprintf("jwt-report-%d", i)
			q, vars := upsertSourceQuery(id)
			resp := apitest.PostAs(t, srv.URL, "Bearer "+raw, q, vars)
			if tc.code == "" {
				if len(resp.Errors) > 0 {
					t.Fatalf("errors %+v", resp.Errors)
				}
				want := model.Actor{Name: tc.want, Role: tc.role, Via: "jwt"}
				if got, ok := store.actor(id); !ok || got != want {
					t.Errorf("the store saw actor %+v (%v), want %+v", got, ok, want)
				}
				return
			}
			if len(resp.Errors) != 1 || resp.Errors[0].Code() != tc.code || !strings.Contains(resp.Errors[0].Message, tc.want) {
				t.Fatalf("errors %+v, want %s mentioning %q", resp.Errors, tc.code, tc.want)
			}
			msg := resp.Errors[0].Message
			for _, leak := range []string{raw, "token is malformed", "keyfunc", "crypto/", "verification error"} {
				if strings.Contains(msg, leak) {
					t.Errorf("message %q shows %q", msg, leak)
				}
			}
			if _, ok := store.actor(id); ok {
				t.Errorf("a refused mutation reached the store")
			}
		})
	}
	t.Run("a reader may read", func(t *testing.T) {
		resp := apitest.PostAs(t, srv.URL, "Bearer "+sign(good("rita", "reader")), `{ organization(id: "avtotor") { name } }`, nil)
		if len(resp.Errors) > 0 || string(resp.Data) != `{"organization":{"name":"Avtotor"}}` {
			t.Errorf("data %s errors %+v", resp.Data, resp.Errors)
		}
	})
	t.Run("write tokens still work beside JWTs", func(t *testing.T) {
		q, vars := upsertSourceQuery("token-beside-jwt")
		if resp := apitest.PostAs(t, srv.URL, "Bearer a-plain-write-token-01", q, vars); len(resp.Errors) > 0 {
			t.Fatalf("errors %+v", resp.Errors)
		}
	})
}

func mustRSA(t *testing.T) any {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestJWTClaimSettings checks the actor and role claims that are not the defaults: a dotted
// path into nested objects, and a claim whose own name has dots in it.
func TestJWTClaimSettings(t *testing.T) {
	key := newTestKeys(t, false)[2] // Ed25519
	keys, err := httpapi.ParseJWTKey(key.keyFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, actorClaim, roleClaim string
		claims                      jwt.MapClaims
		want                        model.Actor
		code                        string
	}{
		{"nested roles", "preferred_username", "realm_access.roles",
			claims("0b6f", "", "preferred_username", "alice", "realm_access", map[string]any{"roles": []string{"offline_access", "curator"}}),
			model.Actor{Name: "alice", Role: model.RoleCurator, Via: "jwt"}, ""},
		{"a namespaced claim", "email", "https://kg.example.com/roles",
			claims("0b6f", "", "email", "bob@example.com", "https://kg.example.com/roles", []string{"admin"}),
			model.Actor{Name: "bob@example.com", Role: model.RoleAdmin, Via: "jwt"}, ""},
		{"nested roles, reader", "sub", "realm_access.roles",
			claims("carol", "curator", "realm_access", map[string]any{"roles": []string{"reader"}}),
			model.Actor{}, "FORBIDDEN"},
		{"actor claim not a string", "uid", "role", claims("carol", "curator", "uid", 42), model.Actor{}, "UNAUTHENTICATED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, store := newActorServer(t, httpapi.Options{Auth: httpapi.AuthConfig{JWT: &httpapi.JWTConfig{
				Keys: keys, ActorClaim: tc.actorClaim, RoleClaim: tc.roleClaim}}})
			q, vars := upsertSourceQuery("claims-report")
			resp := apitest.PostAs(t, srv.URL, "Bearer "+key.sign(t, tc.claims), q, vars)
			if tc.code != "" {
				if len(resp.Errors) != 1 || resp.Errors[0].Code() != tc.code {
					t.Fatalf("errors %+v, want %s", resp.Errors, tc.code)
				}
				return
			}
			if len(resp.Errors) > 0 {
				t.Fatalf("errors %+v", resp.Errors)
			}
			if got, _ := store.actor("claims-report"); got != tc.want {
				t.Errorf("actor %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestJWKSKeyIDs checks that with several keys in a JWKS, a token's kid picks its key, and a
// kid that names none is refused.
func TestJWKSKeyIDs(t *testing.T) {
	keys := newTestKeys(t, true)
	b, err := os.ReadFile(jwksFile(t, keys...))
	if err != nil {
		t.Fatal(err)
	}
	set, err := httpapi.ParseJWKS(b)
	if err != nil {
		t.Fatal(err)
	}
	if set.Len() != 4 {
		t.Errorf("%d keys, want 4", set.Len())
	}
	srv, _ := newActorServer(t, httpapi.Options{Auth: httpapi.AuthConfig{JWT: &httpapi.JWTConfig{Keys: set}}})
	for _, k := range keys {
		q, vars := upsertSourceQuery("kid-report")
		if resp := apitest.PostAs(t, srv.URL, "Bearer "+k.sign(t, claims("alice", "curator")), q, vars); len(resp.Errors) > 0 {
			t.Errorf("%s: errors %+v", k.name, resp.Errors)
		}
	}
	stranger := keys[1]
	stranger.jwk = map[string]any{"kid": "kid-unknown"}
	q, vars := upsertSourceQuery("kid-report")
	resp := apitest.PostAs(t, srv.URL, "Bearer "+stranger.sign(t, claims("alice", "curator")), q, vars)
	if len(resp.Errors) != 1 || resp.Errors[0].Code() != "UNAUTHENTICATED" || !strings.Contains(resp.Errors[0].Message, "key id (kid)") {
		t.Errorf("errors %+v, want UNAUTHENTICATED about the kid", resp.Errors)
	}
}

// TestReadAuth checks KG_READ_AUTH: on, every /query request needs a valid credential, of
// any role; off, reads are open. The health endpoints stay open either way.
func TestReadAuth(t *testing.T) {
	key := newTestKeys(t, false)[1] // ECDSA
	keys, err := httpapi.ParseJWTKey(key.keyFile)
	if err != nil {
		t.Fatal(err)
	}
	const read = `{ organization(id: "avtotor") { name } }`
	const answer = `{"organization":{"name":"Avtotor"}}`
	reader := "Bearer " + key.sign(t, claims("rita", "reader"))
	expired := "Bearer " + key.sign(t, claims("rita", "reader", "exp", time.Now().Add(-time.Hour).Unix()))
	for _, on := range []bool{true, false} {
		srv := apitest.NewServer(t, httpapi.Options{Auth: httpapi.AuthConfig{
			ReadAuth: on,
			Tokens:   []httpapi.WriteToken{{Name: "alice", Token: "alice-token-00000001"}},
			JWT:      &httpapi.JWTConfig{Keys: keys},
		}})
		for _, tc := range []struct {
			name, auth string
			refused    bool   // with reads protected
			want       string // in the refusal
		}{
			{"no credential", "", true, "needs a credential for every request"},
			{"wrong token", "Bearer not-a-token-at-all", true, "the write token is not valid"},
			{"expired JWT", expired, true, "the token has expired"},
			{"write token", "Bearer alice-token-00000001", false, ""},
			{"reader JWT", reader, false, ""},
		} {
			t.Run(fmt.Sprintf("on=%v/%s", on, tc.name), func(t *testing.T) {
				for _, method := range []string{http.MethodPost, http.MethodGet} {
					status, resp := sendAs(t, method, srv.URL, tc.auth, read)
					if on && tc.refused {
						if status != http.StatusUnauthorized || len(resp.Errors) != 1 || resp.Errors[0].Code() != "UNAUTHENTICATED" || !strings.Contains(resp.Errors[0].Message, tc.want) || resp.Data != nil {
							t.Errorf("%s: status %d, data %s, errors %+v; want 401 UNAUTHENTICATED mentioning %q", method, status, resp.Data, resp.Errors, tc.want)
						}
						continue
					}
					if status != http.StatusOK || len(resp.Errors) > 0 || string(resp.Data) != answer {
						t.Errorf("%s: status %d, data %s, errors %+v", method, status, resp.Data, resp.Errors)
					}
				}
			})
		}
		t.Run(fmt.Sprintf("on=%v/health stays open", on), func(t *testing.T) {
			for _, path := range []string{"/healthz", "/readyz"} {
				resp, err := http.Get(srv.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("%s: status %d", path, resp.StatusCode)
				}
			}
		})
	}
	t.Run("a reader's mutation with reads protected", func(t *testing.T) {
		srv := apitest.NewServer(t, httpapi.Options{Auth: httpapi.AuthConfig{ReadAuth: true, JWT: &httpapi.JWTConfig{Keys: keys}}})
		resp := apitest.PostAs(t, srv.URL, reader, upsertSource, nil)
		if len(resp.Errors) != 1 || resp.Errors[0].Code() != "FORBIDDEN" {
			t.Errorf("errors %+v, want FORBIDDEN", resp.Errors)
		}
	})
}

// sendAs sends a query by POST or GET with an Authorization header (none when auth is "")
// and returns the status and the decoded answer.
func sendAs(t *testing.T, method, url, auth, query string) (int, apitest.Response) {
	t.Helper()
	var req *http.Request
	if method == http.MethodPost {
		body, _ := json.Marshal(map[string]any{"query": query})
		req = newRequest(t, method, url+"/query", "application/json", body)
	} else {
		req = newRequest(t, method, url+"/query?query="+neturl.QueryEscape(query), "", nil)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	raw := send(t, req)
	return raw.status, raw.decode(t)
}

// TestCredentialsAreNeverLogged sends good and bad tokens and JWTs, and reads the whole log.
func TestCredentialsAreNeverLogged(t *testing.T) {
	key := newTestKeys(t, false)[3] // HMAC
	keys, err := httpapi.ParseJWTKey(key.keyFile)
	if err != nil {
		t.Fatal(err)
	}
	srv := newObservedServer(t, httpapi.Options{Auth: httpapi.AuthConfig{
		Tokens: []httpapi.WriteToken{{Name: "alice", Token: "alice-token-secret-01"}},
		JWT:    &httpapi.JWTConfig{Keys: keys},
	}})
	good := key.sign(t, claims("carol", "curator"))
	expired := key.sign(t, claims("carol", "curator", "exp", time.Now().Add(-time.Hour).Unix()))
	secrets := []string{"alice-token-secret-01", "wrong-token-secret-02", good, expired, strings.TrimSpace(string(key.keyFile))}
	for _, s := range secrets[:4] {
		apitest.PostAs(t, srv.URL, "Bearer "+s, upsertSource, nil)
		apitest.PostAs(t, srv.URL, "Bearer "+s, `{ organization(id: "avtotor") { name } }`, nil)
	}
	logs := srv.logs.String()
	if !strings.Contains(logs, `"msg":"request"`) {
		t.Fatalf("no request lines were logged:\n%s", logs)
	}
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the log holds a credential (%.12s…)", s)
		}
		for _, part := range strings.Split(s, ".")[min(1, strings.Count(s, ".")):] {
			if len(part) > 20 && strings.Contains(logs, part) {
				t.Errorf("the log holds part of a credential (%.12s…)", part)
			}
		}
	}
}

func TestParseWriteToken(t *testing.T) {
	for _, tc := range []struct {
		entry, name, token, err string
	}{
		{"a-bare-token-of-some-length", "unnamed", "a-bare-token-of-some-length", ""},
		{"alice:a-token-of-some-length", "alice", "a-token-of-some-length", ""},
		{" ci.bot-1_x@example.com : tok:with:colons ", "ci.bot-1_x@example.com", "tok:with:colons", ""},
		{":a-token-without-a-name", "", "", "the name before ':' is empty"},
		{"al ice:a-token-of-some-length", "", "", "only letters, digits and . - _ @"},
		{"a/b:a-token-of-some-length", "", "", "only letters, digits and . - _ @"},
		{strings.Repeat("n", 65) + ":a-token-of-some-length", "", "", "at most 64"},
		{"alice:", "", "", `the token named "alice" is empty`},
	} {
		got, err := httpapi.ParseWriteToken(tc.entry)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParseWriteToken(%q): error %v, want one saying %q", tc.entry, err, tc.err)
		case tc.err != "" && strings.Contains(err.Error(), "token-of-some-length"):
			t.Errorf("ParseWriteToken(%q): the error %q repeats the token", tc.entry, err)
		case tc.err == "" && (err != nil || got.Name != tc.name || got.Token != tc.token):
			t.Errorf("ParseWriteToken(%q) = %+v, %v; want %s, %s", tc.entry, got, err, tc.name, tc.token)
		}
	}
}

func TestParseKeysRefusesWhatCannotVerify(t *testing.T) {
	keys := newTestKeys(t, false)
	rsaKey, err := rsaKeyOnce()
	if err != nil {
		t.Fatal(err)
	}
	privDER, err := x509.MarshalPKCS8PrivateKey(rsaKey)
	if err != nil {
		t.Fatal(err)
	}
	smallRSA, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		file []byte
		want string
	}{
		{"short secret", []byte("too-short\n"), "at least 32"},
		{"private key", pemBlock("PRIVATE KEY", privDER), "private key"},
		{"small RSA key", pemPublic(t, &smallRSA.PublicKey), "at least 2048"},
		{"unknown PEM block", pemBlock("X509 CRL", []byte{1, 2, 3}), "not a PUBLIC KEY"},
		{"broken PEM block", pemBlock("PUBLIC KEY", []byte{1, 2, 3}), "cannot be read"},
		{"a PEM header only", []byte("-----BEGIN PUBLIC KEY-----\nnope\n"), "no PEM block"},
	} {
		t.Run("key file/"+tc.name, func(t *testing.T) {
			_, err := httpapi.ParseJWTKey(tc.file)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
	for _, k := range keys {
		if _, err := httpapi.ParseJWTKey(k.keyFile); err != nil {
			t.Errorf("key file %s: %v", k.name, err)
		}
	}
	rsaJWK := keys[0].jwk
	with := func(m map[string]any, kv ...any) map[string]any {
		out := map[string]any{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1]
		}
		return out
	}
	for _, tc := range []struct {
		name string
		json string
		want string
	}{
		{"not JSON", `{"keys": [`, "not a JWK Set"},
		{"no keys", `{"keys": []}`, "no signing key"},
		{"only encryption keys", jsonOf(t, map[string]any{"keys": []any{with(rsaJWK, "use", "enc")}}), "no signing key"},
		{"unknown kty", `{"keys": [{"kty": "DSA", "kid": "k1"}]}`, `key 1 (kid "k1"): its key type (kty) "DSA"`},
		{"no kty", `{"keys": [{"n": "AQAB"}]}`, "no key type"},
		{"alg of another type", jsonOf(t, map[string]any{"keys": []any{with(rsaJWK, "alg", "HS256")}}), `alg "HS256" does not fit`},
		{"private part", jsonOf(t, map[string]any{"keys": []any{with(rsaJWK, "d", "AQAB")}}), "private key material"},
		{"short oct", `{"keys": [{"kty": "oct", "k": "c2hvcnQ"}]}`, "at least 32"},
		{"bad base64", `{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "***"}]}`, "not base64url"},
		{"EC point off the curve", jsonOf(t, map[string]any{"keys": []any{with(keys[1].jwk, "y", keys[1].jwk["x"])}}), "not on the curve"},
		{"unknown curve", jsonOf(t, map[string]any{"keys": []any{with(keys[1].jwk, "crv", "P-192")}}), "P-256, P-384 or P-521"},
	} {
		t.Run("JWKS/"+tc.name, func(t *testing.T) {
			_, err := httpapi.ParseJWKS([]byte(tc.json))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
	t.Run("JWKS/a bare key, and a pinned alg", func(t *testing.T) {
		set, err := httpapi.ParseJWKS([]byte(jsonOf(t, with(rsaJWK, "alg", "PS256"))))
		if err != nil || set.Len() != 1 || strings.Join(set.Algorithms(), ",") != "PS256" {
			t.Errorf("keys %v, %v; want one PS256 key", set, err)
		}
	})
}

func TestCheckClaimName(t *testing.T) {
	for _, ok := range []string{"sub", "preferred_username", "realm_access.roles", "https://kg.example.com/roles"} {
		if err := httpapi.CheckClaimName(ok); err != nil {
			t.Errorf("CheckClaimName(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "two words", "realm_access..roles", ".roles", "roles.", strings.Repeat("x", 201), "tab\there"} {
		if err := httpapi.CheckClaimName(bad); err == nil {
			t.Errorf("CheckClaimName(%q) accepted it", bad)
		}
	}
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRevisionsRecordTheActor writes through the real handler over the embedded store with a
// named token, an unnamed one and a JWT, and reads each write's revision back over the API:
// the actor the credential named is what history keeps.
func TestRevisionsRecordTheActor(t *testing.T) {
	key := newTestKeys(t, false)[2] // Ed25519
	keys, err := httpapi.ParseJWTKey(key.keyFile)
	if err != nil {
		t.Fatal(err)
	}
	srv := apitest.NewServer(t, httpapi.Options{
		WriteTokens: []string{"bare-token-0000000001"},
		Auth: httpapi.AuthConfig{
			Tokens: []httpapi.WriteToken{{Name: "alice", Token: "alice-token-00000001"}},
			JWT:    &httpapi.JWTConfig{Keys: keys},
		},
	})
	for _, tc := range []struct {
		id, auth, want string
	}{
		{"report-by-alice", "Bearer alice-token-00000001", `{"name":"alice","role":"CURATOR","via":"token"}`},
		{"report-by-unnamed", "Bearer bare-token-0000000001", `{"name":"unnamed","role":"CURATOR","via":"token"}`},
		{"report-by-jwt", "Bearer " + key.sign(t, claims("carol@example.com", "admin")), `{"name":"carol@example.com","role":"ADMIN","via":"jwt"}`},
	} {
		t.Run(tc.id, func(t *testing.T) {
			q, vars := upsertSourceQuery(tc.id)
			if resp := apitest.PostAs(t, srv.URL, tc.auth, q, vars); len(resp.Errors) > 0 {
				t.Fatalf("errors %+v", resp.Errors)
			}
			resp := apitest.PostAs(t, srv.URL, "", `query($id: ID!) { history(id: $id) { nodes { operation actor { name role via } } } }`, map[string]any{"id": tc.id})
			want := `{"history":{"nodes":[{"operation":"UPSERT_SOURCE","actor":` + tc.want + `}]}}`
			if len(resp.Errors) > 0 || string(resp.Data) != want {
				t.Errorf("history %s, errors %+v; want %s", resp.Data, resp.Errors, want)
			}
		})
	}
}
