import { floraOperation } from '@flora-resilience/errors';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

const API = 'https://app.flora.ai/api/v1';

describe('floraOperation: bounded route templates', () => {
  it.each([
    ['POST', `${API}/techniques/thumbnail-v3/runs`, 'POST /techniques/thumbnail-v3/runs'],
    ['get', `${API}/techniques/thumbnail-v3/runs/run_9f8e7d`, 'GET /techniques/thumbnail-v3/runs/:id'],
    ['GET', `${API}/runs/run_abc123`, 'GET /runs/:id'],
    ['GET', `${API}/runs/run_abc123?x=1#frag`, 'GET /runs/:id'],
    ['GET', `${API}/assets/asset_01HZY`, 'GET /assets/:id'],
    ['POST', `${API}/assets/asset_01HZY/complete`, 'POST /assets/:id/complete'],
    ['GET', `${API}/projects/prj_123/nodes`, 'GET /projects/:id/nodes'],
    ['GET', `${API}/projects/proj_ABCD`, 'GET /projects/:id'],
    [
      'POST',
      `${API}/workspaces/ws_1/projects/prj_2/canvas/changeset`,
      'POST /workspaces/:id/projects/:id/canvas/changeset',
    ],
    [
      'DELETE',
      `${API}/workspaces/ws_1/library/folders/libfolder_9`,
      'DELETE /workspaces/:id/library/folders/:id',
    ],
    ['GET', `${API}/techniques/tech_abc`, 'GET /techniques/:id'],
    ['GET', `${API}/generations?workspace_id=ws_1&limit=100`, 'GET /generations'],
    ['GET', `${API}/runs/0b7d7f9e-2c1a-4c7e-9a55-1f0e7f5b2a10`, 'GET /runs/:id'],
    ['GET', `${API}/runs/12345`, 'GET /runs/:id'],
    ['GET', `${API}/runs/run_ab.c`, 'GET /runs/:id'], // starts with an id prefix: an id, even with odd chars
    ['GET', `${API}/runs/%E2%9C%93`, 'GET /runs/:id'], // not a slug
    ['GET', `${API}/runs/%ZZ`, 'GET /runs/:id'], // undecodable
    ['GET', `${API}/techniques/${'a'.repeat(100)}`, 'GET /techniques/:id'], // too long for a slug
    ['GET', `${API}`, 'GET /'],
    ['POST', '/techniques/cctv-cam/runs', 'POST /techniques/cctv-cam/runs'], // a path alone (prefixUrl style)
    ['POST', 'techniques/cctv-cam/runs', 'POST /techniques/cctv-cam/runs'],
    [undefined, `${API}/models`, 'GET /models'],
    ['brew', `${API}/models`, 'OTHER /models'],
    [' patch ', `${API}/projects/prj_1/canvas`, 'PATCH /projects/:id/canvas'],
  ] as const)('%s %s → %s', (method, url, expected) => {
    expect(floraOperation(method, url)).toBe(expected);
  });

  it('accepts a URL object', () => {
    expect(floraOperation('GET', new URL(`${API}/runs/run_1`))).toBe('GET /runs/:id');
  });

  it('keepSlugs: false turns technique and action slugs into :id too', () => {
    expect(floraOperation('POST', `${API}/techniques/thumbnail-v3/runs`, { keepSlugs: false })).toBe(
      'POST /techniques/:id/runs',
    );
    expect(floraOperation('GET', `${API}/actions/color-grade-image-browser`, { keepSlugs: false })).toBe(
      'GET /actions/:id',
    );
  });

  it('property: always `METHOD /template` of safe characters, never a FLORA id', () => {
    const id = fc
      .tuple(
        fc.constantFrom('run', 'asset', 'prj', 'ws', 'req', 'tech'),
        fc.stringMatching(/^[A-Za-z0-9._~%-]{1,20}$/),
      )
      .map(([p, rest]) => `${p}_${rest}`);
    const segment = fc.oneof(
      id,
      fc.string({ maxLength: 20 }),
      fc.constantFrom('runs', 'techniques', 'thumbnail-v3', 'api', 'v1'),
    );
    const url = fc.oneof(
      fc.array(segment, { maxLength: 8 }).map((s) => `${API}/${s.map(encodeURIComponent).join('/')}`),
      fc.array(segment, { maxLength: 8 }).map((s) => `/${s.join('/')}`),
      fc.string(),
    );
    const method = fc.oneof(fc.constantFrom('GET', 'post', 'Delete'), fc.string(), fc.constant(undefined));
    fc.assert(
      fc.property(method, url, (m, u) => {
        const op = floraOperation(m, u);
        expect(op).toMatch(/^[A-Z]+ \/[A-Za-z0-9._:/-]*$/);
        expect(op).not.toMatch(/(?:^|\/)(?:run|asset|prj|ws|req|tech)_/);
      }),
      { numRuns: 3000 },
    );
  });
});
