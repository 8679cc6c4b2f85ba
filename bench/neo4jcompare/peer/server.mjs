// The peer of bench/neo4jcompare: the Neo4j GraphQL Library (7.x) under Apollo Server,
// serving the very graph that autograph writes to Neo4j (graph/neo4jstore's labels,
// properties and relationship types), so both servers read the same nodes.
//
// Environment: NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE (default neo4j),
// PORT (the port on 127.0.0.1 to serve /query on; 0 picks one). It prints
// "listening http://127.0.0.1:PORT/query" once it serves, and stops on SIGTERM or SIGINT.
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { Neo4jGraphQL } from '@neo4j/graphql';
import neo4j from 'neo4j-driver';

// The mapping onto autograph's graph. Entities carry :Entity plus their kind's label;
// relations are relationships typed as autograph's relation types, with the period and status
// as properties (spanStart/spanEnd: the half-open day interval an asOf filter compares).
// Search and the neighbourhood have no generated equivalent, so they are @cypher fields that
// read the same properties autograph's store reads (searchKeys; any relationship between
// entities).
export const typeDefs = /* GraphQL */ `
  type Relation @relationshipProperties {
    id: ID!
    status: String!
    validFrom: String
    validTo: String
    spanStart: String
    spanEnd: String
    quantity: Int
    note: String
  }

  type Organization @node(labels: ["Organization", "Entity"]) {
    id: ID!
    name: String!
    nameKey: String!
    kind: String!
    type: String
    brands: [Brand!]! @relationship(type: "OWNS_BRAND", direction: OUT)
    jointVentures: [Organization!]! @relationship(type: "JOINT_VENTURE_OF", direction: IN)
    assembles: [Assembled!]! @relationship(type: "ASSEMBLES", direction: OUT, properties: "Relation")
  }

  type Brand @node(labels: ["Brand", "Entity"]) {
    id: ID!
    name: String!
    nameKey: String!
    kind: String!
    models: [VehicleModel!]! @relationship(type: "HAS_MODEL", direction: OUT)
  }

  type VehicleModel @node(labels: ["VehicleModel", "Entity"]) {
    id: ID!
    name: String!
    kind: String!
  }

  union Assembled = Brand | VehicleModel

  type Entity @node(labels: ["Entity"]) {
    id: ID!
    name: String!
    kind: String!
    neighbours: [Entity!]!
      @cypher(statement: "MATCH (this)--(n:Entity) RETURN DISTINCT n", columnName: "n")
  }

  type Query {
    search(fragment: String!): [Entity!]!
      @cypher(
        statement: "MATCH (n:Entity) WHERE any(k IN n.searchKeys WHERE k CONTAINS $fragment) RETURN n"
        columnName: "n"
      )
  }
`;

const env = (name, def) => process.env[name] || def;
const driver = neo4j.driver(
  env('NEO4J_URI', 'bolt://127.0.0.1:7687'),
  neo4j.auth.basic(env('NEO4J_USERNAME', 'neo4j'), env('NEO4J_PASSWORD', '')),
);
await driver.verifyConnectivity();
const database = env('NEO4J_DATABASE', 'neo4j');
// Lexicographic comparisons on strings are off by default; the asOf overlap needs them on the
// YYYY-MM-DD span bounds, as autograph's own Cypher compares them.
const features = { filters: { String: { LT: true, LTE: true, GT: true, GTE: true } } };
const schema = await new Neo4jGraphQL({ typeDefs, driver, features }).getSchema();
const server = new ApolloServer({ schema });
const { url } = await startStandaloneServer(server, {
  listen: { host: '127.0.0.1', port: Number(env('PORT', '0')) },
  context: async () => ({ sessionConfig: { database } }),
});
console.log(`listening ${url.replace(/\/$/, '')}/query`);

const stop = async () => {
  await server.stop();
  await driver.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
