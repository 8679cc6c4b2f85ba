package httpapi

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"

	"github.com/autograph-kg/autograph/graph/model"
)

// JWTs are verified against keys the server was given at start (a PEM public key, an HMAC
// secret, or a JWKS file): the server never fetches a key, so what it trusts is exactly what
// its operator configured. Each key accepts only the algorithms of its own type (an RSA key
// RS* and PS*, an ECDSA key the ES* of its curve, an Ed25519 key EdDSA, a secret HS*), and a
// token's algorithm is checked against them before anything else: "none" and an HMAC
// signature made with an RSA public key as its secret are refused by construction.

// JWTConfig configures JWT sign-in.
type JWTConfig struct {
	// Keys are the keys signatures are checked with (ParseJWTKey, ParseJWKS).
	Keys *JWTKeys
	// Issuer, when set, is the iss a token must carry.
	Issuer string
	// Audiences, when set, are the aud values of which a token must carry at least one.
	Audiences []string
	// ActorClaim names the claim whose string is the actor's name (default "sub").
	ActorClaim string
	// RoleClaim names the claim giving the role: a string (several roles may be separated by
	// spaces) or an array of strings; the highest of reader, curator and admin found wins,
	// and a token with none is a reader (default "role").
	RoleClaim string
}

// Claim defaults.
const (
	DefaultActorClaim = "sub"
	DefaultRoleClaim  = "role"
)

// jwtLeeway is the clock skew allowed when checking exp and nbf.
const jwtLeeway = 30 * time.Second

// minHMACSecret is the shortest accepted HMAC secret, in bytes: as long as an HS256 output.
const minHMACSecret = 32

// minRSABits is the smallest accepted RSA modulus.
const minRSABits = 2048

// JWTKeys is a set of verification keys.
type JWTKeys struct {
	keys []jwtKey
}

// jwtKey is one verification key and the algorithms it may verify.
type jwtKey struct {
	kid  string // "" when the key has no id
	algs []string
	key  any // *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey or []byte (HMAC)
}

// Algorithms lists the signature algorithms the keys accept, for the start-up log.
func (k *JWTKeys) Algorithms() []string {
	var out []string
	for _, key := range k.keys {
		for _, a := range key.algs {
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// Len is the number of keys.
func (k *JWTKeys) Len() int { return len(k.keys) }

var (
	rsaAlgs  = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}
	hmacAlgs = []string{"HS256", "HS384", "HS512"}
)

// ParseJWTKey reads a key file: PEM public keys (PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE
// blocks; RSA, ECDSA or Ed25519; several blocks give several keys), or else an HMAC secret,
// the file's content without surrounding white space. A private key is refused: the server
// needs only the public half.
func ParseJWTKey(data []byte) (*JWTKeys, error) {
	if !strings.Contains(string(data), "-----BEGIN") {
		secret := []byte(strings.TrimSpace(string(data)))
		if err := checkSecret(secret); err != nil {
			return nil, err
		}
		return &JWTKeys{keys: []jwtKey{{algs: hmacAlgs, key: secret}}}, nil
	}
	var keys JWTKeys
	for n := 1; ; n++ {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		var pub any
		var err error
		switch {
		case strings.Contains(block.Type, "PRIVATE KEY"):
			return nil, fmt.Errorf("PEM block %d is a private key: give the server the public key only (openssl pkey -in key.pem -pubout)", n)
		case block.Type == "PUBLIC KEY":
			pub, err = x509.ParsePKIXPublicKey(block.Bytes)
		case block.Type == "RSA PUBLIC KEY":
			pub, err = x509.ParsePKCS1PublicKey(block.Bytes)
		case block.Type == "CERTIFICATE":
			var cert *x509.Certificate
			if cert, err = x509.ParseCertificate(block.Bytes); err == nil {
				pub = cert.PublicKey
			}
		default:
			return nil, fmt.Errorf("PEM block %d is a %q, not a PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE", n, clip(block.Type, maxEchoed))
		}
		if err != nil {
			return nil, fmt.Errorf("PEM block %d (%s) cannot be read: %w", n, block.Type, err)
		}
		k, err := publicKey(pub)
		if err != nil {
			return nil, fmt.Errorf("PEM block %d: %w", n, err)
		}
		keys.keys = append(keys.keys, k)
	}
	if len(keys.keys) == 0 {
		return nil, errors.New("the file has a PEM header but no PEM block can be read from it")
	}
	return &keys, nil
}

// publicKey pins a public key to the algorithms of its type.
func publicKey(pub any) (jwtKey, error) {
	switch p := pub.(type) {
	case *rsa.PublicKey:
		if bits := p.N.BitLen(); bits < minRSABits {
			return jwtKey{}, fmt.Errorf("the RSA key has %d bits; at least %d are needed", bits, minRSABits)
		}
		return jwtKey{algs: rsaAlgs, key: p}, nil
	case *ecdsa.PublicKey:
		alg, ok := ecdsaAlg(p.Curve)
		if !ok {
			return jwtKey{}, errors.New("the ECDSA key is on a curve JWTs do not use: want P-256, P-384 or P-521")
		}
		return jwtKey{algs: []string{alg}, key: p}, nil
	case ed25519.PublicKey:
		return jwtKey{algs: []string{"EdDSA"}, key: p}, nil
	}
	return jwtKey{}, fmt.Errorf("a %T key cannot verify JWTs: want RSA, ECDSA or Ed25519", pub)
}

func ecdsaAlg(c elliptic.Curve) (string, bool) {
	switch c {
	case elliptic.P256():
		return "ES256", true
	case elliptic.P384():
		return "ES384", true
	case elliptic.P521():
		return "ES512", true
	}
	return "", false
}

func checkSecret(secret []byte) error {
	if len(secret) < minHMACSecret {
		return fmt.Errorf("the HMAC secret is %d bytes long; it needs at least %d (openssl rand -hex 32 makes one)", len(secret), minHMACSecret)
	}
	return nil
}

// jwk is one JSON Web Key (RFC 7517), the members this server reads.
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
	N   string `json:"n"`
	E   string `json:"e"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
	K   string `json:"k"`
	D   string `json:"d"`
}

// ParseJWKS reads a JWK Set ({"keys": [...]}, or one bare key): RSA, EC (P-256, P-384,
// P-521), OKP (Ed25519) and oct (HMAC) keys. A key's alg, when given, narrows it to that
// algorithm; keys for encryption ("use": "enc") are left out; private key material is
// refused.
func ParseJWKS(data []byte) (*JWTKeys, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
		Kty  string            `json:"kty"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("not a JWK Set (JSON with a \"keys\" array): %w", err)
	}
	if set.Keys == nil && set.Kty != "" {
		set.Keys = []json.RawMessage{data}
	}
	var keys JWTKeys
	for i, raw := range set.Keys {
		var j jwk
		if err := json.Unmarshal(raw, &j); err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		if j.Use != "" && j.Use != "sig" {
			continue
		}
		k, err := j.key()
		if err != nil {
			name := fmt.Sprintf("key %d", i+1)
			if j.Kid != "" {
				name += fmt.Sprintf(" (kid %q)", clip(j.Kid, maxEchoed))
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		keys.keys = append(keys.keys, k)
	}
	if len(keys.keys) == 0 {
		return nil, errors.New("the JWK Set holds no signing key")
	}
	return &keys, nil
}

// key turns the JWK into a verification key.
func (j jwk) key() (jwtKey, error) {
	var k jwtKey
	var err error
	if j.D != "" {
		return k, errors.New("it holds private key material (d): give the server the public keys only")
	}
	switch j.Kty {
	case "RSA":
		var n, e []byte
		if n, err = b64("n", j.N); err != nil {
			return k, err
		}
		if e, err = b64("e", j.E); err != nil {
			return k, err
		}
		if len(e) == 0 || len(e) > 4 {
			return k, errors.New("its exponent (e) is not a small positive number")
		}
		exp := int(new(big.Int).SetBytes(e).Int64())
		if exp < 3 {
			return k, errors.New("its exponent (e) is not a valid RSA exponent")
		}
		k, err = publicKey(&rsa.PublicKey{N: new(big.Int).SetBytes(n), E: exp})
	case "EC":
		var curve elliptic.Curve
		switch j.Crv {
		case "P-256":
			curve = elliptic.P256()
		case "P-384":
			curve = elliptic.P384()
		case "P-521":
			curve = elliptic.P521()
		default:
			return k, fmt.Errorf("its curve (crv) %q is not P-256, P-384 or P-521", clip(j.Crv, maxEchoed))
		}
		var x, y []byte
		if x, err = b64("x", j.X); err != nil {
			return k, err
		}
		if y, err = b64("y", j.Y); err != nil {
			return k, err
		}
		size := (curve.Params().BitSize + 7) / 8
		if len(x) != size || len(y) != size {
			return k, fmt.Errorf("its coordinates (x, y) are not %d bytes each, as %s needs", size, j.Crv)
		}
		pub, perr := ecdsa.ParseUncompressedPublicKey(curve, append(append([]byte{4}, x...), y...))
		if perr != nil {
			return k, errors.New("its point (x, y) is not on the curve")
		}
		k, err = publicKey(pub)
	case "OKP":
		if j.Crv != "Ed25519" {
			return k, fmt.Errorf("its curve (crv) %q is not Ed25519", clip(j.Crv, maxEchoed))
		}
		var x []byte
		if x, err = b64("x", j.X); err != nil {
			return k, err
		}
		if len(x) != ed25519.PublicKeySize {
			return k, fmt.Errorf("its public key (x) is %d bytes long, not %d", len(x), ed25519.PublicKeySize)
		}
		k, err = publicKey(ed25519.PublicKey(x))
	case "oct":
		var secret []byte
		if secret, err = b64("k", j.K); err != nil {
			return k, err
		}
		if err = checkSecret(secret); err == nil {
			k = jwtKey{algs: hmacAlgs, key: secret}
		}
	case "":
		return k, errors.New("it has no key type (kty)")
	default:
		return k, fmt.Errorf("its key type (kty) %q is not RSA, EC, OKP or oct", clip(j.Kty, maxEchoed))
	}
	if err != nil {
		return k, err
	}
	k.kid = j.Kid
	if j.Alg != "" {
		if !slices.Contains(k.algs, j.Alg) {
			return k, fmt.Errorf("its alg %q does not fit a key of this type (want one of %s)", clip(j.Alg, maxEchoed), strings.Join(k.algs, ", "))
		}
		k.algs = []string{j.Alg}
	}
	return k, nil
}

func b64(member, s string) ([]byte, error) {
	if s == "" {
		return nil, fmt.Errorf("it has no %s", member)
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return nil, fmt.Errorf("its %s is not base64url", member)
	}
	return b, nil
}

// CheckClaimName says whether name can name a claim: a claim's name as it stands in the
// token ("sub", "https://example.com/roles"), or a dotted path into nested objects
// ("realm_access.roles"), tried when no claim has the whole name.
func CheckClaimName(name string) error {
	switch {
	case name == "":
		return errors.New("the claim name is empty")
	case len(name) > 200:
		return errors.New("the claim name is longer than 200 characters")
	}
	for _, c := range name {
		if unicode.IsSpace(c) || unicode.IsControl(c) {
			return errors.New("a claim name has no spaces or control characters")
		}
	}
	if strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") || strings.Contains(name, "..") {
		return errors.New("a dotted claim path has a name between every two dots")
	}
	return nil
}

// jwtVerifier checks JWTs against a JWTConfig.
type jwtVerifier struct {
	keys       []jwtKey
	issuer     string
	audiences  []string
	actorClaim string
	roleClaim  string
}

// newJWTVerifier is nil when c configures no key.
func newJWTVerifier(c *JWTConfig) *jwtVerifier {
	if c == nil || c.Keys == nil || len(c.Keys.keys) == 0 {
		return nil
	}
	v := &jwtVerifier{keys: c.Keys.keys, issuer: c.Issuer, audiences: c.Audiences, actorClaim: c.ActorClaim, roleClaim: c.RoleClaim}
	if v.actorClaim == "" {
		v.actorClaim = DefaultActorClaim
	}
	if v.roleClaim == "" {
		v.roleClaim = DefaultRoleClaim
	}
	return v
}

// looksLikeJWT says whether s has the shape of a JWS compact serialisation: three base64url
// segments, the first a JSON object.
func looksLikeJWT(s string) bool {
	head, rest, ok := strings.Cut(s, ".")
	if !ok || strings.Count(rest, ".") != 1 {
		return false
	}
	h, err := base64.RawURLEncoding.DecodeString(head)
	return err == nil && len(h) > 1 && h[0] == '{'
}

// verify checks a JWT and says whom it speaks for; a refusal is a message for the person who
// sent it.
func (v *jwtVerifier) verify(raw string) (model.Actor, string) {
	var header struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	head, _, _ := strings.Cut(raw, ".")
	if h, err := base64.RawURLEncoding.DecodeString(head); err != nil || json.Unmarshal(h, &header) != nil {
		return model.Actor{}, "the token is not a well-formed JWT: its header cannot be read"
	}
	if header.Alg == "" || strings.EqualFold(header.Alg, "none") {
		return model.Actor{}, "the token is not signed (its alg is none): only signed JWTs are accepted"
	}
	var candidates []jwt.VerificationKey
	var algKnown bool
	for _, k := range v.keys {
		if !slices.Contains(k.algs, header.Alg) {
			continue
		}
		algKnown = true
		if header.Kid == "" || k.kid == "" || k.kid == header.Kid {
			candidates = append(candidates, k.key)
		}
	}
	switch {
	case !algKnown:
		return model.Actor{}, fmt.Sprintf("the token is signed with %s, which the configured key does not accept (it takes %s)",
			strconv.Quote(clip(header.Alg, 16)), strings.Join((&JWTKeys{keys: v.keys}).Algorithms(), ", "))
	case len(candidates) == 0:
		return model.Actor{}, "the token's key id (kid) names none of the configured keys"
	}
	opts := []jwt.ParserOption{jwt.WithValidMethods([]string{header.Alg}), jwt.WithLeeway(jwtLeeway), jwt.WithExpirationRequired()}
	if v.issuer != "" {
		opts = append(opts, jwt.WithIssuer(v.issuer))
	}
	if len(v.audiences) > 0 {
		opts = append(opts, jwt.WithAudience(v.audiences...))
	}
	claims := jwt.MapClaims{}
	_, err := jwt.NewParser(opts...).ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) {
		return jwt.VerificationKeySet{Keys: candidates}, nil
	})
	if err != nil {
		return model.Actor{}, v.refusal(err, claims)
	}
	name, ok := claimAt(claims, v.actorClaim).(string)
	if !ok || name == "" {
		return model.Actor{}, fmt.Sprintf("the token names no actor: its claim %q is missing or not a string", v.actorClaim)
	}
	if len(name) > 256 || !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return model.Actor{}, fmt.Sprintf("the token's claim %q is not a usable name: at most 256 bytes of text without control characters", v.actorClaim)
	}
	return model.Actor{Name: name, Role: roleOf(claimAt(claims, v.roleClaim)), Via: "jwt"}, ""
}

// refusal says in words why the parser refused a token whose claims it read.
func (v *jwtVerifier) refusal(err error, claims jwt.MapClaims) string {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "the token is not a well-formed JWT"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return "the token's signature does not match the configured key"
	case errors.Is(err, jwt.ErrTokenExpired):
		return "the token has expired"
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return "the token is not valid yet: its nbf (not before) is in the future"
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return "the token's issuer (iss) is not the one this server accepts"
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return "the token's audience (aud) is not one this server accepts"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		switch {
		case claims["exp"] == nil:
			return "the token has no expiry (exp): this server accepts only JWTs that expire"
		case len(v.audiences) > 0 && claims["aud"] == nil:
			return "the token names no audience (aud), and this server accepts only JWTs meant for it"
		default:
			return "the token names no issuer (iss), and this server accepts only JWTs from its issuer"
		}
	case errors.Is(err, jwt.ErrInvalidType):
		return "the token's claims are not valid: exp, nbf and iat must be numbers, iss a string and aud a string or an array of strings"
	}
	return "the token is not valid"
}

// claimAt is the claim named name, or, when there is none, the value at the dotted path
// name in nested objects; nil when neither is there.
func claimAt(claims map[string]any, name string) any {
	if v, ok := claims[name]; ok {
		return v
	}
	var cur any = claims
	for _, part := range strings.Split(name, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

// roleOf is the highest known role a role claim names (a string of space-separated roles, or
// an array of strings), or reader.
func roleOf(claim any) model.Role {
	rank := map[model.Role]int{model.RoleReader: 0, model.RoleCurator: 1, model.RoleAdmin: 2}
	best := model.RoleReader
	consider := func(s string) {
		r := model.Role(strings.ToLower(s))
		if n, ok := rank[r]; ok && n > rank[best] {
			best = r
		}
	}
	switch c := claim.(type) {
	case string:
		for _, f := range strings.Fields(c) {
			consider(f)
		}
	case []any:
		for _, e := range c {
			if s, ok := e.(string); ok {
				consider(s)
			}
		}
	}
	return best
}
