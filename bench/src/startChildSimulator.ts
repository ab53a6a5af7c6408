import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildSimulator {
  /** API base with `/api/v1`. */
  readonly url: string;
  readonly pid: number | undefined;
  /** SIGTERM, then waits for the exit (SIGKILL after 5 s). */
  close(): Promise<void>;
}

const CLI = fileURLToPath(new URL('../../packages/simulator/src/cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The simulator's CLI in a child process, so that its CPU is not the client's. Resolves with the URL
 * it prints on stdout; rejects if none comes within 20 s.
 */
export function startChildSimulator(args: readonly string[] = []): Promise<ChildSimulator> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@flora-resilience/source', '--import', 'tsx', CLI, '--port', '0', ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      void close();
      reject(new Error(`child simulator printed no URL within 20 s; stderr: ${err}`));
    }, 20_000);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        clearTimeout(timer);
        resolve({ url: line.trim(), pid: child.pid, close });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child simulator exited (${code}) before printing its URL; stderr: ${err}`));
    });
  });
}
