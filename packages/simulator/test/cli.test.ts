import { describe, expect, it } from '@jest/globals';
import { runCli } from '../src/cli/runCli.js';
import { call } from './http.js';

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
};

describe('flora-simulator CLI', () => {
  it('starts with --port/--scenario/--seed and prints the URL alone on stdout', async () => {
    const c = capture();
    const sim = await runCli(['--port', '0', '--scenario', 'failing-runs', '--seed', 'ci'], c.io);
    try {
      expect(sim).toBeDefined();
      expect(c.out).toEqual([sim!.url]);
      expect(c.out[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
      expect(c.err[0]).toContain('scenario failing-runs');
      expect((await call(sim!.url, '/techniques')).status).toBe(200);
    } finally {
      await sim?.close();
    }
  });

  it('refuses bad arguments', async () => {
    await expect(runCli(['--port', 'eighty'], capture().io)).rejects.toThrow(
      new RangeError('--port must be an integer in 0..65535, got "eighty"'),
    );
    await expect(runCli(['--port', '99999'], capture().io)).rejects.toThrow(RangeError);
    await expect(runCli(['--scenario', 'nope'], capture().io)).rejects.toThrow(
      /options.scenario must be one of/,
    );
    await expect(runCli(['--bogus'], capture().io)).rejects.toThrow(/Unknown option '--bogus'/);
    const help = capture();
    expect(await runCli(['--help'], help.io)).toBeUndefined();
    expect(help.out[0]).toMatch(/^Usage: flora-simulator/);
  });
});
