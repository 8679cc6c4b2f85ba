package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/autograph-kg/autograph/graph/httpapi"
)

func tempFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestWriteTokensConfig(t *testing.T) {
	file := tempFile(t, "tokens", "# curators\nalice:alice-token-from-file\n\nbob@example.com: bob-token-from-the-file\nan-unnamed-file-token-1\n")
	got, err := writeTokens(envOf("KG_WRITE_TOKEN", "carol:carol-token-0000001, an-unnamed-env-token-01 ,", "KG_WRITE_TOKEN_FILE", file))
	if err != nil {
		t.Fatal(err)
	}
	want := []httpapi.WriteToken{
		{Name: "carol", Token: "carol-token-0000001"},
		{Name: "unnamed", Token: "an-unnamed-env-token-01"},
		{Name: "alice", Token: "alice-token-from-file"},
		{Name: "bob@example.com", Token: "bob-token-from-the-file"},
		{Name: "unnamed", Token: "an-unnamed-file-token-1"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("tokens %+v\nwant %+v", got, want)
	}
	if got, err := writeTokens(envOf("KG_WRITE_TOKEN", "alice:first-token-of-alice,alice:second-token-of-alice")); err != nil || len(got) != 2 {
		t.Errorf("two tokens of one name (a rotation): %d tokens, %v", len(got), err)
	}

	badFile := tempFile(t, "bad-tokens", "ok:a-good-token-in-the-file\nno good:a-secret-token-in-the-file\n")
	for _, tc := range []struct {
		name string
		env  []string
		want []string
	}{
		{"short", []string{"KG_WRITE_TOKEN", "alice:short-secret"}, []string{"KG_WRITE_TOKEN: token 1 is 12 characters long", "at least 16"}},
		{"bad name", []string{"KG_WRITE_TOKEN", "x:aaaaaaaaaaaaaaaa,al/ice:bbbbbbbbbbbbbbbb-secret"}, []string{"KG_WRITE_TOKEN: token 2: the name before ':' may hold only letters, digits and . - _ @"}},
		{"long name", []string{"KG_WRITE_TOKEN", strings.Repeat("a", 65) + ":bbbbbbbbbbbbbbbb-secret"}, []string{"at most 64"}},
		{"empty name", []string{"KG_WRITE_TOKEN", ":bbbbbbbbbbbbbbbb-secret"}, []string{"token 1: the name before ':' is empty"}},
		{"empty token", []string{"KG_WRITE_TOKEN", "alice:"}, []string{`token 1: the token named "alice" is empty`}},
		{"one token, two names", []string{"KG_WRITE_TOKEN", "alice:bbbbbbbbbbbbbbbb-secret,bob:bbbbbbbbbbbbbbbb-secret"}, []string{"token 2 is the same token as KG_WRITE_TOKEN: token 1 under another name (bob, not alice)"}},
		{"bad line in the file", []string{"KG_WRITE_TOKEN_FILE", badFile}, []string{"the token on line 2: the name before ':' may hold only"}},
		{"missing file", []string{"KG_WRITE_TOKEN_FILE", "/nonexistent/tokens"}, []string{"KG_WRITE_TOKEN_FILE"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := writeTokens(envOf(tc.env...))
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q, want it to say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q repeats a token", err)
			}
		})
	}
}

func TestJWTConfigFromEnv(t *testing.T) {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	pemFile := tempFile(t, "key.pem", string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})))
	jwks := tempFile(t, "jwks.json", `{"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "k1", "x": "`+base64.RawURLEncoding.EncodeToString(pub)+`"}]}`)
	secret := tempFile(t, "secret", "0123456789abcdef0123456789abcdef0123456789abcdef\n")

	if c, err := jwtConfig(envOf()); err != nil || c != nil {
		t.Errorf("no JWT settings: %+v, %v; want none", c, err)
	}
	c, err := jwtConfig(envOf("KG_JWT_KEY_FILE", pemFile, "KG_JWT_ISSUER", " https://id.example.com ", "KG_JWT_AUDIENCE", "autograph, kg,",
		"KG_JWT_ACTOR_CLAIM", "preferred_username", "KG_JWT_ROLE_CLAIM", "realm_access.roles"))
	if err != nil || c == nil || c.Keys.Len() != 1 || c.Issuer != "https://id.example.com" || !slices.Equal(c.Audiences, []string{"autograph", "kg"}) ||
		c.ActorClaim != "preferred_username" || c.RoleClaim != "realm_access.roles" {
		t.Errorf("key file and every setting: %+v, %v", c, err)
	}
	if c, err := jwtConfig(envOf("KG_JWT_JWKS_FILE", jwks)); err != nil || c.Keys.Len() != 1 || c.ActorClaim != "sub" || c.RoleClaim != "role" {
		t.Errorf("JWKS file, default claims: %+v, %v", c, err)
	}
	if c, err := jwtConfig(envOf("KG_JWT_KEY_FILE", secret)); err != nil || strings.Join(c.Keys.Algorithms(), ",") != "HS256,HS384,HS512" {
		t.Errorf("HMAC secret: %+v, %v", c, err)
	}
	for _, tc := range []struct {
		name string
		env  []string
		want string
	}{
		{"both key settings", []string{"KG_JWT_KEY_FILE", pemFile, "KG_JWT_JWKS_FILE", jwks}, "both set"},
		{"a setting without a key", []string{"KG_JWT_ISSUER", "https://id.example.com"}, "KG_JWT_ISSUER is set, but there is no key"},
		{"unreadable key file", []string{"KG_JWT_KEY_FILE", "/nonexistent/key.pem"}, "KG_JWT_KEY_FILE: open /nonexistent/key.pem"},
		{"a private key", []string{"KG_JWT_KEY_FILE", tempFile(t, "private.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")}, "is a private key"},
		{"short secret", []string{"KG_JWT_KEY_FILE", tempFile(t, "short", "secret\n")}, "at least 32"},
		{"bad JWKS", []string{"KG_JWT_JWKS_FILE", tempFile(t, "bad.json", `{"keys": [{"kty": "RSA"}]}`)}, `bad.json": key 1: it has no n`},
		{"JWKS not JSON", []string{"KG_JWT_JWKS_FILE", tempFile(t, "bad.json", `keys`)}, "not a JWK Set"},
		{"bad actor claim", []string{"KG_JWT_KEY_FILE", pemFile, "KG_JWT_ACTOR_CLAIM", "user name"}, `KG_JWT_ACTOR_CLAIM="user name": a claim name has no spaces`},
		{"bad role claim", []string{"KG_JWT_KEY_FILE", pemFile, "KG_JWT_ROLE_CLAIM", "realm_access..roles"}, `KG_JWT_ROLE_CLAIM="realm_access..roles"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := jwtConfig(envOf(tc.env...))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

func TestLoadConfigAuth(t *testing.T) {
	if c, err := loadConfig(envOf("KG_READ_AUTH", "false")); err != nil || c.Handler.Auth.ReadAuth {
		t.Errorf("KG_READ_AUTH=false, the documented default: %+v, %v", c.Handler.Auth, err)
	}
	c, err := loadConfig(envOf("KG_WRITE_TOKEN", "alice:alice-token-0000001", "KG_READ_AUTH", "true"))
	if err != nil || !c.Handler.Auth.ReadAuth || len(c.Handler.Auth.Tokens) != 1 || c.Handler.Auth.Tokens[0].Name != "alice" {
		t.Errorf("read auth with a named token: %+v, %v", c.Handler.Auth, err)
	}
	for _, tc := range []struct {
		name string
		env  []string
		want string
	}{
		{"read auth without credentials", []string{"KG_READ_AUTH", "true"}, "KG_READ_AUTH=true, but no credential is configured"},
		{"read auth not a bool", []string{"KG_READ_AUTH", "yes please"}, "KG_READ_AUTH"},
		{"a JWT setting without a key", []string{"KG_JWT_AUDIENCE", "kg"}, "KG_JWT_AUDIENCE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadConfig(envOf(tc.env...))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}
