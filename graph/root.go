package graph

// Root is r as the executable schema's ResolverRoot (graph.Config.Resolvers) with each
// object's resolver made once: the generated executor asks the root for the object's resolver
// at every field it resolves with one, and each getter of Resolver makes a new one. A type
// given resolvers later adds a getter to ResolverRoot, which root then lacks until it is added
// here: the build says so.
func (r *Resolver) Root() ResolverRoot {
	return &root{
		actor: r.Actor(), agreement: r.Agreement(), brand: r.Brand(), mutation: r.Mutation(),
		organization: r.Organization(), place: r.Place(), plant: r.Plant(), query: r.Query(),
		relation: r.Relation(), revision: r.Revision(), source: r.Source(),
		subscription: r.Subscription(), vehicleModel: r.VehicleModel(),
	}
}

// root is the ResolverRoot that Root makes.
type root struct {
	actor        ActorResolver
	agreement    AgreementResolver
	brand        BrandResolver
	mutation     MutationResolver
	organization OrganizationResolver
	place        PlaceResolver
	plant        PlantResolver
	query        QueryResolver
	relation     RelationResolver
	revision     RevisionResolver
	source       SourceResolver
	subscription SubscriptionResolver
	vehicleModel VehicleModelResolver
}

var _ ResolverRoot = (*root)(nil)

func (x *root) Actor() ActorResolver               { return x.actor }
func (x *root) Agreement() AgreementResolver       { return x.agreement }
func (x *root) Brand() BrandResolver               { return x.brand }
func (x *root) Mutation() MutationResolver         { return x.mutation }
func (x *root) Organization() OrganizationResolver { return x.organization }
func (x *root) Place() PlaceResolver               { return x.place }
func (x *root) Plant() PlantResolver               { return x.plant }
func (x *root) Query() QueryResolver               { return x.query }
func (x *root) Relation() RelationResolver         { return x.relation }
func (x *root) Revision() RevisionResolver         { return x.revision }
func (x *root) Source() SourceResolver             { return x.source }
func (x *root) Subscription() SubscriptionResolver { return x.subscription }
func (x *root) VehicleModel() VehicleModelResolver { return x.vehicleModel }
