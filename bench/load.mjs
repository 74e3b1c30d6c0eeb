#!/usr/bin/env node
// Load test of `whosaid serve`, run by hand (no assertions on time):
//   node bench/load.mjs [--clients 200] [--requests 1000] [--seconds 60] [--workers N] [--json]
// Starts the server as a child process on a free loopback port (the built CLI from dist/ when present,
// else the sources under tsx), then CLIENTS concurrent clients each POST the bundled example article to
// /api/analyze in a loop, until REQUESTS have been sent or SECONDS have passed. Reports requests, errors,
// p50/p90/p99/max latency, throughput and the server's peak RSS (VmHWM from /proc).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import http from 'node:http';

const REPO = fileURLToPath(new URL('..', import.meta.url));

function parseArgs(argv) {
  const o = { clients: 200, requests: 1000, seconds: 60, workers: null, json: false, from: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--clients') o.clients = Number(argv[++i]);
    else if (a === '--requests') o.requests = Number(argv[++i]);
    else if (a === '--seconds') o.seconds = Number(argv[++i]);
    else if (a === '--workers') o.workers = Number(argv[++i]);
    else if (a === '--from') o.from = argv[++i];
    else if (a === '--json') o.json = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

function startServer(opts) {
  const fromDist = opts.from ? opts.from === 'dist' : existsSync(join(REPO, 'dist', 'cli', 'index.js'));
  const args = fromDist
    ? [join(REPO, 'bin', 'whosaid.js')]
    : ['--import', 'tsx', join(REPO, 'test', 'e2e', 'corpus-cli-entry.ts')];
  args.push('serve', '--port', '0', '--host', '127.0.0.1');
  if (opts.workers !== null) args.push('--workers', String(opts.workers));
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${err}`)), 60_000);
    child.stderr.on('data', (d) => {
      err += d;
      const m = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], fromDist, banner: err.trim() });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${err}`));
    });
  });
}

function memKb(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function post(agent, url, body) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request(url + '/api/analyze', { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - t0;
        let ok = res.statusCode === 200;
        if (ok) {
          try {
            ok = JSON.parse(Buffer.concat(chunks).toString('utf8')).schema === 'whosaid/1';
          } catch {
            ok = false;
          }
        }
        resolve({ ok, ms, status: res.statusCode });
      });
      res.on('error', () => resolve({ ok: false, ms: performance.now() - t0, status: 'error' }));
    });
    req.on('error', (e) => resolve({ ok: false, ms: performance.now() - t0, status: e.code ?? 'error' }));
    req.end(body);
  });
}

function pct(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const opts = parseArgs(process.argv.slice(2));
const text = readFileSync(join(REPO, 'examples', 'port-strike.txt'), 'utf8');
const body = JSON.stringify({ text });
const server = await startServer(opts);
const agent = new http.Agent({ keepAlive: true, maxSockets: opts.clients });
try {
  // Warm-up: the model loads on first use in each worker.
  for (let i = 0; i < 4; i++) await post(agent, server.url, body);
  const rssBefore = memKb(server.child.pid, 'VmRSS');
  const latencies = [];
  const failures = new Map();
  let sent = 0;
  const deadline = performance.now() + opts.seconds * 1000;
  let peakSample = 0;
  const sampler = setInterval(() => { peakSample = Math.max(peakSample, memKb(server.child.pid, 'VmRSS') ?? 0); }, 100);
  const started = performance.now();
  async function client() {
    while (sent < opts.requests && performance.now() < deadline) {
      sent++;
      const r = await post(agent, server.url, body);
      latencies.push(r.ms);
      if (!r.ok) failures.set(String(r.status), (failures.get(String(r.status)) ?? 0) + 1);
    }
  }
  await Promise.all(Array.from({ length: opts.clients }, client));
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const peak = memKb(server.child.pid, 'VmHWM');
  const sorted = latencies.slice().sort((a, b) => a - b);
  const errors = [...failures.values()].reduce((a, b) => a + b, 0);
  const result = {
    machine: `${cpus()[0]?.model?.trim() ?? 'CPU'}, ${availableParallelism()} cores, Node ${process.version}`,
    server: server.banner.replace(/^whosaid: /, ''),
    clients: opts.clients,
    articleChars: text.length,
    requests: latencies.length,
    errors,
    errorsByStatus: Object.fromEntries(failures),
    seconds: Math.round(elapsed * 10) / 10,
    throughputPerSecond: Math.round((latencies.length / elapsed) * 10) / 10,
    latencyMs: { p50: Math.round(pct(sorted, 50)), p90: Math.round(pct(sorted, 90)), p99: Math.round(pct(sorted, 99)), max: Math.round(sorted[sorted.length - 1] ?? NaN) },
    serverRssMiB: { idleAfterWarmup: rssBefore && Math.round(rssBefore / 1024), peak: peak && Math.round(Math.max(peak, peakSample) / 1024) },
  };
  if (opts.json) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`machine:     ${result.machine}`);
    console.log(`server:      ${result.server}`);
    console.log(`load:        ${result.clients} concurrent clients, the ${result.articleChars}-character example article`);
    console.log(`requests:    ${result.requests} in ${result.seconds} s (${result.throughputPerSecond}/s), errors: ${result.errors}${errors ? ' ' + JSON.stringify(result.errorsByStatus) : ''}`);
    console.log(`latency ms:  p50 ${result.latencyMs.p50}, p90 ${result.latencyMs.p90}, p99 ${result.latencyMs.p99}, max ${result.latencyMs.max}`);
    console.log(`server RSS:  ${result.serverRssMiB.idleAfterWarmup} MiB after warm-up, ${result.serverRssMiB.peak} MiB peak`);
  }
  process.exitCode = errors ? 1 : 0;
} finally {
  agent.destroy();
  server.child.kill('SIGTERM');
}
