#!/usr/bin/env node
// `npm test` runs this first (pretest): it makes sure what the tests need is there, as far as it can.
// - PostgreSQL on 127.0.0.1:5432 (or KEFU_TEST_PG): started with pg_ctlcluster when installed but down.
// - Chromium for the web chat tests: Debian's package, installed with apt-get when missing (as root).
// - Fonts for Chinese text and emoji in the browser's screenshots (Debian's chromium has none, so
//   Chinese shows as boxes): fonts-noto-cjk and fonts-noto-color-emoji, the same way. The tests pass
//   without them, so where they cannot be installed this only says so.
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

const FONT_PACKAGES = ['fonts-noto-cjk', 'fonts-noto-color-emoji'];

function canAptInstall() {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return root && spawnSync('which', ['apt-get']).status === 0;
}

function aptInstall(packages) {
  execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages.join(' ')} >/dev/null`, { stdio: 'inherit', shell: '/bin/bash' });
}

function debianPackageInstalled(name) {
  const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return query.status === 0 && query.stdout.includes('install ok installed');
}

/** Chromium, and the fonts its screenshots need, in one apt-get run when both are missing. */
function ensureChromiumAndFonts() {
  const hasDpkg = spawnSync('which', ['dpkg-query']).status === 0;
  const missingFonts = hasDpkg ? FONT_PACKAGES.filter((p) => !debianPackageInstalled(p)) : [];
  const missing = [...(fs.existsSync('/usr/bin/chromium') ? [] : ['chromium']), ...missingFonts];
  if (missing.length && canAptInstall()) {
    say(`installing ${missing.join(', ')} for the web chat tests (apt-get)`);
    aptInstall(missing);
  }
  if (!fs.existsSync('/usr/bin/chromium')) {
    say('the web chat tests need /usr/bin/chromium: install the Debian package "chromium" (sudo apt-get install chromium)');
    process.exit(1);
  }
  const stillMissing = hasDpkg ? FONT_PACKAGES.filter((p) => !debianPackageInstalled(p)) : [];
  if (stillMissing.length) {
    say(`without ${stillMissing.join(' and ')}, Chinese and emoji show as boxes in the web chat screenshots (sudo apt-get install ${stillMissing.join(' ')}); the tests run anyway`);
  }
}

ensurePostgres()
  .then(ensureChromiumAndFonts)
  .catch((err) => {
    say(err && err.message ? err.message : String(err));
    process.exit(1);
  });
