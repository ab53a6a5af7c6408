#!/usr/bin/env node
// One-time set-up behind the README's commands (`npm run demo`, `npm test`) on a fresh machine with only
// Node and npm: pnpm 12.4.2, the frozen workspace install, and (for the tests) Debian's `prometheus`.
// Fast when everything is already in place. Plain JavaScript on purpose: it runs before any dependency exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PNPM_VERSION = '12.4.2';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const forTests = process.argv.includes('--for=test');
const log = (msg) => process.stderr.write(`[setup] ${msg}\n`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status ?? r.signal}`);
  }
}

function pnpmVersion() {
  try {
    return execFileSync('pnpm', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

// 1. pnpm, exactly the pinned version (toolchain.md: others fail here or rewrite the lockfile).
if (pnpmVersion() !== PNPM_VERSION) {
  log(`installing pnpm@${PNPM_VERSION} with npm`);
  run('npm', ['install', '--global', '--no-audit', '--no-fund', `pnpm@${PNPM_VERSION}`]);
}

// 2. The workspace install, redone only when the lockfile or a manifest changed.
const manifests = ['pnpm-lock.yaml', 'pnpm-workspace.yaml', 'package.json'];
const hash = createHash('sha256');
for (const f of manifests) hash.update(readFileSync(join(root, f)));
const digest = hash.digest('hex');
const stamp = join(root, 'node_modules', '.flora-setup');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== digest) {
  log('pnpm install --frozen-lockfile');
  run('pnpm', ['install', '--frozen-lockfile']);
  writeFileSync(stamp, digest);
}

// 3. Prometheus and promtool for the metrics package's end-to-end tests (Debian package).
if (forTests && !existsSync('/usr/bin/prometheus')) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    log('apt-get install prometheus');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-qq'], { env });
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'prometheus'], { env });
    // The package starts a system Prometheus on :9090 where an init system exists; the tests start their own.
    spawnSync('sh', [
      '-c',
      'systemctl stop prometheus 2>/dev/null || service prometheus stop 2>/dev/null || pkill -x prometheus || true',
    ]);
  } else {
    log(
      'prometheus is not installed and this is not a root Debian machine: install the `prometheus` package first',
    );
    process.exit(1);
  }
}
