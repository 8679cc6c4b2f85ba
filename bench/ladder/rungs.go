package main

import (
	"fmt"
	"strings"

	"github.com/autograph-kg/autograph/bench/benchkit"
)

// The explorer's queries, copied from web/static/assets/api.js with their fragments inlined,
// except that the relations page asks for 20 (first: 20) where the explorer asks for 100.
// They are copies rather than read from the file at run time so that a figure measured today
// and one measured next month ask the same thing; TestExplorerQueriesMatchTheApp fails when
// the explorer's text moves away from them, so the copy is updated on purpose.
const (
	sourceFragment = `fragment SourceFields on Source { id title url publishedOn dateline publisher { id name } }`

	relationFragment = `fragment RelationFields on Relation {
  id type status validFrom validTo quantity note
  from { id name kind }
  to { id name kind }
  sources { ...SourceFields }
}`

	explorerRelations = `query ExplorerRelations($id: ID!, $asOf: Date, $after: String, $knownAt: Time) {
  entity(id: $id, knownAt: $knownAt) {
    id
    relations(asOf: $asOf, first: 20, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...RelationFields } }
    }
  }
}
` + relationFragment + "\n" + sourceFragment

	explorerNeighborhood = `query ExplorerNeighborhood($id: ID!, $depth: Int, $types: [RelationType!], $asOf: Date, $limit: Int, $knownAt: Time) {
  neighborhood(id: $id, depth: $depth, types: $types, asOf: $asOf, limit: $limit, knownAt: $knownAt) {
    truncated
    nodes { id name kind }
    relations { id type status validFrom validTo from { id } to { id } sources { id publisher { name } } }
  }
}`

	explorerSearch = `query ExplorerSearch($q: String!, $knownAt: Time) {
  search(query: $q, first: 8, knownAt: $knownAt) { score entity { id name kind aliases } }
}`

	lookup = `{ organization(id: "avtotor") { name } }`

	hello = `{ hello }`
)

// server names the process a rung loads.
type server string

const (
	serverBare      server = "bare"      // bare net/http, a fixed 200-byte JSON answer
	serverMinimal   server = "minimal"   // the minimal gqlgen server (bench/ladder/minimal)
	serverAutograph server = "autograph" // the project's server, embedded store with the seed
)

// rung is one step of the ladder: a request mix sent to one server over a number of
// connections.
type rung struct {
	name   string
	what   string
	server server
	conns  int // 0: the -c flag
	qs     []benchkit.Question
}

func one(name, query string, vars map[string]any) []benchkit.Question {
	return []benchkit.Question{{Name: name, Weight: 1, Body: benchkit.RequestBody(query, vars)}}
}

// rungs is the ladder, bottom first. mix is the product questions with their weights.
func rungs(mix []benchkit.Question) []rung {
	relVars := map[string]any{"id": "avtotor", "asOf": nil, "after": nil}
	nbVars := map[string]any{"id": "avtotor", "depth": 2, "types": nil, "asOf": nil, "limit": 200}
	return []rung{
		{name: "bare", what: "bare net/http, fixed 200-byte JSON", server: serverBare, qs: one("bare", hello, nil)},
		{name: "minimal", what: "minimal gqlgen { hello }", server: serverMinimal, qs: one("hello", hello, nil)},
		{name: "lookup", what: `organization(id:"avtotor"){ name }`, server: serverAutograph, qs: one("lookup", lookup, nil)},
		{name: "explorer", what: "explorer relations page, first:20 (api.js RELATIONS)", server: serverAutograph, qs: one("explorer", explorerRelations, relVars)},
		{name: "neighborhood", what: "neighborhood depth 2, limit 200 (api.js NEIGHBORHOOD)", server: serverAutograph, qs: one("neighborhood", explorerNeighborhood, nbVars)},
		{name: "search", what: `search(query:"bai", first: 8) (api.js SEARCH)`, server: serverAutograph, qs: one("search", explorerSearch, map[string]any{"q": "bai"})},
		{name: "mix", what: "the load mix of bench/loadgen (graph/testdata/questions)", server: serverAutograph, qs: mix},
		{name: "lookup-1c", what: "lookup, one connection", server: serverAutograph, conns: 1, qs: one("lookup", lookup, nil)},
		{name: "explorer-1c", what: "explorer relations page, one connection", server: serverAutograph, conns: 1, qs: one("explorer", explorerRelations, relVars)},
	}
}

// ratios are the quotients the ladder prints: a rung over the rung below it that it is
// compared with.
var ratios = [][2]string{{"lookup", "minimal"}, {"explorer", "minimal"}, {"mix", "bare"}}

// pick keeps the rungs named in list (comma-separated); empty keeps all.
func pick(all []rung, list string) ([]rung, error) {
	if strings.TrimSpace(list) == "" {
		return all, nil
	}
	var out []rung
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSpace(n)
		found := false
		for _, r := range all {
			if r.name == n {
				out, found = append(out, r), true
			}
		}
		if !found {
			var names []string
			for _, r := range all {
				names = append(names, r.name)
			}
			return nil, fmt.Errorf("-rungs: no rung %q (rungs: %s)", n, strings.Join(names, ", "))
		}
	}
	return out, nil
}
