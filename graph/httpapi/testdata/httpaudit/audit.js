// Runs graphql-http's GraphQL-over-HTTP server audits against the URL given as the only
// argument and prints one JSON line per audit: {"id","name","status","reason"}. Exits 0 when
// every audit ran (the Go test judges the results), 2 on a usage error, 1 when an audit
// could not run at all.
'use strict';

const { serverAudits } = require('graphql-http');

async function main() {
  const url = process.argv[2];
  if (!url) {
    console.error('usage: node audit.js http://host:port/query');
    process.exit(2);
  }
  for (const audit of serverAudits({ url })) {
    const r = await audit.fn();
    const line = { id: r.id, name: r.name, status: r.status };
    if (r.status !== 'ok') {
      line.reason = r.reason;
      try {
        line.responseStatus = r.response.status;
        line.responseBody = (await r.response.text()).slice(0, 500);
      } catch (e) {
        // the body may already have been read by the audit
      }
    }
    console.log(JSON.stringify(line));
  }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
