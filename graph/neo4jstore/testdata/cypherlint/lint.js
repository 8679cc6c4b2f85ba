// Lints Cypher statements with Neo4j's own language support library (the parser and
// semantic analysis of the Cypher 5 grammar that Neo4j's editors use).
//
// Usage: node lint.js statements.json
// statements.json maps a name to a statement. Every error is printed with the statement's
// name; the exit status is 1 when any statement has an error. Parameters are never declared
// to the linter, so "Parameter $x is not defined" is not an error here; warnings (such as
// the deprecation of importing WITH in CALL subqueries on 5.21+) are printed but pass.
"use strict";

const fs = require("node:fs");
const { lintCypherQuery, isNotParamError } = require("@neo4j-cypher/language-support");

const ERROR = 1;
const file = process.argv[2];
if (!file) {
  console.error("usage: node lint.js statements.json");
  process.exit(2);
}
const statements = JSON.parse(fs.readFileSync(file, "utf8"));
let failed = 0;
let warned = 0;
const names = Object.keys(statements).sort();
for (const name of names) {
  const { diagnostics } = lintCypherQuery(statements[name], {});
  const relevant = diagnostics.filter(isNotParamError);
  const errors = relevant.filter((d) => d.severity === ERROR || d.severity === undefined);
  const warnings = relevant.filter((d) => d.severity !== ERROR && d.severity !== undefined);
  if (errors.length > 0) {
    failed++;
    console.log(`ERROR ${name}: ${JSON.stringify(errors.map((d) => d.message))}`);
  }
  if (warnings.length > 0) {
    warned++;
    console.log(`warning ${name}: ${JSON.stringify([...new Set(warnings.map((d) => d.message))])}`);
  }
}
console.log(`${names.length} statements, ${failed} with errors, ${warned} with warnings`);
process.exit(failed > 0 ? 1 : 0);
