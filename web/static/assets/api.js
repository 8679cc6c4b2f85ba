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

export const SEARCH = `query ExplorerSearch($q: String!, $knownAt: Time) {
  search(query: $q, first: 8, knownAt: $knownAt) { score entity { id name kind aliases } }
}`;

export const ENTITY = `query ExplorerEntity($id: ID!, $knownAt: Time) {
  entity(id: $id, knownAt: $knownAt) {
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

export const RELATIONS = `query ExplorerRelations($id: ID!, $asOf: Date, $after: String, $knownAt: Time) {
  entity(id: $id, knownAt: $knownAt) {
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

export const NEIGHBORHOOD = `query ExplorerNeighborhood($id: ID!, $depth: Int, $types: [RelationType!], $asOf: Date, $limit: Int, $knownAt: Time) {
  neighborhood(id: $id, depth: $depth, types: $types, asOf: $asOf, limit: $limit, knownAt: $knownAt) {
    truncated
    nodes { id name kind }
    relations { id type status validFrom validTo from { id } to { id } sources { id publisher { name } } }
  }
}`;

export const PATHS = `query ExplorerPaths($from: ID!, $to: ID!, $asOf: Date, $knownAt: Time) {
  paths(from: $from, to: $to, asOf: $asOf, maxLength: 6, first: 20, knownAt: $knownAt) {
    length
    nodes { id name kind }
    relations { ...RelationFields }
  }
}
${RELATION}
${SOURCE}`;

export const TIMELINE = `query ExplorerTimeline($id: ID!, $knownAt: Time) {
  timeline(id: $id, knownAt: $knownAt) {
    date kind summary
    entity { id name kind }
    relation { id type status sources { ...SourceFields } }
  }
}
${SOURCE}`;

/**
 * Every relation of an entity (following pages, up to `max`), as of a date or of all time, as
 * the graph stood at `knownAt` (now when empty).
 */
export async function allRelations(id, asOf, knownAt, { signal, max = 1000 } = {}) {
  const out = [];
  let after = null;
  for (;;) {
    const data = await gql(RELATIONS, { id, asOf: asOf || null, after, knownAt: knownAt || null }, { signal });
    if (!data.entity) return null;
    const conn = data.entity.relations;
    for (const e of conn.edges) out.push(e.node);
    if (!conn.pageInfo.hasNextPage || out.length >= max) {
      return { relations: out, total: conn.totalCount };
    }
    after = conn.pageInfo.endCursor;
  }
}

// History: what changed, when and by whom. `before` and `after` are the item's stored content
// (JSON: sort, kind, createdAt, updatedAt, value) or null where it did not exist.
export const HISTORY = `query ExplorerHistory($id: ID!, $first: Int, $after: String) {
  history(id: $id, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { number at operation actor { name role via } changeCount before after }
  }
}`;

export const HISTORY_INFO = `query ExplorerHistoryInfo { historyInfo { last { number at } floorAt } }`;

// The change feed the explorer follows while it shows the graph as it is now.
export const CHANGES = `subscription ExplorerChanges($ids: [ID!], $since: Int) {
  changes(ids: $ids, since: $since) { revision at operation actor { name } ids }
}`;

/**
 * Follows a subscription over server-sent events (POST /query with Accept: text/event-stream,
 * read as a stream with fetch). Calls onNext(data) for each result, and resolves when the server
 * ends the stream ("complete"), or rejects: with NetworkError when the connection drops or the
 * server does not stream, GraphQLError when a result carries errors, AbortError on `signal`.
 * onOpen runs once the server has accepted the stream.
 */
export async function subscribe(query, variables, { signal, onOpen, onNext }) {
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify({ query, variables }),
      signal,
      cache: 'no-store',
    });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new NetworkError('No answer from /query.', err);
  }
  const type = response.headers.get('Content-Type') || '';
  if (!type.startsWith('text/event-stream') || !response.body) {
    // A server without the transport answers with plain GraphQL JSON: say what it said.
    let body = null;
    try {
      body = await response.json();
    } catch (err) {
      if (err.name === 'AbortError') throw err;
    }
    if (body && body.errors && body.errors.length) throw new GraphQLError(body.errors);
    const err = new NetworkError(`The server does not stream changes (status ${response.status}).`);
    err.unsupported = true;
    throw err;
  }
  if (onOpen) onOpen();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch (err) {
      if (err.name === 'AbortError') throw err;
      throw new NetworkError('The change stream was cut off.', err);
    }
    if (chunk.done) throw new NetworkError('The change stream ended without a word.');
    buffer += chunk.value.replace(/\r\n?/g, '\n');
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue; // a comment: the opening and the keep-alive pings
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (event === 'complete') {
        reader.cancel().catch(() => {});
        return;
      }
      if (!data.length) continue;
      let body;
      try {
        body = JSON.parse(data.join('\n'));
      } catch (err) {
        throw new NetworkError('The change stream sent something that is not JSON.', err);
      }
      if (body.errors && body.errors.length) throw new GraphQLError(body.errors);
      if (body.data) onNext(body.data);
    }
  }
}
