/** Every route the simulator serves, as `METHOD /template` relative to `/api/v1`. */
export const ROUTE_TEMPLATES = [
  'GET /workspaces',
  'GET /models',
  'GET /techniques',
  'GET /techniques/:idOrSlug',
  'POST /techniques/:slug/runs',
  'GET /techniques/:slug/runs/:runId',
  'GET /runs/:runId',
  'POST /runs/technique',
  'POST /runs/generation',
  'POST /generate',
  'GET /generations',
  'GET /technique-runs',
  'GET /actions',
  'GET /actions/:actionId',
  'POST /runs/action',
  'POST /assets',
  'GET /assets',
  'GET /assets/:id',
  'POST /assets/:id/complete',
  'POST /assets/:id/retry',
  'POST /projects',
  'GET /projects',
  'GET /projects/:id',
  'GET /projects/:id/nodes',
  'POST /projects/:id/actions',
  'POST /projects/:id/actions/:nodeId/run',
  'POST /projects/:id/assets/:assetId/attach',
  'GET /projects/:id/canvas',
  'PATCH /projects/:id/canvas',
  'POST /feedback',
  'POST /workspaces/:ws/projects',
  'POST /workspaces/:ws/folders/:folderId/projects',
  'GET /workspaces/:ws/projects/:prj/graph',
  'GET /workspaces/:ws/projects/:prj/canvas/definition',
  'PUT /workspaces/:ws/projects/:prj/canvas/definition',
  'POST /workspaces/:ws/projects/:prj/canvas/changeset',
  'POST /workspaces/:ws/projects/:prj/nodes/run',
  'POST /workspaces/:ws/library/folders',
  'DELETE /workspaces/:ws/library/folders/:folderId',
  'POST /workspaces/:ws/library/folders/:folderId/items',
] as const;

/** One of {@link ROUTE_TEMPLATES}. */
export type RouteTemplate = (typeof ROUTE_TEMPLATES)[number];

/** The route name used in stats for a request that matched no route. */
export const UNMATCHED_ROUTE = '(unmatched)';
