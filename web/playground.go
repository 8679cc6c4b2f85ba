package web

import (
	"net/http"
	"strings"
)

// cdnAsset is a file GraphiQL needs from its CDN, with its Subresource Integrity hash, so a
// changed file on the CDN is refused rather than run.
type cdnAsset struct {
	URL       string `json:"url"`
	Integrity string `json:"integrity"`
	Kind      string `json:"kind"` // "script" or "style"
}

// graphiQLAssets are the files gqlgen's own playground page loads (GraphiQL 4.1.2 on React
// 18.2.0 from jsDelivr), in the order the scripts must run. A test keeps them equal to what
// the gqlgen in go.mod serves, so an upgrade that changes them fails until this list follows.
var graphiQLAssets = []cdnAsset{
	{"https://cdn.jsdelivr.net/npm/graphiql@4.1.2/graphiql.min.css", "sha256-MEh+B2NdMSpj9kexQNN3QKc8UzMrCXW/Sx/phcpuyIU=", "style"},
	{"https://cdn.jsdelivr.net/npm/react@18.2.0/umd/react.production.min.js", "sha256-S0lp+k7zWUMk2ixteM6HZvu8L9Eh//OVrt+ZfbCpmgY=", "script"},
	{"https://cdn.jsdelivr.net/npm/react-dom@18.2.0/umd/react-dom.production.min.js", "sha256-IXWO0ITNDjfnNXIu5POVfqlgYoop36bDzhodR6LW5Pc=", "script"},
	{"https://cdn.jsdelivr.net/npm/graphiql@4.1.2/graphiql.min.js", "sha256-hnImuor1znlJkD/FOTL3jayfS/xsyNoP04abi8bFJWs=", "script"},
}

// PlaygroundContentSecurityPolicy is the policy sent with the page Playground serves: like
// ContentSecurityPolicy, but scripts and styles may also come from the exact GraphiQL files
// on the CDN, and images and fonts from data: URLs (GraphiQL's stylesheet carries its fonts
// and icons so). GraphiQL's dialogs add a <style> element to lock scrolling, which this policy
// refuses: the dialogs still work, the page behind them can still scroll.
func PlaygroundContentSecurityPolicy() string {
	var scripts, styles []string
	for _, a := range graphiQLAssets {
		if a.Kind == "style" {
			styles = append(styles, a.URL)
		} else {
			scripts = append(scripts, a.URL)
		}
	}
	return "default-src 'self'; script-src 'self' " + strings.Join(scripts, " ") + "; " +
		"style-src 'self' " + strings.Join(styles, " ") + "; " +
		"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; " +
		"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

// Playground serves the page at /: GraphiQL on /query, loaded from its CDN as gqlgen's
// playground does, with links to the query console and the explorer at the top at all times.
// When GraphiQL's files fail to load, or have not arrived after a few seconds (offline, or
// behind a proxy that blocks the CDN), the page says so in a sentence and links to the
// console, which is built into the binary, instead of showing "Loading…" for ever.
//
// Its script, stylesheet and icon are served by Handler, under /explore/assets/, so the two
// are mounted together. It answers GET and HEAD only, whatever the path: mount it at "GET /{$}".
func Playground() http.Handler {
	s, err := load()
	if err != nil {
		panic("web: " + err.Error())
	}
	return playground{page: s.playground, csp: PlaygroundContentSecurityPolicy()}
}

type playground struct {
	page asset
	csp  string
}

// ServeHTTP implements http.Handler.
func (pg playground) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", pg.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h.Set("Cache-Control", "no-cache")
	serve(w, r, pg.page)
}
