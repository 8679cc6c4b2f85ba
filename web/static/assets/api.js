// The explorer's only contact with the server: GraphQL over POST /query. Every query the app
// sends is in this file, so it doubles as a catalogue of what a frontend needs from the API.

const ENDPOINT = '/query';

/** The server could not be reached, or answered with something that is not GraphQL. */
export class NetworkError extends Error {
  constructor(message, cause) {
    super(message);
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

/** The server answered with GraphQL errors; `errors` keeps them as sent. */
export class GraphQLError extends Error {
  constructor(errors) {
    const first = errors[0] || {};
    super(errors.map((e) => e.message).join('; ') || 'The server reported an error.');
    this.name = 'GraphQLError';
    this.errors = errors;
    this.code = first.extensions && first.extensions.code;
  }
}

/**
 * Sends one GraphQL operation and returns its data. Rejects with NetworkError or GraphQLError,
 * or with the AbortError of `signal`.
 */
export async function gql(query, variables = {}, { signal } = {}) {
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new NetworkError('No answer from /query.', err);
  }
  let body;
  try {
    body = await response.json();
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new NetworkError(`The server answered with status ${response.status} and no GraphQL response.`, err);
  }
  if (body.errors && body.errors.length) throw new GraphQLError(body.errors);
  if (!response.ok) throw new NetworkError(`The server answered ${response.status}.`);
  return body.data;
}

// Fragments shared by the queries below.
const SOURCE = `fragment SourceFields on Source { id title url publishedOn dateline publisher { id name } }`;
const RELATION = `fragment RelationFields on Relation {
  id type status validFrom validTo quantity note
  from { id name kind }
  to { id name kind }
  sources { ...SourceFields }
}`;

export const SEARCH = `query ExplorerSearch($q: String!) {
  search(query: $q, first: 8) { score entity { id name kind aliases } }
}`;

export const ENTITY = `query ExplorerEntity($id: ID!) {
  entity(id: $id) {
    id name kind description aliases
    sources { ...SourceFields }
    ... on Organization { type ownership founded country { id name } }
    ... on Brand { segment founded country { id name } }
    ... on VehicleModel { powertrain }
    ... on Plant { opened }
    ... on Place { placeType: type countryCode }
    ... on Agreement { signedOn announcedOn provisions { summary due } }
  }
}
${SOURCE}`;

export const RELATIONS = `query ExplorerRelations($id: ID!, $asOf: Date, $after: String) {
  entity(id: $id) {
    id
    relations(asOf: $asOf, first: 100, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...RelationFields } }
    }
  }
}
${RELATION}
${SOURCE}`;

export const NEIGHBORHOOD = `query ExplorerNeighborhood($id: ID!, $depth: Int, $types: [RelationType!], $asOf: Date, $limit: Int) {
  neighborhood(id: $id, depth: $depth, types: $types, asOf: $asOf, limit: $limit) {
    truncated
    nodes { id name kind }
    relations { id type status validFrom validTo from { id } to { id } sources { id publisher { name } } }
  }
}`;

export const PATHS = `query ExplorerPaths($from: ID!, $to: ID!, $asOf: Date) {
  paths(from: $from, to: $to, asOf: $asOf, maxLength: 6, first: 20) {
    length
    nodes { id name kind }
    relations { ...RelationFields }
  }
}
${RELATION}
${SOURCE}`;

export const TIMELINE = `query ExplorerTimeline($id: ID!) {
  timeline(id: $id) {
    date kind summary
    entity { id name kind }
    relation { id type status sources { ...SourceFields } }
  }
}
${SOURCE}`;

/** Every relation of an entity (following pages, up to `max`), as of a date or of all time. */
export async function allRelations(id, asOf, { signal, max = 1000 } = {}) {
  const out = [];
  let after = null;
  for (;;) {
    const data = await gql(RELATIONS, { id, asOf: asOf || null, after }, { signal });
    if (!data.entity) return null;
    const conn = data.entity.relations;
    for (const e of conn.edges) out.push(e.node);
    if (!conn.pageInfo.hasNextPage || out.length >= max) {
      return { relations: out, total: conn.totalCount };
    }
    after = conn.pageInfo.endCursor;
  }
}
