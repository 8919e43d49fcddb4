/**
 * Serves the bench's synthetic cluster until interrupted, for profiling a scan by hand:
 *   npx tsx scripts/bench/serve.ts [--size small|reference] DIR
 * writes DIR/kubeconfig, then e.g. `node --cpu-prof dist/bin/4c-tui.js scan --kubeconfig DIR/kubeconfig`.
 */
import { join } from 'node:path';
import { startApiServer } from '../../src/server/api-server.js';
import { REFERENCE, SMALL, syntheticCluster } from './synthetic.js';

const args = process.argv.slice(2);
const small = args.includes('small');
const dir = args.at(-1) ?? '.';
const server = await startApiServer({ objects: syntheticCluster(small ? SMALL : REFERENCE), tls: true, token: 'bench-token-0123456789abcdef', version: { major: '1', minor: '34', gitVersion: 'v1.34.2' } });
await server.writeKubeconfig(join(dir, 'kubeconfig'));
process.stderr.write(`serving ${server.url}; kubeconfig ${join(dir, 'kubeconfig')}\n`);
await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
await server.close();
