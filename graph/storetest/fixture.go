package storetest

import "github.com/autograph-kg/autograph/graph/model"

// Fixture returns a fresh copy of the conformance suite's dataset: a small automotive graph
// built to exercise the edge cases of the store contract. Each call builds new values, so a
// caller may change what it gets.
//
// What is in it, and why:
//   - 28 organizations (more than one page of 10 or 20) whose name order differs from their id
//     order ("Beijing Automotive Group" is baic-group, "Ford Sollers" is sollers-ford,
//     "Zhejiang Geely Holding Group" is geely), with a name tie ("Avtotor" and "AVTOTOR"),
//     accents ("Škoda Auto") and organizations without country or ownership.
//   - Names and aliases for search: accents ("Citroën", "Königsberg"), hyphens and dashes
//     ("Mercedes-Benz", "e-GAZelle", "Avtotor–BAIC"), Cyrillic aliases, and the query "gaz"
//     scoring every level (exact, prefix, word prefix, substring).
//   - Partial dates of every precision; ACTIVE, ENDED and PLANNED relations, a PLANNED one with
//     only validTo (r-avtotor-assembles-baic-x55), an ENDED one with only validTo
//     (r-avtovaz-subsidiary-of-renault) and open-ended and undated ones.
//   - Parallel relations (r-avtotor-partners-baic-1 and -2 between avtotor and baic-group).
//   - A hub (avtotor, eleven neighbours) for neighborhood limits.
//   - A diamond (gaz-group to volkswagen-group through gaz-vw-contract or the volkswagen brand)
//     giving two shortest paths.
//   - A chain of seven places (chain-1 .. chain-7, six relations in alternating directions)
//     for path-length limits, isolated from the rest.
//   - An isolated place (Monaco) with no relations at all. There is no self-loop: no relation
//     may go from an entity to itself (model.CheckNotSelf).
//   - Sources with publication dates of every precision, three of which start on 2023-01-01
//     (a tie that the PUBLISHED_ON ordering breaks by id).
func Fixture() *model.Dataset {
	date := func(s string) *model.Date {
		d := model.MustDate(s)
		return &d
	}
	own := func(o model.Ownership) *model.Ownership { return &o }
	seg := func(s model.BrandSegment) *model.BrandSegment { return &s }
	pt := func(p model.Powertrain) *model.Powertrain { return &p }
	n := func(i int) *int { return &i }
	base := func(id, name string, aliases ...string) model.EntityBase {
		return model.EntityBase{ID: id, Name: name, Aliases: aliases}
	}

	d := &model.Dataset{}
	d.Sources = []*model.Source{
		{ID: "autostat-2023-01", Title: "autostat: January 2023 market review", PublisherID: "autostat", PublishedOn: model.MustDate("2023-01"), Language: "ru"},
		{ID: "interfax-2023-04-04", Title: "Avtotor begins assembly of BAIC cars in Kaliningrad", PublisherID: "interfax", PublishedOn: model.MustDate("2023-04-04"), Dateline: "Kaliningrad", URL: "https://example.org/interfax/avtotor-baic", Language: "ru"},
		{ID: "kommersant-2022", Title: "Élan or exit: foreign carmakers in Russia", PublisherID: "kommersant", PublishedOn: model.MustDate("2022"), Language: "ru"},
		{ID: "press-release-2023", Title: "Press release: Avtotor and BAIC sign assembly agreement", PublisherID: "avtotor", PublishedOn: model.MustDate("2023"), Language: "en"},
		{ID: "vedomosti-2019", Title: "GAZ to keep assembling Volkswagen and Škoda cars", PublishedOn: model.MustDate("2019-06-15"), Language: "ru"},
		{ID: "zavod-digest-2023", Title: "Zavod digest: who builds what", PublishedOn: model.MustDate("2023-01-01"), Language: "en"},
	}

	org := func(id, name string, t model.OrganizationType, o *model.Ownership, country string, aliases ...string) *model.Organization {
		return &model.Organization{EntityBase: base(id, name, aliases...), Type: t, Ownership: o, CountryID: country}
	}
	d.Organizations = []*model.Organization{
		org("autostat", "Autostat", model.OrgPublisher, own(model.OwnershipPrivate), "russia"),
		org("avtotor", "Avtotor", model.OrgAssembler, own(model.OwnershipPrivate), "russia", "Автотор"),
		org("avtotor-holding", "AVTOTOR", model.OrgGroup, own(model.OwnershipPrivate), "russia", "Avtotor Holding"),
		org("avtovaz", "AvtoVAZ", model.OrgManufacturer, own(model.OwnershipStateOwned), "russia"),
		org("baic-group", "Beijing Automotive Group", model.OrgGroup, own(model.OwnershipStateOwned), "china", "BAIC Group"),
		org("baic-motor", "BAIC Motor", model.OrgManufacturer, own(model.OwnershipPublic), "china"),
		org("chery", "Chery Automobile", model.OrgManufacturer, own(model.OwnershipStateOwned), "china"),
		org("derways", "Derways", model.OrgAssembler, own(model.OwnershipPrivate), "russia"),
		org("ford-motor", "Ford Motor Company", model.OrgManufacturer, own(model.OwnershipPublic), ""),
		org("gaz-group", "GAZ Group", model.OrgManufacturer, own(model.OwnershipPrivate), "russia"),
		org("geely", "Zhejiang Geely Holding Group", model.OrgGroup, own(model.OwnershipPrivate), "china"),
		org("great-wall-motor", "Great Wall Motor", model.OrgManufacturer, own(model.OwnershipPublic), "china"),
		org("haval-motor-rus", "Haval Motor Rus", model.OrgManufacturer, own(model.OwnershipPrivate), "russia"),
		org("hyundai-motor", "Hyundai Motor Company", model.OrgManufacturer, own(model.OwnershipPublic), ""),
		org("interfax", "Interfax", model.OrgPublisher, own(model.OwnershipPrivate), "russia"),
		org("kamaz", "KAMAZ", model.OrgManufacturer, own(model.OwnershipPublic), "russia"),
		org("kia-corporation", "Kia Corporation", model.OrgManufacturer, own(model.OwnershipPublic), ""),
		org("kommersant", "Kommersant", model.OrgPublisher, own(model.OwnershipPrivate), "russia"),
		org("mercedes-benz-group", "Mercedes-Benz Group", model.OrgGroup, own(model.OwnershipPublic), "germany", "Daimler"),
		org("minpromtorg", "Ministry of Industry and Trade", model.OrgGovernmentBody, own(model.OwnershipStateOwned), "russia", "Minpromtorg"),
		org("moskvich", "Moskvich", model.OrgManufacturer, own(model.OwnershipStateOwned), "russia"),
		org("renault-group", "Renault Group", model.OrgGroup, own(model.OwnershipPublic), "france"),
		org("skoda-auto", "Škoda Auto", model.OrgManufacturer, nil, "czechia"),
		org("sollers", "Sollers", model.OrgManufacturer, own(model.OwnershipPublic), "russia"),
		org("sollers-ford", "Ford Sollers", model.OrgJointVenture, own(model.OwnershipJoint), "russia"),
		org("stellantis", "Stellantis", model.OrgGroup, own(model.OwnershipPublic), ""),
		org("tagaz", "TagAZ", model.OrgAssembler, own(model.OwnershipPrivate), "russia"),
		org("volkswagen-group", "Volkswagen Group", model.OrgGroup, own(model.OwnershipPublic), "germany", "VW Group"),
	}
	avtotor := d.Organizations[1]
	avtotor.Description = "Private car assembler in Kaliningrad."
	avtotor.Founded = date("1994")
	avtotor.SourceIDs = []string{"interfax-2023-04-04", "press-release-2023"}
	d.Organizations[9].Founded = date("1932-01") // gaz-group

	brand := func(id, name string, s model.BrandSegment, country string, aliases ...string) *model.Brand {
		return &model.Brand{EntityBase: base(id, name, aliases...), Segment: seg(s), CountryID: country}
	}
	d.Brands = []*model.Brand{
		brand("baic", "BAIC", model.SegmentPassenger, "china"),
		brand("citroen", "Citroën", model.SegmentPassenger, "france"),
		brand("gaz", "GAZ", model.SegmentCommercial, "russia"),
		brand("haval", "Haval", model.SegmentPassenger, "china"),
		brand("jetour", "Jetour", model.SegmentPassenger, "china"),
		brand("kia", "Kia", model.SegmentPassenger, ""),
		brand("lada", "Lada", model.SegmentPassenger, "russia", "Zhiguli", "ВАЗ"),
		brand("mercedes-benz", "Mercedes-Benz", model.SegmentMixed, "germany"),
		brand("moskvich-brand", "Moskvich", model.SegmentPassenger, "russia"),
		brand("skoda", "Škoda", model.SegmentPassenger, "czechia"),
		brand("volkswagen", "Volkswagen", model.SegmentMixed, "germany", "VW"),
	}
	d.Brands[0].Founded = date("2009-03-16")

	vm := func(id, name string, p model.Powertrain, aliases ...string) *model.VehicleModel {
		return &model.VehicleModel{EntityBase: base(id, name, aliases...), Powertrain: pt(p)}
	}
	d.VehicleModels = []*model.VehicleModel{
		vm("baic-u5-plus", "BAIC U5 Plus", model.PowertrainICE),
		vm("baic-x35", "BAIC X35", model.PowertrainICE),
		vm("baic-x55", "BAIC X55", model.PowertrainICE),
		vm("gazelle-e", "e-GAZelle", model.PowertrainBEV),
		vm("gazelle-next", "GAZelle NEXT", model.PowertrainICE, "Gazel Next"),
		vm("haval-f7", "Haval F7", model.PowertrainICE),
		vm("haval-jolion", "Haval Jolion", model.PowertrainHEV),
		vm("lada-niva-travel", "Lada Niva Travel", model.PowertrainICE, "Chevrolet Niva"),
		vm("lada-vesta", "Lada Vesta", model.PowertrainICE),
		vm("mercedes-eqs", "Mercedes-Benz EQS", model.PowertrainBEV),
		vm("moskvich-3", "Moskvich 3", model.PowertrainICE),
		vm("moskvich-3e", "Moskvich 3e", model.PowertrainBEV),
	}
	d.VehicleModels[1].SourceIDs = []string{"interfax-2023-04-04"}

	d.Plants = []*model.Plant{
		{EntityBase: base("avtotor-plant", "Avtotor Kaliningrad Plant"), Opened: date("1996")},
		{EntityBase: base("gaz-plant", "GAZ Nizhny Novgorod Plant"), Opened: date("1932-01")},
		{EntityBase: base("haval-plant", "Haval Tula Plant"), Opened: date("2019-06-05")},
		{EntityBase: base("moskvich-plant", "Moskvich Plant", "AZLK"), Opened: date("1930")},
	}

	place := func(id, name string, t model.PlaceType, code string, aliases ...string) *model.Place {
		return &model.Place{EntityBase: base(id, name, aliases...), Type: t, CountryCode: code}
	}
	d.Places = []*model.Place{
		place("chain-1", "Chain Stop 1", model.PlaceRegion, ""),
		place("chain-2", "Chain Stop 2", model.PlaceRegion, ""),
		place("chain-3", "Chain Stop 3", model.PlaceRegion, ""),
		place("chain-4", "Chain Stop 4", model.PlaceRegion, ""),
		place("chain-5", "Chain Stop 5", model.PlaceRegion, ""),
		place("chain-6", "Chain Stop 6", model.PlaceRegion, ""),
		place("chain-7", "Chain Stop 7", model.PlaceRegion, ""),
		place("china", "China", model.PlaceCountry, "CN"),
		place("czechia", "Czechia", model.PlaceCountry, "CZ", "Czech Republic"),
		place("france", "France", model.PlaceCountry, "FR"),
		place("germany", "Germany", model.PlaceCountry, "DE", "Deutschland"),
		place("kaliningrad", "Kaliningrad", model.PlaceCity, "", "Königsberg"),
		place("kaliningrad-oblast", "Kaliningrad Oblast", model.PlaceRegion, ""),
		place("monaco", "Monaco", model.PlaceCountry, "MC"),
		place("moscow", "Moscow", model.PlaceCity, "", "Moskva"),
		place("nizhny-novgorod", "Nizhny Novgorod", model.PlaceCity, "", "Нижний Новгород"),
		place("russia", "Russia", model.PlaceCountry, "RU", "Russian Federation"),
		place("tula-oblast", "Tula Oblast", model.PlaceRegion, ""),
	}

	d.Agreements = []*model.Agreement{
		{
			EntityBase:  base("avtotor-baic-agreement", "Avtotor–BAIC assembly agreement"),
			SignedOn:    date("2023-04-04"),
			AnnouncedOn: date("2023-03"),
			Provisions: []model.Provision{
				{Summary: "Start assembly of the BAIC X35", Due: date("2023-04")},
				{Summary: "Localise production"},
			},
		},
		{EntityBase: base("gaz-vw-contract", "GAZ–Volkswagen contract assembly agreement"), SignedOn: date("2011-06")},
	}
	d.Agreements[0].SourceIDs = []string{"press-release-2023"}

	rel := func(id string, t model.RelationType, from, to string, st model.RelationStatus, validFrom, validTo string, sources ...string) *model.Relation {
		r := &model.Relation{ID: id, Type: t, FromID: from, ToID: to, Status: st, SourceIDs: sources}
		if validFrom != "" {
			r.ValidFrom = date(validFrom)
		}
		if validTo != "" {
			r.ValidTo = date(validTo)
		}
		return r
	}
	const (
		active  = model.StatusActive
		ended   = model.StatusEnded
		planned = model.StatusPlanned
		digest  = "zavod-digest-2023"
	)
	d.Relations = []*model.Relation{
		// The Avtotor hub.
		rel("r-avtotor-assembles-baic", model.RelAssembles, "avtotor", "baic", active, "2023-04", "", "interfax-2023-04-04", "press-release-2023"),
		rel("r-avtotor-assembles-baic-u5-plus", model.RelAssembles, "avtotor", "baic-u5-plus", planned, "2024", "", "press-release-2023"),
		rel("r-avtotor-assembles-baic-x35", model.RelAssembles, "avtotor", "baic-x35", active, "2023-04-04", "", "interfax-2023-04-04"),
		rel("r-avtotor-assembles-baic-x55", model.RelAssembles, "avtotor", "baic-x55", planned, "", "2023", "press-release-2023"),
		rel("r-avtotor-assembles-kia", model.RelAssembles, "avtotor", "kia", ended, "2004", "2022", "kommersant-2022"),
		rel("r-avtotor-assembles-mercedes-benz", model.RelAssembles, "avtotor", "mercedes-benz", ended, "2012-10", "2022-03", "kommersant-2022"),
		rel("r-avtotor-in-kaliningrad", model.RelLocatedIn, "avtotor", "kaliningrad", active, "", "", "interfax-2023-04-04"),
		rel("r-avtotor-operates-plant", model.RelOperates, "avtotor", "avtotor-plant", active, "1996", "", "interfax-2023-04-04"),
		rel("r-avtotor-partners-baic-1", model.RelPartnersWith, "avtotor", "baic-group", ended, "2012", "2014", "vedomosti-2019"),
		rel("r-avtotor-partners-baic-2", model.RelPartnersWith, "avtotor", "baic-group", active, "2023-03", "", "press-release-2023"),
		rel("r-avtotor-partners-mercedes", model.RelPartnersWith, "avtotor", "mercedes-benz-group", ended, "2012-10", "2022-03", "kommersant-2022"),
		rel("r-avtotor-party-to-agreement", model.RelPartyTo, "avtotor", "avtotor-baic-agreement", active, "2023-04-04", "", "interfax-2023-04-04"),
		rel("r-avtotor-plant-in-kaliningrad", model.RelLocatedIn, "avtotor-plant", "kaliningrad", active, "", "", digest),
		rel("r-baic-group-party-to-agreement", model.RelPartyTo, "baic-group", "avtotor-baic-agreement", active, "2023-04-04", "", "interfax-2023-04-04"),
		rel("r-baic-has-u5-plus", model.RelHasModel, "baic", "baic-u5-plus", active, "", "", digest),
		rel("r-baic-has-x35", model.RelHasModel, "baic", "baic-x35", active, "", "", digest),
		rel("r-baic-has-x55", model.RelHasModel, "baic", "baic-x55", active, "", "", digest),
		rel("r-baic-motor-owns-baic", model.RelOwnsBrand, "baic-motor", "baic", active, "", "", digest),
		rel("r-baic-motor-subsidiary-of-group", model.RelSubsidiaryOf, "baic-motor", "baic-group", active, "", "", digest),
		rel("r-kaliningrad-in-oblast", model.RelLocatedIn, "kaliningrad", "kaliningrad-oblast", active, "", "", digest),
		rel("r-kaliningrad-oblast-in-russia", model.RelLocatedIn, "kaliningrad-oblast", "russia", active, "", "", digest),
		rel("r-mercedes-group-owns-brand", model.RelOwnsBrand, "mercedes-benz-group", "mercedes-benz", active, "", "", digest),
		rel("r-mercedes-has-eqs", model.RelHasModel, "mercedes-benz", "mercedes-eqs", active, "2021", "", digest),
		rel("r-kia-corp-owns-kia", model.RelOwnsBrand, "kia-corporation", "kia", active, "", "", digest),

		// GAZ and the diamond to Volkswagen Group.
		rel("r-gaz-assembles-skoda", model.RelAssembles, "gaz-group", "skoda", ended, "2012", "2022", "vedomosti-2019"),
		rel("r-gaz-assembles-volkswagen", model.RelAssembles, "gaz-group", "volkswagen", ended, "2013", "2022", "vedomosti-2019"),
		rel("r-gaz-has-gazelle-e", model.RelHasModel, "gaz", "gazelle-e", planned, "2024-06", "", digest),
		rel("r-gaz-has-gazelle-next", model.RelHasModel, "gaz", "gazelle-next", active, "2013", "", "autostat-2023-01"),
		rel("r-gaz-operates-plant", model.RelOperates, "gaz-group", "gaz-plant", active, "", "", digest),
		rel("r-gaz-owns-gaz", model.RelOwnsBrand, "gaz-group", "gaz", active, "", "", digest),
		rel("r-gaz-party-to-contract", model.RelPartyTo, "gaz-group", "gaz-vw-contract", ended, "2011-06", "2022", "vedomosti-2019"),
		rel("r-gaz-plant-in-nizhny", model.RelLocatedIn, "gaz-plant", "nizhny-novgorod", active, "", "", digest),
		rel("r-skoda-auto-owns-skoda", model.RelOwnsBrand, "skoda-auto", "skoda", active, "", "", digest),
		rel("r-skoda-auto-subsidiary-of-vw", model.RelSubsidiaryOf, "skoda-auto", "volkswagen-group", active, "1991", "", digest),
		rel("r-vw-owns-volkswagen", model.RelOwnsBrand, "volkswagen-group", "volkswagen", active, "", "", digest),
		rel("r-vw-party-to-contract", model.RelPartyTo, "volkswagen-group", "gaz-vw-contract", ended, "2011-06", "2022", "vedomosti-2019"),

		// Haval in Tula.
		rel("r-gwm-owns-haval", model.RelOwnsBrand, "great-wall-motor", "haval", active, "", "", digest),
		rel("r-haval-has-f7", model.RelHasModel, "haval", "haval-f7", active, "", "", digest),
		rel("r-haval-has-jolion", model.RelHasModel, "haval", "haval-jolion", active, "", "", digest),
		rel("r-haval-plant-assembles-f7", model.RelAssembles, "haval-plant", "haval-f7", active, "2019-06", "", "autostat-2023-01"),
		rel("r-haval-plant-assembles-jolion", model.RelAssembles, "haval-plant", "haval-jolion", active, "2021", "", "autostat-2023-01"),
		rel("r-haval-plant-in-tula", model.RelLocatedIn, "haval-plant", "tula-oblast", active, "", "", digest),
		rel("r-haval-rus-operates-plant", model.RelOperates, "haval-motor-rus", "haval-plant", active, "2019-06-05", "", digest),
		rel("r-haval-rus-subsidiary-of-gwm", model.RelSubsidiaryOf, "haval-motor-rus", "great-wall-motor", active, "", "", digest),
		rel("r-tula-in-russia", model.RelLocatedIn, "tula-oblast", "russia", active, "", "", digest),

		// Moskvich in Moscow, formerly Renault's plant.
		rel("r-moscow-in-russia", model.RelLocatedIn, "moscow", "russia", active, "", "", digest),
		rel("r-moskvich-has-3", model.RelHasModel, "moskvich-brand", "moskvich-3", active, "2022", "", digest),
		rel("r-moskvich-has-3e", model.RelHasModel, "moskvich-brand", "moskvich-3e", active, "2022", "", digest),
		rel("r-moskvich-operates-plant", model.RelOperates, "moskvich", "moskvich-plant", active, "2022-11", "", digest),
		rel("r-moskvich-owns-brand", model.RelOwnsBrand, "moskvich", "moskvich-brand", active, "", "", digest),
		rel("r-moskvich-plant-assembles-3", model.RelAssembles, "moskvich-plant", "moskvich-3", active, "2022-11-23", "", "autostat-2023-01"),
		rel("r-moskvich-plant-in-moscow", model.RelLocatedIn, "moskvich-plant", "moscow", active, "", "", digest),
		rel("r-renault-operates-plant", model.RelOperates, "renault-group", "moskvich-plant", ended, "2005", "2022-05", "kommersant-2022"),

		// Lada and the rest.
		rel("r-avtovaz-owns-lada", model.RelOwnsBrand, "avtovaz", "lada", active, "", "", digest),
		rel("r-avtovaz-subsidiary-of-renault", model.RelSubsidiaryOf, "avtovaz", "renault-group", ended, "", "2022-05", "kommersant-2022"),
		rel("r-lada-has-niva-travel", model.RelHasModel, "lada", "lada-niva-travel", active, "2020-12", "", digest),
		rel("r-lada-has-vesta", model.RelHasModel, "lada", "lada-vesta", active, "2015-09", "", digest),
		rel("r-chery-owns-jetour", model.RelOwnsBrand, "chery", "jetour", active, "", "", digest),
		rel("r-stellantis-owns-citroen", model.RelOwnsBrand, "stellantis", "citroen", active, "", "", digest),
		rel("r-ford-sollers-jv-of-ford", model.RelJointVentureOf, "sollers-ford", "ford-motor", ended, "2011-10", "2019", "vedomosti-2019"),
		rel("r-ford-sollers-jv-of-sollers", model.RelJointVentureOf, "sollers-ford", "sollers", ended, "2011-10", "2019", "vedomosti-2019"),

		// The chain, in alternating directions, for path lengths.
		rel("r-chain-1-2", model.RelLocatedIn, "chain-1", "chain-2", active, "", "", digest),
		rel("r-chain-3-2", model.RelLocatedIn, "chain-3", "chain-2", active, "", "", digest),
		rel("r-chain-3-4", model.RelLocatedIn, "chain-3", "chain-4", active, "", "", digest),
		rel("r-chain-5-4", model.RelLocatedIn, "chain-5", "chain-4", active, "", "", digest),
		rel("r-chain-5-6", model.RelLocatedIn, "chain-5", "chain-6", active, "", "", digest),
		rel("r-chain-6-7", model.RelLocatedIn, "chain-6", "chain-7", active, "", "", digest),
	}
	for _, r := range d.Relations {
		if r.ID == "r-avtotor-assembles-baic-x55" {
			r.Quantity = n(10000)
			r.Note = "Planned by the end of 2023."
		}
	}
	return d
}
