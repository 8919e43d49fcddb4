// The floor of a scan (DESIGN.md §8): the same list requests the scan makes, with plain
// node:https + JSON.parse at the same page size and concurrency, and nothing else.
// Usage: node floor.mjs <server-url> <token> <ca-file> <paths-json-file> <concurrency>
import { readFileSync } from 'node:fs';
import https from 'node:https';

const [url, token, caFile, pathsFile, concurrencyArg] = process.argv.slice(2);
const ca = readFileSync(caFile, 'utf8');
const paths = JSON.parse(readFileSync(pathsFile, 'utf8'));
const agent = new https.Agent({ keepAlive: true, ca });

function get(path, accept) {
  return new Promise((resolve, reject) => {
    const req = https.get(new URL(path, url), { agent, headers: { authorization: `Bearer ${token}`, accept: accept ?? 'application/json' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

let items = 0;
async function list({ path, accept }) {
  let token;
  do {
    const u = new URL(path, url);
    if (token) u.searchParams.set('continue', token);
    const page = JSON.parse(await get(u.pathname + u.search, accept));
    items += page.items?.length ?? 0;
    token = page.metadata?.continue || undefined;
  } while (token);
}

const started = performance.now();
const queue = [...paths];
await Promise.all(Array.from({ length: Number(concurrencyArg) || 4 }, async () => {
  for (let p = queue.shift(); p; p = queue.shift()) await list(p);
}));
agent.destroy();
process.stdout.write(JSON.stringify({ ms: performance.now() - started, items }) + '\n');
