// The console's schema browser, built from introspection: every type by kind, and for the one
// chosen its description, fields with their arguments and types, input fields, enum values,
// interfaces and implementations. Type names are links (?type=Name), so the browser follows
// the address like the rest of the console.

import { h } from './format.js';

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';
const INPUT_VALUE = `name description defaultValue type { ${TYPE_REF} }`;

export const INTROSPECTION = `query ConsoleSchema {
  __schema {
    queryType { name }
    mutationType { name }
    types {
      kind name description
      fields(includeDeprecated: true) { name description isDeprecated deprecationReason args { ${INPUT_VALUE} } type { ${TYPE_REF} } }
      inputFields { ${INPUT_VALUE} }
      interfaces { name }
      possibleTypes { name }
      enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
    }
  }
}`;

const KIND_ORDER = [
  ['OBJECT', 'Objects'], ['INTERFACE', 'Interfaces'], ['UNION', 'Unions'], ['INPUT_OBJECT', 'Inputs'],
  ['ENUM', 'Enums'], ['SCALAR', 'Scalars'],
];

/** A type reference as GraphQL writes it, with each named type a link: [Relation!]!. */
function typeRef(ref, link) {
  if (ref.kind === 'NON_NULL') return [typeRef(ref.ofType, link), '!'];
  if (ref.kind === 'LIST') return ['[', typeRef(ref.ofType, link), ']'];
  return link(ref.name);
}

function description(text) {
  return text ? h('p', { className: 'schema-desc' }, text) : null;
}

/**
 * Renders the browser for `schema` (the __schema of INTROSPECTION) into `el`, showing the type
 * `selected` (the query type when empty). `hrefFor(name)` is a type's link; `onPick(name)` runs
 * when one is followed.
 */
export function renderSchema(el, schema, { selected, hrefFor, onPick }) {
  const types = new Map(schema.types.filter((t) => !t.name.startsWith('__')).map((t) => [t.name, t]));
  const root = schema.queryType.name;
  const current = types.get(selected) || types.get(root);
  const link = (name) => h('a', {
    href: hrefFor(name),
    className: `type-link${name === current.name ? ' is-current' : ''}`,
    'data-type': name,
    on: {
      click: (ev) => {
        if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
        ev.preventDefault();
        onPick(name);
      },
    },
  }, name);

  const roots = [schema.queryType, schema.mutationType].filter(Boolean).map((t) => t.name);
  const groups = KIND_ORDER.map(([kind, label]) => {
    const names = [...types.values()].filter((t) => t.kind === kind && !roots.includes(t.name)).map((t) => t.name).sort();
    return names.length ? h('div', { className: 'type-group' }, h('h3', {}, label), h('ul', {}, names.map((n) => h('li', {}, link(n))))) : null;
  });
  const index = h('nav', { className: 'type-index', 'aria-label': 'All types' },
    h('h3', {}, 'Root types'), h('ul', {}, roots.map((n) => h('li', {}, link(n)))),
    groups);

  el.replaceChildren(typeDetail(current, link), index);
}

function typeDetail(t, link) {
  const parts = [
    h('h3', { className: 'type-name', id: 'schema-type', tabIndex: -1 }, t.name, ' ', h('span', { className: 'type-kind' }, t.kind.toLowerCase().replace('_', ' '))),
    description(t.description),
  ];
  if (t.interfaces && t.interfaces.length) parts.push(h('p', { className: 'type-rel' }, 'Implements ', t.interfaces.flatMap((i, k) => [k ? ', ' : '', link(i.name)])));
  if (t.possibleTypes && t.possibleTypes.length) parts.push(h('p', { className: 'type-rel' }, t.kind === 'UNION' ? 'One of ' : 'Implemented by ', t.possibleTypes.flatMap((i, k) => [k ? ', ' : '', link(i.name)])));
  const fields = t.fields || t.inputFields;
  if (fields && fields.length) {
    parts.push(h('ul', { className: 'field-list' }, fields.map((f) => h('li', { className: 'field', 'data-field': f.name },
      h('code', { className: 'field-sig' },
        h('span', { className: 'field-name' }, f.name),
        f.args && f.args.length
          ? ['(', f.args.flatMap((a, i) => [i ? ', ' : '', h('span', { className: 'arg', title: a.description || '' }, a.name), ': ', typeRef(a.type, link), a.defaultValue != null ? ` = ${a.defaultValue}` : '']), ')']
          : null,
        ': ', typeRef(f.type, link),
        f.defaultValue != null ? ` = ${f.defaultValue}` : ''),
      f.isDeprecated ? h('p', { className: 'deprecated' }, `Deprecated: ${f.deprecationReason || 'no reason given'}`) : null,
      description(f.description),
      f.args && f.args.some((a) => a.description)
        ? h('dl', { className: 'arg-list' }, f.args.filter((a) => a.description).flatMap((a) => [h('dt', {}, a.name), h('dd', {}, a.description)]))
        : null))));
  }
  if (t.enumValues && t.enumValues.length) {
    parts.push(h('ul', { className: 'field-list' }, t.enumValues.map((v) => h('li', { className: 'field', 'data-field': v.name },
      h('code', { className: 'field-name' }, v.name), description(v.description)))));
  }
  return h('article', { className: 'type-detail', 'aria-labelledby': 'schema-type' }, parts);
}
