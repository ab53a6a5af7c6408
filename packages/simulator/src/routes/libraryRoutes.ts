import { isIP } from 'node:net';
import { ApiError } from '../http/ApiError.js';
import { newId } from '../http/newId.js';
import type {
  AssetRecord,
  LibraryFolderRecord,
  LibraryItemRecord,
  SimulatorState,
} from '../state/SimulatorState.js';
import type { RouteContext, RouteHandler } from './RouteHandler.js';
import { bodyObject, FieldCollector, isHttpsUrl } from './validation.js';
import { assertOwnWorkspace, checkPathIds } from './workspaceAccess.js';

const WS: [string, string] = ['workspace_id', 'ws'];
const LIBFOLDER: [string, string] = ['folder_id', 'libfolder'];
const MAX_NAME = 200;
const MAX_DESCRIPTION = 2000;
const MAX_TEXT = 10_000;

/** Path ids first (one 400 listing every bad prefix), then the key's own workspace (403). */
function ownWorkspace(ctx: RouteContext, withFolder: boolean): void {
  checkPathIds(ctx.params, withFolder ? { ws: WS, folderId: LIBFOLDER } : { ws: WS });
  assertOwnWorkspace(ctx.params.ws!, ctx.workspaceId);
}

/** The library folder of the path; 404 when unknown, deleted or in another workspace (no disclosure). */
function libraryFolder(state: SimulatorState, ctx: RouteContext): LibraryFolderRecord {
  const folder = state.libraryFolders.get(ctx.params.folderId!);
  if (!folder || folder.workspace_id !== ctx.workspaceId) throw ApiError.notFound('Library folder');
  return folder;
}

/**
 * Whether an https URL names a host FLORA's SSRF guard blocks: `localhost`, loopback, private, link-local
 * (incl. the cloud metadata address 169.254.169.254) and unspecified addresses. Names are not resolved.
 */
export function isBlockedHost(url: string): boolean {
  const raw = new URL(url).hostname.toLowerCase();
  const host = raw.startsWith('[') ? raw.slice(1, -1) : raw;
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) {
    const [a, b] = host.split('.').map(Number) as [number, number];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (isIP(host) === 6) {
    return (
      host === '::' ||
      host === '::1' ||
      host.startsWith('fc') ||
      host.startsWith('fd') ||
      host.startsWith('fe80') ||
      host.startsWith('::ffff:')
    );
  }
  return false;
}

function optionalString(
  c: FieldCollector,
  body: Record<string, unknown>,
  field: string,
  max: number,
  nonEmpty: boolean,
): string | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || (nonEmpty && v.trim() === '')) {
    c.add(field, nonEmpty ? 'Expected a non-empty string.' : 'Expected string.');
    return undefined;
  }
  if (v.length > max) {
    c.add(field, `Must be at most ${max} characters.`);
    return undefined;
  }
  return v;
}

/** The body of `POST …/items`, checked: `type` image (default) needs an https `source`, text needs `text`. */
function itemBody(ctx: RouteContext): {
  type: 'image' | 'text';
  source?: string;
  text?: string;
  description?: string;
} {
  const body = bodyObject(ctx.body);
  const c = new FieldCollector();
  let type: 'image' | 'text' = 'image';
  if (body.type !== undefined) {
    if (body.type === 'image' || body.type === 'text') type = body.type;
    else c.add('type', "Expected 'image' or 'text'.");
  }
  const description = optionalString(c, body, 'description', MAX_DESCRIPTION, false);
  let source: string | undefined;
  let text: string | undefined;
  if (type === 'image') {
    if (body.source === undefined || body.source === null) c.add('source', 'Required');
    else if (!isHttpsUrl(body.source)) c.add('source', 'Expected a public https URL.');
    else if (isBlockedHost(body.source as string))
      c.add('source', 'The URL resolves to a blocked (private, loopback or metadata) address.');
    else source = body.source as string;
  } else if (body.text === undefined || body.text === null) {
    c.add('text', 'Required');
  } else {
    text = optionalString(c, body, 'text', MAX_TEXT, true);
  }
  c.throwIfAny();
  return { type, source, text, description };
}

/**
 * The library-folder routes of SDK 0.11 (`client.workspaces.library.folders.*`): create a folder, delete
 * it (its items are detached, not deleted), and save an image (fetched from a public https URL — simulated,
 * nothing goes over the network) or a text into it.
 */
export function libraryRoutes(state: SimulatorState): Record<string, RouteHandler> {
  return {
    'POST /workspaces/:ws/library/folders': (ctx) => {
      ownWorkspace(ctx, false);
      const body = bodyObject(ctx.body);
      const c = new FieldCollector();
      const name = optionalString(c, body, 'name', MAX_NAME, true);
      c.throwIfAny();
      const folder: LibraryFolderRecord = {
        folder_id: newId('libfolder'),
        workspace_id: ctx.workspaceId,
        // "Defaults to a generated name when omitted" (SDK docstring); the format is the simulator's own.
        name: name ?? `Clipped ${new Date(ctx.now).toISOString().slice(0, 10)}`,
        created_at: ctx.now,
      };
      state.libraryFolders.set(folder.folder_id, folder);
      return {
        status: 200,
        body: { folder_id: folder.folder_id, name: folder.name, workspace_id: folder.workspace_id },
      };
    },

    'DELETE /workspaces/:ws/library/folders/:folderId': (ctx) => {
      ownWorkspace(ctx, true);
      const folder = libraryFolder(state, ctx);
      state.libraryFolders.delete(folder.folder_id);
      for (const item of state.libraryItems.values()) {
        if (item.folder_id === folder.folder_id) item.folder_id = null;
      }
      return {
        status: 200,
        body: { deleted: true, folder_id: folder.folder_id, workspace_id: folder.workspace_id },
      };
    },

    'POST /workspaces/:ws/library/folders/:folderId/items': (ctx) => {
      ownWorkspace(ctx, true);
      const input = itemBody(ctx);
      const folder = libraryFolder(state, ctx);
      let asset: AssetRecord | undefined;
      if (input.type === 'image') {
        const assetId = newId('asset');
        asset = {
          asset_id: assetId,
          workspace_id: ctx.workspaceId,
          project_id: null,
          status: 'ready',
          uploaded_via: 'url',
          url: `https://media.flora.ai/simulator/${assetId}`,
          content_type: null,
          file_name: null,
          created_at: ctx.now,
          expires_at: null,
          failure_message: null,
        };
        state.assets.set(assetId, asset);
        state.countAsset();
      }
      const item: LibraryItemRecord = {
        saved_node_id: newId('node'),
        workspace_id: ctx.workspaceId,
        folder_id: folder.folder_id,
        type: input.type,
        asset_id: asset?.asset_id ?? null,
        url: asset?.url ?? null,
        source: input.source ?? null,
        text: input.text ?? null,
        description: input.description ?? null,
        created_at: ctx.now,
      };
      state.libraryItems.set(item.saved_node_id, item);
      return {
        status: 200,
        body: {
          folder_id: item.folder_id,
          saved_node_id: item.saved_node_id,
          workspace_id: item.workspace_id,
          ...(item.asset_id === null ? {} : { asset_id: item.asset_id }),
          url: item.url,
        },
      };
    },
  };
}
