// Browser check (optional; not part of `npm test`): serves the built
// package and the fixture on 127.0.0.1, opens page.html in headless
// Chromium, waits for the page's JSON report (verdicts on the fixture and
// bad inputs, verify time), prints it, and exits 0 iff it is ok.
//   node test/browser/run.mjs [path-to-chromium]   (apt-get install chromium)
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PKG_DIR, FIXTURE_DIR } from '../helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const browser = process.argv[2] ?? 'chromium';
const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };
let onReport;
const reported = new Promise((ok) => { onReport = ok; });
const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (req.method === 'POST' && url.pathname === '/report') {
    let body = '';
    req.on('data', (d) => { body += d; }).on('end', () => { res.writeHead(204).end(); onReport(body); });
    return;
  }
  const [, top, ...rest] = url.pathname.split('/');
  const base = { pkg: PKG_DIR, fixture: FIXTURE_DIR }[top];
  const file = base ? path.join(base, ...rest) : url.pathname === '/' ? path.join(here, 'page.html') : undefined;
  if (!file || (base && !path.resolve(file).startsWith(path.resolve(base) + path.sep))) {
    res.writeHead(404).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const { port } = server.address();
const child = spawn(browser, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `http://127.0.0.1:${port}/`], { stdio: 'ignore' });
const exited = new Promise((ok) => child.on('exit', () => ok(null)).on('error', (e) => ok(JSON.stringify({ ok: false, error: `${browser}: ${e.message}` }))));
const timeout = new Promise((ok) => setTimeout(() => ok(JSON.stringify({ ok: false, error: 'no report within 120 s' })), 120000).unref());
const text = (await Promise.race([reported, exited, timeout])) ?? JSON.stringify({ ok: false, error: `${browser} exited without a report` });
child.kill();
server.close();
const report = JSON.parse(text);
console.log(JSON.stringify(report, null, 2));
process.exit(report.ok ? 0 : 1);
