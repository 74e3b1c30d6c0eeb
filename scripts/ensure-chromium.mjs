#!/usr/bin/env node
// Runs before `npm test` (the `pretest` script): the browser suite drives a real Chromium through
// playwright-core, which never downloads a browser. On a machine without one we install Debian's
// package when we are root and apt-get exists; anywhere else we stop with one line saying what to do,
// because a skipped browser suite would be reported as a pass.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

// The same path the browser suite launches (test/e2e/browser.test.ts).
const CHROMIUM = process.env.WHOSAID_CHROMIUM ?? '/usr/bin/chromium';

function found() {
  return existsSync(CHROMIUM) ? CHROMIUM : undefined;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return r.status === 0;
}

if (found()) process.exit(0);
if (process.env.WHOSAID_CHROMIUM) {
  console.error(`ensure-chromium: WHOSAID_CHROMIUM=${process.env.WHOSAID_CHROMIUM} does not exist`);
  process.exit(1);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (!isRoot || !hasApt) {
  console.error(
    'ensure-chromium: the browser tests need Chromium and none was found; install it (Debian/Ubuntu: sudo apt-get install chromium) ' +
      'or point WHOSAID_CHROMIUM at a Chromium or Chrome binary, then run npm test again',
  );
  process.exit(1);
}
console.error('ensure-chromium: installing Debian\'s chromium for the browser tests (apt-get, about a minute)...');
if (!run('apt-get', ['update', '-qq']) || !run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'])) {
  console.error('ensure-chromium: apt-get could not install chromium; install it by hand or set WHOSAID_CHROMIUM');
  process.exit(1);
}
if (!found()) {
  console.error(`ensure-chromium: chromium was installed but ${CHROMIUM} is missing; set WHOSAID_CHROMIUM`);
  process.exit(1);
}
console.error(`ensure-chromium: ${found()} ready`);
