// Package synth generates synthetic datasets for the automotive knowledge graph, for load tests
// and benchmarks at sizes the hand-written seed cannot reach.
//
// A generated dataset has the shape of the real domain rather than of a random graph: groups
// own 2–10 brands, brands have 3–30 models (most have few, some many), manufacturers are
// subsidiaries of groups in chains up to four deep, manufacturers and assemblers operate 1–5
// plants located in cities, cities lie in regions and regions in about fifty countries, joint
// ventures have two partners, independent assemblers assemble other groups' brands and models
// under dated ACTIVE, ENDED and PLANNED relations, agreements bind two or three parties and list
// provisions, and every relation cites one to three sources from a shared pool. A few hubs (large
// contract assemblers and a handful of cities that attract many plants) have a far higher degree
// than the rest, so graph walks meet the skew that real data has.
//
// Every id starts with IDPrefix and no generated relation touches an entity outside the
// dataset, so a synthetic dataset can be imported next to the seed without changing a single
// answer about the seed's entities. Names are invented from syllables (never real companies)
// and avoid the letter z and letter–digit pairs such as "u5", so they never match the seed's
// search questions either.
package synth

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/autograph-kg/autograph/graph/model"
)

// IDPrefix starts every id the generator makes: entities, sources and relations.
const IDPrefix = "syn-"

// Fan-out ranges of the generated graph. Tests hold the generator to them.
const (
	MinBrandsPerGroup  = 2
	MaxBrandsPerGroup  = 10
	MinModelsPerBrand  = 3
	MaxModelsPerBrand  = 30
	MinPlantsPerOrg    = 1
	MaxPlantsPerOrg    = 5
	MaxSubsidiaryDepth = 4
	MaxCountries       = 50
	MinSourcesPerFact  = 1
	MaxSourcesPerFact  = 3
)

// Generate returns a synthetic dataset of exactly entities entities (sources come on top), built
// from a pseudo-random stream seeded with seed: the same arguments always give an identical
// dataset. The dataset passes model.Dataset.Validate. entities <= 0 gives an empty dataset.
//
// Small sizes (below a few hundred) cannot show every fan-out: the generator fills the budget
// in order (places, publishers, groups with their brands and models, assemblers, joint ventures,
// agreements, hubs) and stops where it runs out.
func Generate(entities int, seed int64) *model.Dataset {
	g := &gen{
		rng:  rand.New(rand.NewPCG(uint64(seed), 0x5eed_a070_97a9)),
		d:    &model.Dataset{},
		left: max(entities, 0),
	}
	if g.left == 0 {
		return g.d
	}
	g.sourcePool(max(10, entities/25))
	g.places(entities)
	g.makePublishers(max(1, entities/5000))
	g.makeGovernments(min(len(g.countries), entities/500))
	hubs := 3 + entities/250_000
	// The hubs are made last, from the brands and models that exist by then, so their share
	// of the budget is set aside now.
	g.reserve = hubs * (1 + MaxPlantsPerOrg)
	for g.groupCluster() {
		if g.rng.Float64() < 0.5 {
			g.assembler(false)
		}
		if g.rng.Float64() < 0.35 {
			g.jointVenture()
		}
		for range g.rng.IntN(3) {
			g.agreement()
		}
	}
	g.reserve = 0
	hubDegree := min(max(entities/50, 20), 5000)
	for range hubs {
		if !g.hub(hubDegree) {
			break
		}
	}
	g.fill()
	g.materializeSources()
	return g.d
}

// Proportions of the generated graph. They are tuned so that the kind mix resembles a real
// industry graph: vehicle models dominate, then plants and brands, with places and
// organizations a few per cent each.
const (
	regionsPer    = 160 // one region per this many entities
	citiesPer     = 40  // one city per this many entities
	hubCities     = 5   // cities that take hubCityShare of all placements
	hubCityShare  = 0.2
	sourceSkew    = 2.0 // higher: citations concentrate on fewer sources
	lastPastYear  = 2024
	firstPlanYear = 2025
	lastPlanYear  = 2028
)

// city is a generated city with the country it lies in.
type city struct {
	p       *model.Place
	country int // index into gen.countries
}

// group is a generated group with what it owns, for the assemblers, joint ventures and
// agreements made after it.
type group struct {
	org    *model.Organization
	subs   []*model.Organization
	brands []*brand
}

// brand is a generated brand with its models.
type brand struct {
	b      *model.Brand
	group  *group
	models []*model.VehicleModel
}

// gen holds the state of one generation. Nothing in it outlives Generate.
type gen struct {
	rng  *rand.Rand
	d    *model.Dataset
	left int // entities still to make
	// reserve is budget that groupCluster must not spend (it is kept for the hubs).
	reserve int
	seq     map[string]int

	sourceIDs   []string
	countries   []*model.Place
	regions     []*model.Place
	regionOf    []int // region index -> country index
	cities      []city
	byCountry   [][]int // country index -> city indexes
	publishers  []*model.Organization
	governments []*model.Organization
	groups      []*group
	brands      []*brand
	// partnerable are the organizations a joint venture or an agreement may bind.
	partnerable []*model.Organization
}

// fits reports whether k more entities fit in the budget outside the reserve.
func (g *gen) fits(k int) bool { return k <= g.left-g.reserve }

// id returns the next id of a kind, such as "syn-brand-12".
func (g *gen) id(kind string) string {
	if g.seq == nil {
		g.seq = map[string]int{}
	}
	g.seq[kind]++
	return IDPrefix + kind + "-" + strconv.Itoa(g.seq[kind])
}

// add puts an entity into the dataset and charges it to the budget. Every entity cites one
// source, as the seed's entities do.
func (g *gen) add(e model.Entity) {
	e.Common().SourceIDs = []string{g.source()}
	g.d.Add(e)
	g.left--
}

// The syllables names are made from. None contains a z, so no name can match "benz".
var syllables = []string{
	"ka", "ro", "va", "len", "tor", "mi", "sa", "dor", "ne", "ri", "ta", "lo", "ven", "kar",
	"mo", "ra", "vi", "sto", "ler", "na", "po", "tri", "gan", "el", "dra", "fu", "se", "kon",
	"bel", "ar", "quin", "ho", "ma", "cor", "li", "vas", "te", "on", "dal", "shi", "ya", "gor",
}

// word invents a capitalised word of two or three syllables.
func (g *gen) word() string {
	var b strings.Builder
	for range 2 + g.rng.IntN(2) {
		b.WriteString(syllables[g.rng.IntN(len(syllables))])
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

// ptr returns a pointer to a copy of v, so no entity points into the tables above.
func ptr[T any](v T) *T { return &v }

// pick returns one of xs.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// skewed returns an index in [0, n) biased towards 0: the power law behind hubs and
// popular sources.
func (g *gen) skewed(n int, power float64) int {
	u := g.rng.Float64()
	x := 1.0
	for range int(power) {
		x *= u
	}
	return min(int(x*float64(n)), n-1)
}

// date returns a partial date in [y0, y1]: a year alone, a month or a day, as sources state
// them.
func (g *gen) date(y0, y1 int) *model.Date {
	d := model.Date{Year: y0 + g.rng.IntN(y1-y0+1)}
	switch p := g.rng.IntN(10); {
	case p < 4:
	case p < 7:
		d.Month = 1 + g.rng.IntN(12)
	default:
		d.Month = 1 + g.rng.IntN(12)
		d.Day = 1 + g.rng.IntN(28)
	}
	return &d
}

// source picks a source id from the pool, popular ones more often.
func (g *gen) source() string { return g.sourceIDs[g.skewed(len(g.sourceIDs), sourceSkew)] }

// sourcePool names the sources; their content is made at the end, once publishers and cities
// exist (materializeSources).
func (g *gen) sourcePool(n int) {
	g.sourceIDs = make([]string, n)
	for i := range g.sourceIDs {
		g.sourceIDs[i] = g.id("src")
	}
}

// materializeSources writes the sources of the pool: a title, a publisher and a dateline from
// the generated graph, and a publication day.
func (g *gen) materializeSources() {
	topics := []string{"expands assembly", "ends production", "plans new models", "signs supply deal", "opens plant", "reports record output"}
	g.d.Sources = make([]*model.Source, len(g.sourceIDs))
	for i, id := range g.sourceIDs {
		s := &model.Source{
			ID:          id,
			Title:       g.word() + " " + pick(g.rng, topics),
			PublishedOn: model.Date{Year: 2000 + g.rng.IntN(25), Month: 1 + g.rng.IntN(12), Day: 1 + g.rng.IntN(28)},
			URL:         "https://news.example/synthetic/" + strconv.Itoa(i+1),
			Language:    "en",
		}
		if len(g.publishers) > 0 {
			s.PublisherID = pick(g.rng, g.publishers).ID
		}
		if len(g.cities) > 0 {
			s.Dateline = pick(g.rng, g.cities).p.Name
		}
		g.d.Sources[i] = s
	}
}

// rel adds a relation citing one to three distinct sources.
func (g *gen) rel(t model.RelationType, from, to string, status model.RelationStatus, validFrom, validTo *model.Date) *model.Relation {
	r := &model.Relation{
		ID: g.id("rel"), Type: t, FromID: from, ToID: to, Status: status,
		ValidFrom: validFrom, ValidTo: validTo,
	}
	n := MinSourcesPerFact
	if p := g.rng.Float64(); p < 0.1 {
		n = 3
	} else if p < 0.4 {
		n = 2
	}
	n = min(n, len(g.sourceIDs))
	r.SourceIDs = make([]string, 0, n)
	for len(r.SourceIDs) < n {
		if s := g.source(); !contains(r.SourceIDs, s) {
			r.SourceIDs = append(r.SourceIDs, s)
		}
	}
	g.d.Relations = append(g.d.Relations, r)
	return r
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// dated adds a relation with a status and period drawn like assembly facts are reported: mostly
// active since some date, often ended, sometimes planned (from a future date, or "by the end
// of" a future year, with a quantity now and then).
func (g *gen) dated(t model.RelationType, from, to string) *model.Relation {
	switch p := g.rng.Float64(); {
	case p < 0.55:
		var vf *model.Date
		if g.rng.IntN(10) > 0 {
			vf = g.date(1990, lastPastYear)
		}
		return g.rel(t, from, to, model.StatusActive, vf, nil)
	case p < 0.85:
		y := 1985 + g.rng.IntN(2020-1985+1)
		// The end year is strictly after the start year, so the period is in order whatever
		// the precision of either date.
		return g.rel(t, from, to, model.StatusEnded, g.date(y, y), g.date(y+1, lastPastYear))
	default:
		if g.rng.IntN(10) < 6 {
			return g.rel(t, from, to, model.StatusPlanned, g.date(firstPlanYear, lastPlanYear), nil)
		}
		r := g.rel(t, from, to, model.StatusPlanned, nil, &model.Date{Year: firstPlanYear + g.rng.IntN(3)})
		if g.rng.IntN(3) == 0 {
			q := 2 + g.rng.IntN(9)
			r.Quantity = &q
		}
		return r
	}
}

// places makes the countries, their regions and the regions' cities.
func (g *gen) places(n int) {
	suffixes := []string{"ia", "land", "ova", "ania", "istan", "mark"}
	codes := map[string]bool{}
	for range min(MaxCountries, max(1, n/200)) {
		if !g.fits(1) {
			return
		}
		name := g.word() + pick(g.rng, suffixes)
		// An invented alpha-2 code, unique within the dataset.
		code := strings.ToUpper(name[:2])
		for i := 0; codes[code]; i++ {
			code = string(rune('A'+i/26%26)) + string(rune('A'+i%26))
		}
		codes[code] = true
		p := &model.Place{EntityBase: model.EntityBase{ID: g.id("country"), Name: name, Description: "Synthetic country."}, Type: model.PlaceCountry, CountryCode: code}
		g.add(p)
		g.countries = append(g.countries, p)
		g.byCountry = append(g.byCountry, nil)
	}
	for i := range max(len(g.countries), n/regionsPer) {
		if !g.fits(1) {
			return
		}
		c := i
		if i >= len(g.countries) {
			c = g.skewed(len(g.countries), 1) // larger countries have more regions
		}
		p := &model.Place{EntityBase: model.EntityBase{ID: g.id("region"), Name: g.word() + " Region", Description: "Synthetic region of " + g.countries[c].Name + "."}, Type: model.PlaceRegion}
		g.add(p)
		g.regions = append(g.regions, p)
		g.regionOf = append(g.regionOf, c)
		g.rel(model.RelLocatedIn, p.ID, g.countries[c].ID, model.StatusActive, nil, nil)
	}
	for i := range max(len(g.regions), n/citiesPer) {
		if !g.fits(1) {
			return
		}
		r := i
		if i >= len(g.regions) {
			r = g.rng.IntN(len(g.regions))
		}
		p := &model.Place{EntityBase: model.EntityBase{ID: g.id("city"), Name: g.word(), Description: "Synthetic city in " + g.regions[r].Name + "."}, Type: model.PlaceCity}
		if g.rng.IntN(5) == 0 {
			p.Aliases = []string{p.Name + " City"}
		}
		g.add(p)
		g.cities = append(g.cities, city{p, g.regionOf[r]})
		g.byCountry[g.regionOf[r]] = append(g.byCountry[g.regionOf[r]], len(g.cities)-1)
		g.rel(model.RelLocatedIn, p.ID, g.regions[r].ID, model.StatusActive, nil, nil)
	}
}

// placeIn picks a city for an organization or plant: in country c when c >= 0 and it has
// cities, and otherwise anywhere, with a share of all placements going to a few hub cities.
// It returns -1 when there are no cities at all.
func (g *gen) placeIn(c int) int {
	if len(g.cities) == 0 {
		return -1
	}
	if g.rng.Float64() < hubCityShare {
		return g.rng.IntN(min(hubCities, len(g.cities)))
	}
	if c >= 0 && len(g.byCountry[c]) > 0 {
		return pick(g.rng, g.byCountry[c])
	}
	return g.rng.IntN(len(g.cities))
}

// locate gives an organization its country and a LOCATED_IN relation to a city (of country c
// where possible).
func (g *gen) locate(o *model.Organization, c int) {
	ci := g.placeIn(c)
	if ci < 0 {
		return
	}
	o.CountryID = g.countries[g.cities[ci].country].ID
	g.rel(model.RelLocatedIn, o.ID, g.cities[ci].p.ID, model.StatusActive, o.Founded, nil)
}

// org makes an organization of a type, founded in [y0, 2015], located in country c (or
// anywhere when c < 0).
func (g *gen) org(t model.OrganizationType, name string, own model.Ownership, c int) *model.Organization {
	o := &model.Organization{
		EntityBase: model.EntityBase{ID: g.id("org"), Name: name, Description: "Synthetic " + strings.ToLower(strings.ReplaceAll(string(t), "_", " ")) + "."},
		Type:       t,
		Ownership:  &own,
		Founded:    g.date(1900, 2015),
	}
	g.add(o)
	g.locate(o, c)
	return o
}

// country picks a country index, a few countries far more often than the rest; -1 when there
// are none.
func (g *gen) country() int {
	if len(g.countries) == 0 {
		return -1
	}
	return g.skewed(len(g.countries), 2)
}

// makePublishers makes the news organizations that publish the sources.
func (g *gen) makePublishers(n int) {
	kinds := []string{"Auto News", "Motor Review", "Industry Daily", "Herald"}
	for range n {
		if !g.fits(1) {
			return
		}
		g.publishers = append(g.publishers, g.org(model.OrgPublisher, g.word()+" "+pick(g.rng, kinds), model.OwnershipPrivate, g.country()))
	}
}

// makeGovernments makes one industry ministry per country, up to n; they sign agreements.
func (g *gen) makeGovernments(n int) {
	for i := range n {
		if !g.fits(1) {
			return
		}
		o := g.org(model.OrgGovernmentBody, "Ministry of Industry of "+g.countries[i].Name, model.OwnershipStateOwned, i)
		g.governments = append(g.governments, o)
	}
}

// modelCount draws how many models a brand has: 3 to 30, most brands near the low end.
func (g *gen) modelCount() int {
	return MinModelsPerBrand + g.skewed(MaxModelsPerBrand-MinModelsPerBrand+1, 2)
}

var (
	ownerships  = []model.Ownership{model.OwnershipStateOwned, model.OwnershipPrivate, model.OwnershipPublic, model.OwnershipPublic}
	segments    = []model.BrandSegment{model.SegmentPassenger, model.SegmentPassenger, model.SegmentPassenger, model.SegmentPassenger, model.SegmentPassenger, model.SegmentPassenger, model.SegmentPassenger, model.SegmentCommercial, model.SegmentCommercial, model.SegmentMixed}
	powertrains = []model.Powertrain{model.PowertrainICE, model.PowertrainICE, model.PowertrainICE, model.PowertrainICE, model.PowertrainHEV, model.PowertrainHEV, model.PowertrainPHEV, model.PowertrainBEV, model.PowertrainBEV, model.PowertrainFCEV}
	// codeLetters make model codes such as "X40"; there is no U, so no code contains "u5".
	codeLetters = "ACEGKLMRSTVX"
)

// groupCluster makes a group with its brands and their models, and its manufacturing
// subsidiaries with their plants. It reports false, making nothing, when the cluster does not
// fit in the budget.
func (g *gen) groupCluster() bool {
	nb := MinBrandsPerGroup + g.rng.IntN(MaxBrandsPerGroup-MinBrandsPerGroup+1)
	models := make([]int, nb)
	need := 1 + nb
	for i := range models {
		models[i] = g.modelCount()
		need += models[i]
	}
	plants := make([]int, 1+g.rng.IntN(4))
	for i := range plants {
		plants[i] = MinPlantsPerOrg + g.rng.IntN(MaxPlantsPerOrg-MinPlantsPerOrg+1)
		need += 1 + plants[i]
	}
	if !g.fits(need) {
		return false
	}
	c := g.country()
	name := g.word()
	gr := &group{org: g.org(model.OrgGroup, name+" Group", pick(g.rng, ownerships), c)}
	gr.org.Aliases = []string{name + " Holding"}
	g.groups = append(g.groups, gr)
	g.partnerable = append(g.partnerable, gr.org)

	for _, nm := range models {
		b := g.brand(gr, c)
		for range nm {
			g.vehicleModel(b)
		}
	}
	// Subsidiaries hang from the group or from an earlier subsidiary, which makes ownership
	// chains; depth[i] is the chain length from subsidiary i up to the group.
	depth := make([]int, len(plants))
	for i, np := range plants {
		parent, d := gr.org, 1
		if i > 0 && depth[i-1] < MaxSubsidiaryDepth && g.rng.Float64() < 0.6 {
			parent, d = gr.subs[i-1], depth[i-1]+1
		}
		depth[i] = d
		sub := g.org(model.OrgManufacturer, g.word()+" Motors", model.OwnershipPrivate, c)
		gr.subs = append(gr.subs, sub)
		g.partnerable = append(g.partnerable, sub)
		g.rel(model.RelSubsidiaryOf, sub.ID, parent.ID, model.StatusActive, g.date(1950, lastPastYear), nil)
		for range 1 + g.rng.IntN(2) {
			b := pick(g.rng, gr.brands)
			g.rel(model.RelAssembles, sub.ID, b.b.ID, model.StatusActive, g.date(1970, lastPastYear), nil)
		}
		for range np {
			p := g.plant(sub, c)
			for range 1 + g.rng.IntN(3) {
				b := pick(g.rng, gr.brands)
				g.dated(model.RelAssembles, p.ID, pick(g.rng, b.models).ID)
			}
		}
	}
	return true
}

// brand makes a brand owned by gr; now and then the brand was bought from an earlier group,
// which leaves an ENDED ownership behind.
func (g *gen) brand(gr *group, c int) *brand {
	name := g.word()
	b := &model.Brand{
		EntityBase: model.EntityBase{ID: g.id("brand"), Name: name, Description: "Synthetic brand of " + gr.org.Name + "."},
		Segment:    ptr(pick(g.rng, segments)),
		Founded:    g.date(1900, 2020),
	}
	if c >= 0 && g.rng.IntN(5) > 0 {
		b.CountryID = g.countries[c].ID
	} else if len(g.countries) > 0 {
		b.CountryID = pick(g.rng, g.countries).ID
	}
	if g.rng.IntN(4) == 0 {
		b.Aliases = []string{strings.ToUpper(name)}
	}
	g.add(b)
	br := &brand{b: b, group: gr}
	gr.brands = append(gr.brands, br)
	g.brands = append(g.brands, br)
	since := g.date(1990, lastPastYear)
	if len(g.groups) > 1 && g.rng.IntN(10) == 0 {
		prev := g.groups[g.rng.IntN(len(g.groups)-1)]
		y := since.Year
		g.rel(model.RelOwnsBrand, prev.org.ID, b.ID, model.StatusEnded, g.date(1950, y-1), &model.Date{Year: y})
		since = &model.Date{Year: y}
	}
	g.rel(model.RelOwnsBrand, gr.org.ID, b.ID, model.StatusActive, since, nil)
	return br
}

// vehicleModel makes a model of brand b: named with a word or a code, usually still in
// production, sometimes discontinued or only planned.
func (g *gen) vehicleModel(b *brand) *model.VehicleModel {
	m := &model.VehicleModel{Powertrain: ptr(pick(g.rng, powertrains))}
	m.ID = g.id("model")
	if g.rng.IntN(2) == 0 {
		m.Name = b.b.Name + " " + g.word()
	} else {
		code := string(codeLetters[g.rng.IntN(len(codeLetters))]) + strconv.Itoa(1+g.rng.IntN(99))
		m.Name = b.b.Name + " " + code
		m.Aliases = []string{code}
	}
	m.Description = "Synthetic model of " + b.b.Name + "."
	g.add(m)
	b.models = append(b.models, m)
	switch p := g.rng.IntN(20); {
	case p < 16:
		g.rel(model.RelHasModel, b.b.ID, m.ID, model.StatusActive, g.date(1995, lastPastYear), nil)
	case p < 19:
		y := 1985 + g.rng.IntN(2020-1985+1)
		g.rel(model.RelHasModel, b.b.ID, m.ID, model.StatusEnded, g.date(y, y), g.date(y+1, lastPastYear))
	default:
		g.rel(model.RelHasModel, b.b.ID, m.ID, model.StatusPlanned, g.date(firstPlanYear, lastPlanYear), nil)
	}
	return m
}

// plant makes a plant operated by o, located in a city (of country c where possible).
func (g *gen) plant(o *model.Organization, c int) *model.Plant {
	p := &model.Plant{
		EntityBase: model.EntityBase{ID: g.id("plant"), Description: "Synthetic plant of " + o.Name + "."},
		Opened:     g.date(1950, lastPastYear),
	}
	ci := g.placeIn(c)
	if ci >= 0 {
		p.Name = o.Name + " " + g.cities[ci].p.Name + " Plant"
	} else {
		p.Name = o.Name + " Plant"
	}
	g.add(p)
	if g.rng.IntN(10) == 0 {
		g.rel(model.RelOperates, o.ID, p.ID, model.StatusEnded, p.Opened, g.date(p.Opened.Year+1, lastPastYear+1))
	} else {
		g.rel(model.RelOperates, o.ID, p.ID, model.StatusActive, p.Opened, nil)
	}
	if ci >= 0 {
		g.rel(model.RelLocatedIn, p.ID, g.cities[ci].p.ID, model.StatusActive, p.Opened, nil)
	}
	return p
}

// assembler makes an independent assembler, like the seed's Avtotor: it operates plants and
// assembles brands and models of other groups under dated contracts, and partners with some
// of those groups. A hub assembler is a large contract manufacturer; its assembly relations
// are made by hub.
func (g *gen) assembler(hub bool) *model.Organization {
	np := MinPlantsPerOrg + g.rng.IntN(MaxPlantsPerOrg-MinPlantsPerOrg+1)
	if hub {
		np = MaxPlantsPerOrg
	}
	if len(g.groups) == 0 || !g.fits(1+np) {
		return nil
	}
	c := g.country()
	suffix := " Autoworks"
	if hub {
		suffix = " Contract Manufacturing"
	}
	a := g.org(model.OrgAssembler, g.word()+suffix, model.OwnershipPrivate, c)
	g.partnerable = append(g.partnerable, a)
	plants := make([]*model.Plant, np)
	for i := range plants {
		plants[i] = g.plant(a, c)
	}
	if hub {
		return a
	}
	for range 1 + g.rng.IntN(6) {
		b := pick(g.rng, g.brands)
		r := g.dated(model.RelAssembles, a.ID, b.b.ID)
		for range g.rng.IntN(4) {
			m := pick(g.rng, b.models)
			if g.rng.IntN(2) == 0 {
				g.rel(model.RelAssembles, a.ID, m.ID, r.Status, r.ValidFrom, r.ValidTo)
			} else {
				g.dated(model.RelAssembles, pick(g.rng, plants).ID, m.ID)
			}
		}
		if g.rng.IntN(2) == 0 {
			g.rel(model.RelPartnersWith, a.ID, b.group.org.ID, model.StatusActive, g.date(1995, lastPastYear), nil)
		}
	}
	return a
}

// jointVenture makes a joint venture of the latest group and another organization, with plants
// that assemble some of the group's models.
func (g *gen) jointVenture() {
	np := 1 + g.rng.IntN(3)
	if len(g.partnerable) < 2 || len(g.groups) == 0 || !g.fits(1+np) {
		return
	}
	gr := g.groups[len(g.groups)-1]
	other := gr.org
	for other == gr.org {
		other = pick(g.rng, g.partnerable)
	}
	own := model.OwnershipJoint
	c := g.country()
	jv := g.org(model.OrgJointVenture, strings.TrimSuffix(gr.org.Name, " Group")+" "+strings.Fields(other.Name)[0]+" Automotive", own, c)
	if g.rng.IntN(7) == 0 {
		y := 1985 + g.rng.IntN(2020-1985+1)
		vf, vt := g.date(y, y), &model.Date{Year: y + 1 + g.rng.IntN(lastPastYear-y)}
		g.rel(model.RelJointVentureOf, jv.ID, gr.org.ID, model.StatusEnded, vf, vt)
		g.rel(model.RelJointVentureOf, jv.ID, other.ID, model.StatusEnded, vf, vt)
	} else {
		vf := g.date(1985, lastPastYear)
		g.rel(model.RelJointVentureOf, jv.ID, gr.org.ID, model.StatusActive, vf, nil)
		g.rel(model.RelJointVentureOf, jv.ID, other.ID, model.StatusActive, vf, nil)
	}
	for range np {
		p := g.plant(jv, c)
		for range 1 + g.rng.IntN(4) {
			b := pick(g.rng, gr.brands)
			g.dated(model.RelAssembles, p.ID, pick(g.rng, b.models).ID)
		}
	}
}

// provisionTexts are the things generated agreements provide for.
var provisionTexts = []string{
	"Widen the range of models assembled locally.",
	"Start assembly of electric vehicles.",
	"Localise production of components.",
	"Adapt the vehicles to the local market.",
	"Invest in a new body and paint shop.",
	"Train local engineering staff.",
	"Export part of the output to neighbouring markets.",
}

// agreement makes an agreement between two or three organizations, usually including the
// latest group, with one to five provisions.
func (g *gen) agreement() {
	if len(g.partnerable) < 3 || len(g.groups) == 0 || !g.fits(1) {
		return
	}
	gr := g.groups[len(g.groups)-1]
	parties := []*model.Organization{gr.org}
	n := 2 + g.rng.IntN(2)
	for len(parties) < n {
		var o *model.Organization
		if len(g.governments) > 0 && g.rng.IntN(5) == 0 {
			o = pick(g.rng, g.governments)
		} else {
			o = g.partnerable[len(g.partnerable)-1-g.skewed(len(g.partnerable), 2)]
		}
		if !containsOrg(parties, o) {
			parties = append(parties, o)
		}
	}
	signed := g.date(1995, lastPastYear)
	// The announcement is a day within the period the signing date names (sources often give
	// only the year of a signing, but the day it was made public).
	announced := &model.Date{Year: signed.Year, Month: signed.Month, Day: signed.Day}
	if announced.Month == 0 {
		announced.Month = 1 + g.rng.IntN(12)
	}
	if announced.Day == 0 {
		announced.Day = 1 + g.rng.IntN(28)
	}
	a := &model.Agreement{
		EntityBase:  model.EntityBase{ID: g.id("agreement"), Name: strings.TrimSuffix(parties[0].Name, " Group") + "–" + strings.Fields(parties[1].Name)[0] + " agreement (" + strconv.Itoa(signed.Year) + ")", Description: "Synthetic agreement."},
		SignedOn:    signed,
		AnnouncedOn: announced,
	}
	for range 1 + g.rng.IntN(5) {
		p := model.Provision{Summary: pick(g.rng, provisionTexts)}
		if g.rng.IntN(5) < 3 {
			p.Due = g.date(signed.Year, signed.Year+3)
		}
		a.Provisions = append(a.Provisions, p)
	}
	g.add(a)
	for _, o := range parties {
		g.rel(model.RelPartyTo, o.ID, a.ID, model.StatusActive, signed, nil)
	}
}

func containsOrg(xs []*model.Organization, o *model.Organization) bool {
	for _, x := range xs {
		if x == o {
			return true
		}
	}
	return false
}

// hub makes a large contract assembler that assembles degree distinct brands and models (one
// in five a brand) across the whole graph. It reports false when it does not fit.
func (g *gen) hub(degree int) bool {
	a := g.assembler(true)
	if a == nil {
		return false
	}
	seen := map[string]bool{}
	var models int
	for _, b := range g.brands {
		models += len(b.models)
	}
	degree = min(degree, (len(g.brands)+models)*3/4)
	for len(seen) < degree {
		b := pick(g.rng, g.brands)
		id := b.b.ID
		if g.rng.IntN(5) > 0 {
			id = pick(g.rng, b.models).ID
		}
		if !seen[id] {
			seen[id] = true
			g.dated(model.RelAssembles, a.ID, id)
		}
	}
	return true
}

// fill spends what is left of the budget on more models for brands that have room, or, when
// there are none, on more countries, so that the dataset has exactly the entities asked for.
func (g *gen) fill() {
	// Round robin over the brands, one model at a time, so the extra models spread out instead
	// of filling a few brands to the maximum.
	for room := true; room && g.left > 0; {
		room = false
		for _, b := range g.brands {
			if g.left == 0 {
				break
			}
			if len(b.models) < MaxModelsPerBrand {
				g.vehicleModel(b)
				room = true
			}
		}
	}
	for g.left > 0 {
		p := &model.Place{EntityBase: model.EntityBase{ID: g.id("country"), Name: g.word() + "ia", Description: "Synthetic country."}, Type: model.PlaceCountry}
		g.add(p)
		g.countries = append(g.countries, p)
	}
}
