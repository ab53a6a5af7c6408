import { spawn } from 'node:child_process';

export interface ChildScriptResult {
  readonly command: string;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  readonly timedOut: boolean;
}

/** Runs `node <nodeArgs…>` in `cwd`, capturing its output; killed after `timeoutMs`. */
export function runChildScript(
  cwd: string,
  nodeArgs: readonly string[],
  timeoutMs: number,
): Promise<ChildScriptResult> {
  const start = performance.now();
  const child = spawn(process.execPath, [...nodeArgs], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  return new Promise((resolve) => {
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      resolve({
        command: `node ${nodeArgs.join(' ')}`,
        exitCode,
        stdout,
        stderr,
        durationMs: performance.now() - start,
        timedOut,
      });
    });
  });
}
