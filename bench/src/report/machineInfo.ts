import { readFileSync } from 'node:fs';
import os from 'node:os';

const versionOf = (pkg: string): string => {
  try {
    const url = new URL(`../../node_modules/${pkg}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
};

/** The machine and the versions the figures were measured with. */
export function machineInfo(): string[] {
  const cpus = os.cpus();
  return [
    `CPU: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length} cores (os.cpus()), load average before the run ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}`,
    `Memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; OS: ${os.type()} ${os.release()} (${os.arch()})`,
    `Node ${process.version}; got ${versionOf('got')}; @flora-ai/flora ${versionOf('@flora-ai/flora')}; opossum ${versionOf('opossum')}; prom-client ${versionOf('prom-client')}`,
  ];
}
