#!/usr/bin/env node
// One-time set-up behind the README's commands (`npm run demo`, `npm test`) on a fresh machine with only
// Node and npm: pnpm 12.4.2, the frozen workspace install, and (for the tests) Debian's `prometheus` and
// `redis-server`.
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

// 3. Debian packages for the end-to-end tests: Prometheus and promtool (metrics package), redis-server (the
//    retry package's Redis cooldown store). Each test starts its own server on a free port.
const debianPackages = [
  ['/usr/bin/prometheus', 'prometheus'],
  ['/usr/bin/redis-server', 'redis-server'],
];
const missing = forTests ? debianPackages.filter(([bin]) => !existsSync(bin)).map(([, pkg]) => pkg) : [];
if (missing.length > 0) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    log(`apt-get install ${missing.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-qq'], { env });
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
    // The packages start a system service (Prometheus on :9090, Redis on :6379) where an init system
    // exists; the tests start their own.
    if (missing.includes('prometheus')) {
      spawnSync('sh', [
        '-c',
        'systemctl stop prometheus 2>/dev/null || service prometheus stop 2>/dev/null || pkill -x prometheus || true',
      ]);
    }
    if (missing.includes('redis-server')) {
      spawnSync('sh', [
        '-c',
        'systemctl stop redis-server 2>/dev/null || service redis-server stop 2>/dev/null || redis-cli -p 6379 shutdown nosave 2>/dev/null || true',
      ]);
    }
  } else {
    log(
      `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed and this is not a root Debian machine: install the ${missing.map((p) => `\`${p}\``).join(' and ')} package${missing.length > 1 ? 's' : ''} first`,
    );
    process.exit(1);
  }
}
