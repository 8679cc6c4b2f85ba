package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// A question is asked of both servers in each one's own schema; facts reduces each answer to
// the same comparable list (sorted where order carries no meaning), so the two can be held
// to the same facts before either is timed.
type question struct {
	name     string
	what     string
	vars     map[string]any
	autoQ    string
	peerQ    string
	autoFact func(json.RawMessage) ([]string, error)
	peerFact func(json.RawMessage) ([]string, error)
}

// idName is an entity as both schemas give it.
type idName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// decode unmarshals a response's data into v.
func decode(raw json.RawMessage, v any) error {
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("answer is not JSON: %w", err)
	}
	if len(env.Data) == 0 || string(env.Data) == "null" {
		return fmt.Errorf("answer has no data")
	}
	return json.Unmarshal(env.Data, v)
}

// onlyOne is the single organization the peer's list must hold for an id.
func onlyOne[T any](list []T) (T, error) {
	var zero T
	if len(list) != 1 {
		return zero, fmt.Errorf("want exactly one organization, got %d", len(list))
	}
	return list[0], nil
}

func sorted(s []string) []string { slices.Sort(s); return s }

// brandsAndJVs: an organization's brands and joint ventures.
type brandsJV struct {
	Brands        []idName `json:"brands"`
	JointVentures []idName `json:"jointVentures"`
}

func (b brandsJV) facts() []string {
	var f []string
	for _, x := range b.Brands {
		f = append(f, "brand "+x.ID+" "+x.Name)
	}
	for _, x := range b.JointVentures {
		f = append(f, "joint venture "+x.ID+" "+x.Name)
	}
	return sorted(f)
}

// brandModels: organization -> brands -> models.
type brandModels struct {
	Brands []struct {
		idName
		Models []idName `json:"models"`
	} `json:"brands"`
}

func (b brandModels) facts() []string {
	var f []string
	for _, x := range b.Brands {
		f = append(f, "brand "+x.ID)
		for _, m := range x.Models {
			f = append(f, "model "+x.ID+"/"+m.ID+" "+m.Name)
		}
	}
	return sorted(f)
}

// assembly is one ASSEMBLES relation.
type assembly struct {
	ID, Status, To     string
	ValidFrom, ValidTo *string
}

func (a assembly) fact() string {
	s := func(p *string) string {
		if p == nil {
			return "-"
		}
		return *p
	}
	return fmt.Sprintf("%s %s -> %s [%s, %s]", a.ID, a.Status, a.To, s(a.ValidFrom), s(a.ValidTo))
}

type autoAssembly struct {
	ID        string  `json:"id"`
	Status    string  `json:"status"`
	ValidFrom *string `json:"validFrom"`
	ValidTo   *string `json:"validTo"`
	To        idName  `json:"to"`
}

type peerAssembly struct {
	Edges []struct {
		Properties struct {
			ID        string  `json:"id"`
			Status    string  `json:"status"`
			ValidFrom *string `json:"validFrom"`
			ValidTo   *string `json:"validTo"`
		} `json:"properties"`
		Node idName `json:"node"`
	} `json:"edges"`
}

func autoAssemblies(raw json.RawMessage) ([]string, error) {
	var d struct {
		Organization *struct {
			Assembles []autoAssembly `json:"assembles"`
		} `json:"organization"`
	}
	if err := decode(raw, &d); err != nil {
		return nil, err
	}
	if d.Organization == nil {
		return nil, fmt.Errorf("no such organization")
	}
	var f []string
	for _, a := range d.Organization.Assembles {
		f = append(f, assembly{a.ID, a.Status, a.To.ID, a.ValidFrom, a.ValidTo}.fact())
	}
	return sorted(f), nil
}

func peerAssemblies(raw json.RawMessage) ([]string, error) {
	var d struct {
		Organizations []struct {
			AssemblesConnection peerAssembly `json:"assemblesConnection"`
		} `json:"organizations"`
	}
	if err := decode(raw, &d); err != nil {
		return nil, err
	}
	o, err := onlyOne(d.Organizations)
	if err != nil {
		return nil, err
	}
	var f []string
	for _, e := range o.AssemblesConnection.Edges {
		p := e.Properties
		f = append(f, assembly{p.ID, p.Status, e.Node.ID, p.ValidFrom, p.ValidTo}.fact())
	}
	return sorted(f), nil
}

// orgField decodes autograph's organization(id) { ... } into v, or the peer's
// organizations(where: {id: {eq: ...}}) { ... } list of one.
func orgAuto[T interface{ facts() []string }](raw json.RawMessage) ([]string, error) {
	var d struct {
		Organization *T `json:"organization"`
	}
	if err := decode(raw, &d); err != nil {
		return nil, err
	}
	if d.Organization == nil {
		return nil, fmt.Errorf("no such organization")
	}
	return (*d.Organization).facts(), nil
}

func orgPeer[T interface{ facts() []string }](raw json.RawMessage) ([]string, error) {
	var d struct {
		Organizations []T `json:"organizations"`
	}
	if err := decode(raw, &d); err != nil {
		return nil, err
	}
	o, err := onlyOne(d.Organizations)
	if err != nil {
		return nil, err
	}
	return o.facts(), nil
}

// searchLimit bounds autograph's search page; an answer that fills it cannot be compared
// with the peer's unbounded list, and says so.
const searchLimit = 100

// The overlap of a relation's span with 2021, in the peer's filter language: the same
// half-open comparison of YYYY-MM-DD bounds as autograph's asOf (an absent bound is open).
const overlap2021 = `edge: { AND: [
        { OR: [{ spanStart: { eq: null } }, { spanStart: { lt: "2022-01-01" } }] },
        { OR: [{ spanEnd: { eq: null } }, { spanEnd: { gt: "2021-01-01" } }] } ] }`

const peerAssemblyFields = `edges {
        properties { id status validFrom validTo }
        node { ... on Brand { id name } ... on VehicleModel { id name } }
      }`

// questions is the side-by-side list. org is the organization of the first two questions,
// large the large group's id (chosen per dataset), assembler the organization whose
// assembly relations are asked.
func questions(org, large, assembler, fragment string) []question {
	brandsJVAuto := `query BrandsAndJointVentures($id: ID!) {
  organization(id: $id) { brands { id name } jointVentures { id name } }
}`
	brandsJVPeer := `query BrandsAndJointVentures($id: ID!) {
  organizations(where: { id: { eq: $id } }) { brands { id name } jointVentures { id name } }
}`
	modelsAuto := `query BrandsAndModels($id: ID!) {
  organization(id: $id) { brands { id name models { id name } } }
}`
	modelsPeer := `query BrandsAndModels($id: ID!) {
  organizations(where: { id: { eq: $id } }) { brands { id name models { id name } } }
}`
	return []question{
		{
			name: "brands-jv", what: "an organization's brands and joint ventures (" + org + ")",
			vars: map[string]any{"id": org}, autoQ: brandsJVAuto, peerQ: brandsJVPeer,
			autoFact: orgAuto[brandsJV], peerFact: orgPeer[brandsJV],
		},
		{
			name: "models", what: "organization -> brands -> models (" + org + ")",
			vars: map[string]any{"id": org}, autoQ: modelsAuto, peerQ: modelsPeer,
			autoFact: orgAuto[brandModels], peerFact: orgPeer[brandModels],
		},
		{
			name: "models-large", what: "the same for the group with the most models (" + large + ")",
			vars: map[string]any{"id": large}, autoQ: modelsAuto, peerQ: modelsPeer,
			autoFact: orgAuto[brandModels], peerFact: orgPeer[brandModels],
		},
		{
			name: "page", what: "20 organizations by name, with totalCount",
			autoQ: `query OrganizationPage {
  organizations(first: 20, orderBy: { field: NAME }) { totalCount edges { node { id name } } }
}`,
			peerQ: `query OrganizationPage {
  organizationsConnection(first: 20, sort: [{ nameKey: ASC }, { id: ASC }]) { totalCount edges { node { id name } } }
}`,
			autoFact: pageFacts("organizations"), peerFact: pageFacts("organizationsConnection"),
		},
		{
			name: "search", what: "entities whose name or alias holds " + strconv.Quote(fragment),
			vars:  map[string]any{"q": fragment},
			autoQ: fmt.Sprintf(`query Search($q: String!) { search(query: $q, first: %d) { entity { id name } } }`, searchLimit),
			peerQ: `query Search($q: String!) { search(fragment: $q) { id name } }`,
			autoFact: func(raw json.RawMessage) ([]string, error) {
				var d struct {
					Search []struct {
						Entity idName `json:"entity"`
					} `json:"search"`
				}
				if err := decode(raw, &d); err != nil {
					return nil, err
				}
				if len(d.Search) >= searchLimit {
					return nil, fmt.Errorf("search filled its page of %d: pick a rarer fragment", searchLimit)
				}
				var f []string
				for _, h := range d.Search {
					f = append(f, h.Entity.ID+" "+h.Entity.Name)
				}
				return sorted(f), nil
			},
			peerFact: func(raw json.RawMessage) ([]string, error) {
				var d struct {
					Search []idName `json:"search"`
				}
				if err := decode(raw, &d); err != nil {
					return nil, err
				}
				var f []string
				for _, h := range d.Search {
					f = append(f, h.ID+" "+h.Name)
				}
				return sorted(f), nil
			},
		},
		{
			name: "assembles", what: "the assembly relations of " + assembler,
			vars: map[string]any{"id": assembler},
			autoQ: `query Assembles($id: ID!) {
  organization(id: $id) { assembles { id status validFrom validTo to { id name } } }
}`,
			peerQ: `query Assembles($id: ID!) {
  organizations(where: { id: { eq: $id } }) {
    assemblesConnection {
      ` + peerAssemblyFields + `
    }
  }
}`,
			autoFact: autoAssemblies, peerFact: peerAssemblies,
		},
		{
			name: "as-of-2021", what: "those of them overlapping 2021",
			vars: map[string]any{"id": assembler},
			autoQ: `query AssemblesIn2021($id: ID!) {
  organization(id: $id) { assembles(asOf: "2021") { id status validFrom validTo to { id name } } }
}`,
			peerQ: `query AssemblesIn2021($id: ID!) {
  organizations(where: { id: { eq: $id } }) {
    assemblesConnection(where: {
      Brand: { ` + overlap2021 + ` }
      VehicleModel: { ` + overlap2021 + ` }
    }) {
      ` + peerAssemblyFields + `
    }
  }
}`,
			autoFact: autoAssemblies, peerFact: peerAssemblies,
		},
		{
			name: "depth-2", what: "everything within two hops of " + assembler + " (the peer: a nested traversal two levels deep)",
			vars: map[string]any{"id": assembler},
			autoQ: `query Neighbourhood($id: ID!) {
  neighborhood(id: $id, depth: 2, limit: 1000) { truncated nodes { id name kind } }
}`,
			peerQ: `query Neighbourhood($id: ID!) {
  entities(where: { id: { eq: $id } }) {
    id name kind
    neighbours { id name kind neighbours { id name kind } }
  }
}`,
			autoFact: func(raw json.RawMessage) ([]string, error) {
				var d struct {
					Neighborhood struct {
						Truncated bool `json:"truncated"`
						Nodes     []struct {
							idName
							Kind string `json:"kind"`
						} `json:"nodes"`
					} `json:"neighborhood"`
				}
				if err := decode(raw, &d); err != nil {
					return nil, err
				}
				if d.Neighborhood.Truncated {
					return nil, fmt.Errorf("the neighbourhood was truncated at 1000 nodes")
				}
				var f []string
				for _, n := range d.Neighborhood.Nodes {
					f = append(f, n.ID+" "+n.Name+" "+n.Kind)
				}
				return sorted(f), nil
			},
			peerFact: func(raw json.RawMessage) ([]string, error) {
				type node struct {
					idName
					Kind       string `json:"kind"`
					Neighbours []node `json:"neighbours"`
				}
				var d struct {
					Entities []node `json:"entities"`
				}
				if err := decode(raw, &d); err != nil {
					return nil, err
				}
				root, err := onlyOne(d.Entities)
				if err != nil {
					return nil, err
				}
				seen := map[string]bool{}
				var walk func(n node)
				walk = func(n node) {
					seen[n.ID+" "+n.Name+" "+n.Kind] = true
					for _, m := range n.Neighbours {
						walk(m)
					}
				}
				walk(root)
				var f []string
				for k := range seen {
					f = append(f, k)
				}
				return sorted(f), nil
			},
		},
	}
}

// pageFacts reads a connection page: its total, then its ids in order (order is part of the
// question).
func pageFacts(field string) func(json.RawMessage) ([]string, error) {
	return func(raw json.RawMessage) ([]string, error) {
		var d map[string]struct {
			TotalCount int `json:"totalCount"`
			Edges      []struct {
				Node idName `json:"node"`
			} `json:"edges"`
		}
		if err := decode(raw, &d); err != nil {
			return nil, err
		}
		c, ok := d[field]
		if !ok {
			return nil, fmt.Errorf("answer has no %s", field)
		}
		f := []string{fmt.Sprintf("totalCount %d", c.TotalCount)}
		for i, e := range c.Edges {
			f = append(f, fmt.Sprintf("%02d %s %s", i+1, e.Node.ID, e.Node.Name))
		}
		return f, nil
	}
}
