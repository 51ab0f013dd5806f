// Browser check (optional; not part of `npm test`): makes a demo with the
// zkstatus CLI, serves this package, the verifier package and the demo on
// 127.0.0.1 (a secure context, so the Cache API is there), opens page.html
// in headless Chromium, waits for the page's JSON report (key loads, proofs
// and their verdicts, proving times), prints it, and exits 0 iff it is ok.
//   node test/browser/run.mjs [path-to-chromium] [N] [SHARES]   (apt-get install chromium)
// N proofs per prover after a warm-up (startProver with 1 and 2 workers,
// interleaved); SHARES (e.g. 12,13) adds 2-worker provers with those helper
// shares, for measurements.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PKG_DIR, VERIFIER_PKG_DIR, ROOT, demoDir } from '../helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const browser = process.argv[2] ?? 'chromium';
const n = Number(process.argv[3] ?? 5);
const shares = process.argv[4] ?? '';
const demo = process.env.ZKSTATUS_DEMO_DIR ?? demoDir();
const pin = createHash('sha256').update(readFileSync(path.join(demo, 'zkstatus.pk'))).digest('hex');
// The peer (optional): snarkjs's browser build and the circom statement's
// keys (benches/peer: setup.sh; interop: npm ci), or ZKSTATUS_PEER_BUILD /
// ZKSTATUS_SNARKJS_BUILD; its input made from the demo's files.
const peerBuild = process.env.ZKSTATUS_PEER_BUILD ?? path.join(ROOT, 'benches/peer/build');
const snarkjsBuild = process.env.ZKSTATUS_SNARKJS_BUILD ?? path.join(ROOT, 'interop/node_modules/snarkjs/build');
const peer = ['status.zkey', 'status_js/status.wasm', 'verification_key.json'].every((f) => existsSync(path.join(peerBuild, f))) && existsSync(path.join(snarkjsBuild, 'snarkjs.min.js'));
let peerInput = null;
if (peer) {
  const { circuitInput } = await import(pathToFileURL(path.join(ROOT, 'benches/peer/input.mjs')).href);
  const load = (f) => JSON.parse(readFileSync(path.join(demo, f), 'utf8'));
  peerInput = JSON.stringify(circuitInput({ credential: load('credential.json'), holderSecret: load('holder.secret'), policy: load('policy.json'), challengeHex: '00'.repeat(31) + '2a', now: Math.floor(Date.now() / 1000) }));
}
const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };
let pkHits = 0;
let onReport;
const reported = new Promise((ok) => { onReport = ok; });
const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (req.method === 'POST' && url.pathname === '/report') {
    let body = '';
    req.on('data', (d) => { body += d; }).on('end', () => { res.writeHead(204).end(); onReport(body); });
    return;
  }
  if (url.pathname === '/peer-input.json' && peerInput) {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(peerInput);
    return;
  }
  const [, top, ...rest] = url.pathname.split('/');
  const base = { pkg: PKG_DIR, verifier: VERIFIER_PKG_DIR, demo, ...(peer ? { peer: peerBuild, snarkjs: snarkjsBuild } : {}) }[top];
  const file = base ? path.join(base, ...rest) : url.pathname === '/' ? path.join(here, 'page.html') : undefined;
  if (!file || (base && !path.resolve(file).startsWith(path.resolve(base) + path.sep))) {
    res.writeHead(404).end();
    return;
  }
  if (url.pathname === '/demo/zkstatus.pk') pkHits++;
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const { port } = server.address();
const child = spawn(browser, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${path.join(demo, 'chromium-profile')}`, `http://127.0.0.1:${port}/?pin=${pin}&n=${n}&shares=${shares}&peer=${peer ? 1 : 0}`], { stdio: 'ignore' });
const exited = new Promise((ok) => child.on('exit', () => ok(null)).on('error', (e) => ok(JSON.stringify({ ok: false, error: `${browser}: ${e.message}` }))));
const timeout = new Promise((ok) => setTimeout(() => ok(JSON.stringify({ ok: false, error: 'no report within 600 s' })), 600000).unref());
const text = (await Promise.race([reported, exited, timeout])) ?? JSON.stringify({ ok: false, error: `${browser} exited without a report` });
child.kill();
// Let Chromium exit before the demo directory (its profile) is removed.
await Promise.race([exited, new Promise((ok) => setTimeout(ok, 10000).unref())]);
server.close();
const report = JSON.parse(text);
report.serverProvingKeyRequests = pkHits;
// The page fetches the key once more itself in a measurement build.
report.ok = report.ok === true && pkHits === (report.expectedKeyFetches ?? 1) + (report.interleaved ? 1 : 0);
console.log(JSON.stringify(report, null, 2));
process.exit(report.ok ? 0 : 1);
