import { ApiError } from '../http/ApiError.js';
import { newId } from '../http/newId.js';
import type { AssetRecord, SimulatorState } from '../state/SimulatorState.js';
import { paginate } from './paginate.js';
import { newestFirst, queryPrefixedId } from './queryFilters.js';
import type { RouteHandler } from './RouteHandler.js';
import { bodyObject, FieldCollector, isHttpsUrl, prefixedId } from './validation.js';
import { assertOwnWorkspace } from './workspaceAccess.js';

const CONTENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/avif',
  'image/heic',
  'image/heif',
  'video/mp4',
  'video/webm',
  'video/quicktime',
  'video/mpeg',
  'audio/wav',
  'audio/ogg',
  'application/pdf',
];
const UPLOAD_TTL_MS = 60 * 60 * 1000;

/**
 * `POST /assets`, `GET /assets`, `GET /assets/:id`, `POST /assets/:id/complete`, `POST /assets/:id/retry`.
 * The list gives `created_at` as a number (ms) and the retrieve as an ISO string, as the SDK types differ.
 */
export function assetRoutes(state: SimulatorState): Record<string, RouteHandler> {
  const view = (a: AssetRecord): Record<string, unknown> => {
    const out: Record<string, unknown> = {
      asset_id: a.asset_id,
      status: a.status,
      uploaded_via: a.uploaded_via,
      url: a.url,
      visibility: 'workspace',
      workspace_id: a.workspace_id,
      project_id: a.project_id,
      content_type: a.content_type,
      file_name: a.file_name,
      created_at: new Date(a.created_at).toISOString(),
    };
    if (a.status === 'pending_upload') {
      const uploadUrl = `https://uploads.flora.ai/simulator/${a.asset_id}`;
      out.expires_at = a.expires_at === null ? null : new Date(a.expires_at).toISOString();
      out.upload = {
        url: uploadUrl,
        method: 'POST',
        content_type: 'multipart/form-data',
        file_field: 'file',
        form_fields: { key: a.asset_id },
      };
      out.upload_url = uploadUrl;
    }
    if (a.status === 'failed') out.failure_message = a.failure_message;
    return out;
  };
  const own = (id: string, workspaceId: string): AssetRecord => {
    const a = state.assets.get(id);
    if (!a || a.workspace_id !== workspaceId) throw ApiError.notFound('Asset');
    return a;
  };

  return {
    'POST /assets': (ctx) => {
      const body = bodyObject(ctx.body);
      const c = new FieldCollector();
      const source = body.source;
      if (source === undefined) c.add('source', 'Required');
      else if (source !== 'signed-url' && !isHttpsUrl(source)) {
        c.add('source', "Expected 'signed-url' or an https URL.");
      }
      const workspaceId = prefixedId(c, body, 'workspace_id', 'ws', true);
      const projectId = prefixedId(c, body, 'project_id', 'prj', false);
      if (body.content_type !== undefined && !CONTENT_TYPES.includes(body.content_type as string)) {
        c.add('content_type', `Unsupported content type; expected one of ${CONTENT_TYPES.join(', ')}.`);
      }
      if (body.file_name !== undefined && typeof body.file_name !== 'string')
        c.add('file_name', 'Expected string.');
      c.throwIfAny();
      assertOwnWorkspace(workspaceId!, ctx.workspaceId);
      if (projectId !== undefined) {
        const p = state.projects.get(projectId);
        if (!p || p.workspace_id !== ctx.workspaceId) throw ApiError.notFound('Project');
      }
      const id = newId('asset');
      const signed = source === 'signed-url';
      // Hosts under the reserved `.invalid` TLD (RFC 2606) simulate an unreachable source: the asset fails.
      const unreachable = !signed && new URL(source as string).hostname.endsWith('.invalid');
      const asset: AssetRecord = {
        asset_id: id,
        workspace_id: ctx.workspaceId,
        project_id: projectId ?? null,
        status: signed ? 'pending_upload' : unreachable ? 'failed' : 'ready',
        uploaded_via: signed ? 'signed_url' : 'url',
        url: `https://media.flora.ai/simulator/${id}`,
        content_type: (body.content_type as string | undefined) ?? null,
        file_name: (body.file_name as string | undefined) ?? null,
        created_at: ctx.now,
        expires_at: signed ? ctx.now + UPLOAD_TTL_MS : null,
        failure_message: unreachable ? 'The source URL could not be fetched.' : null,
      };
      state.assets.set(id, asset);
      state.countAsset();
      return { status: 200, body: view(asset) };
    },
    'GET /assets': (ctx) => {
      const c = new FieldCollector();
      const workspaceId = queryPrefixedId(c, ctx.query, 'workspace_id', 'ws');
      const projectId = queryPrefixedId(c, ctx.query, 'project_id', 'prj');
      c.throwIfAny();
      if (workspaceId !== undefined) assertOwnWorkspace(workspaceId, ctx.workspaceId);
      const q = ctx.query.get('query')?.toLowerCase();
      const assets = [...state.assets.values()].filter(
        (a) =>
          a.workspace_id === ctx.workspaceId &&
          (projectId === undefined || a.project_id === projectId) &&
          (!q || a.asset_id.includes(q) || (a.file_name ?? '').toLowerCase().includes(q)),
      );
      const items = newestFirst(assets, (a) => a.created_at).map((a) => ({
        ...view(a),
        created_at: a.created_at,
      }));
      return { status: 200, body: paginate(items, ctx.query, 'assets') };
    },
    'GET /assets/:id': (ctx) => ({ status: 200, body: view(own(ctx.params.id!, ctx.workspaceId)) }),
    'POST /assets/:id/complete': (ctx) => {
      const a = own(ctx.params.id!, ctx.workspaceId);
      if (a.status !== 'pending_upload') {
        throw new ApiError(
          409,
          'conflict',
          `Asset ${a.asset_id} is ${a.status}; only a pending_upload asset can be completed.`,
        );
      }
      a.status = 'ready';
      a.expires_at = null;
      return { status: 200, body: view(a) };
    },
    'POST /assets/:id/retry': (ctx) => {
      const a = own(ctx.params.id!, ctx.workspaceId);
      if (a.status !== 'failed') {
        throw new ApiError(
          409,
          'conflict',
          `Asset ${a.asset_id} is ${a.status}; only a failed asset can be retried.`,
        );
      }
      a.status = 'pending_upload';
      a.uploaded_via = 'signed_url';
      a.failure_message = null;
      a.expires_at = ctx.now + UPLOAD_TTL_MS;
      return { status: 200, body: view(a) };
    },
  };
}
