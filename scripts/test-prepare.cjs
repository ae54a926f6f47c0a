#!/usr/bin/env node
// `npm test` runs this first (pretest): it makes sure what the tests need is there, as far as it can.
// - PostgreSQL on 127.0.0.1:5432 (or KEFU_TEST_PG): started with pg_ctlcluster when installed but down.
// - Chromium for the web chat tests: Debian's package, installed with apt-get when missing (as root).
// It never downloads a browser of its own.
const { execSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');

function say(line) {
  process.stdout.write(`test-prepare: ${line}\n`);
}

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1000 }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function ensurePostgres() {
  const url = new URL(process.env.KEFU_TEST_PG || 'postgresql://postgres@127.0.0.1:5432/postgres');
  const host = url.hostname || '127.0.0.1';
  const port = Number(url.port || 5432);
  if (await reachable(host, port)) return;
  if (fs.existsSync('/etc/postgresql') && spawnSync('which', ['pg_ctlcluster']).status === 0) {
    const version = fs.readdirSync('/etc/postgresql')[0];
    say(`PostgreSQL is not answering on ${host}:${port}: starting cluster ${version}/main`);
    execSync(`pg_ctlcluster --skip-systemctl-redirect ${version} main start`, { stdio: 'inherit' });
    for (let i = 0; i < 30 && !(await reachable(host, port)); i++) await new Promise((r) => setTimeout(r, 1000));
    if (await reachable(host, port)) return;
  }
  say(`PostgreSQL is needed on ${host}:${port} (user postgres, trust auth), or set KEFU_TEST_PG=postgresql://...`);
  process.exit(1);
}

function ensureChromium() {
  if (fs.existsSync('/usr/bin/chromium')) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && spawnSync('which', ['apt-get']).status === 0) {
    say("installing Debian's chromium for the web chat tests (apt-get)");
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null', { stdio: 'inherit', shell: '/bin/bash' });
    if (fs.existsSync('/usr/bin/chromium')) return;
  }
  say('the web chat tests need /usr/bin/chromium: install the Debian package "chromium" (sudo apt-get install chromium)');
  process.exit(1);
}

ensurePostgres()
  .then(ensureChromium)
  .catch((err) => {
    say(err && err.message ? err.message : String(err));
    process.exit(1);
  });
