/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

// FLORA_TEST_GOT=16 (the Node 24 leg) maps every `got` import, in tests and in package sources
// alike, to got 16; FLORA_TEST_OPOSSUM=10 does the same for opossum 10.
const hostMap: Record<string, string> = {};
if (process.env.FLORA_TEST_GOT === '16') hostMap['^got$'] = 'got16';
if (process.env.FLORA_TEST_OPOSSUM === '10') hostMap['^opossum$'] = 'opossum10';

const config: Config = {
  testEnvironment: 'node',
  testEnvironmentOptions: {
    customExportConditions: ['@flora-resilience/source', 'node', 'node-addons'],
  },
  roots: ['<rootDir>/packages'],
  testMatch: ['**/test/**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    ...hostMap,
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      },
    ],
  },
  testTimeout: 30_000,
};

export default config;
