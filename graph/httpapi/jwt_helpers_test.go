package httpapi_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/autograph-kg/autograph/graph/httpapi"
	"github.com/autograph-kg/autograph/graph/httpapi/apitest"
	"github.com/autograph-kg/autograph/graph/inmem"
	"github.com/autograph-kg/autograph/graph/model"
)

// testKey is a signing key made for a test, with its public half as a key file and as a JWK.
type testKey struct {
	name    string
	method  jwt.SigningMethod
	private any    // what signs
	keyFile []byte // what KG_JWT_KEY_FILE would hold
	jwk     map[string]any
}

func (k testKey) sign(t *testing.T, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(k.method, claims)
	if kid, ok := k.jwk["kid"].(string); ok {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(k.private)
	if err != nil {
		t.Fatalf("signing with %s: %v", k.name, err)
	}
	return s
}

func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func pemPublic(t *testing.T, pub any) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// rsaKeyOnce shares one RSA key between the tests of the package: generating one takes a
// noticeable time under -race.
var rsaKeyOnce = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

// newTestKeys makes one key of each supported type; kid, when set, names them in their JWKs
// (and in the tokens they sign) as kid-<type>.
func newTestKeys(t *testing.T, kid bool) []testKey {
	t.Helper()
	rsaKey, err := rsaKeyOnce()
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	edPub, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		t.Fatal(err)
	}
	hexSecret := []byte(hex.EncodeToString(secret))
	ecBytes, err := ecKey.PublicKey.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	keys := []testKey{
		{"RSA", jwt.SigningMethodRS256, rsaKey, pemPublic(t, &rsaKey.PublicKey), map[string]any{
			"kty": "RSA", "n": b64url(rsaKey.N.Bytes()), "e": b64url(big.NewInt(int64(rsaKey.E)).Bytes())}},
		{"ECDSA", jwt.SigningMethodES256, ecKey, pemPublic(t, &ecKey.PublicKey), map[string]any{
			"kty": "EC", "crv": "P-256", "x": b64url(ecBytes[1:33]), "y": b64url(ecBytes[33:])}},
		{"Ed25519", jwt.SigningMethodEdDSA, edKey, pemPublic(t, edPub), map[string]any{
			"kty": "OKP", "crv": "Ed25519", "x": b64url(edPub)}},
		{"HMAC", jwt.SigningMethodHS256, hexSecret, append(hexSecret, '\n'), map[string]any{
			"kty": "oct", "k": b64url(hexSecret)}},
	}
	if kid {
		for _, k := range keys {
			k.jwk["kid"] = "kid-" + k.name
		}
	}
	return keys
}

// jwksFile writes the keys' JWKs as a JWK Set in a temporary directory.
func jwksFile(t *testing.T, keys ...testKey) string {
	t.Helper()
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	for _, k := range keys {
		set.Keys = append(set.Keys, k.jwk)
	}
	b, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// claims are a token's claims: a subject, a role, an expiry an hour away, and more.
func claims(sub, role string, more ...any) jwt.MapClaims {
	c := jwt.MapClaims{"exp": time.Now().Add(time.Hour).Unix()}
	if sub != "" {
		c["sub"] = sub
	}
	if role != "" {
		c["role"] = role
	}
	for i := 0; i+1 < len(more); i += 2 {
		if more[i+1] == nil {
			delete(c, more[i].(string))
			continue
		}
		c[more[i].(string)] = more[i+1]
	}
	return c
}

// actorStore is the embedded store, recording who the context says made each source upsert:
// the actor a store records with its revision.
type actorStore struct {
	model.Store
	mu     sync.Mutex
	actors map[string]model.Actor // by source id
}

func (s *actorStore) UpsertSource(ctx context.Context, src *model.Source) (*model.Source, error) {
	s.mu.Lock()
	s.actors[src.ID] = model.ActorFrom(ctx)
	s.mu.Unlock()
	return s.Store.UpsertSource(ctx, src)
}

func (s *actorStore) actor(id string) (model.Actor, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.actors[id]
	return a, ok
}

// newActorServer serves the seeded embedded store through the real handler, recording the
// actor of every source upsert.
func newActorServer(t *testing.T, opts httpapi.Options) (*httptest.Server, *actorStore) {
	t.Helper()
	store := &actorStore{Store: inmem.New(), actors: map[string]model.Actor{}}
	return apitest.NewSeededServer(t, opts, store), store
}

// upsertSourceQuery records a source with the given id.
func upsertSourceQuery(id string) (string, map[string]any) {
	return `mutation($id: ID!) { upsertSource(input: {id: $id, title: "Example report", publishedOn: "2024-03-01", publisher: "tass"}) { id } }`,
		map[string]any{"id": id}
}
