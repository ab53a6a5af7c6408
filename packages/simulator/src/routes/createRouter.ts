import { Router } from '../router/Router.js';
import { ROUTE_TEMPLATES } from '../router/routeTemplates.js';
import type { SimulatorState } from '../state/SimulatorState.js';
import { actionRoutes } from './actionRoutes.js';
import { assetRoutes } from './assetRoutes.js';
import { canvasRoutes } from './canvasRoutes.js';
import { catalogRoutes } from './catalogRoutes.js';
import { feedbackRoutes } from './feedbackRoutes.js';
import { libraryRoutes } from './libraryRoutes.js';
import { projectRoutes } from './projectRoutes.js';
import type { RouteHandler } from './RouteHandler.js';
import { runListRoutes } from './runListRoutes.js';
import { runRoutes } from './runRoutes.js';
import { workspaceRoutes } from './workspaceRoutes.js';

/** The router of every route in `ROUTE_TEMPLATES`, bound to one simulator's state. */
export function createRouter(state: SimulatorState): Router<RouteHandler> {
  const handlers: Record<string, RouteHandler> = {
    ...catalogRoutes(state),
    ...runRoutes(state),
    ...runListRoutes(state),
    ...actionRoutes(state),
    ...assetRoutes(state),
    ...projectRoutes(state),
    ...canvasRoutes(state),
    ...feedbackRoutes(state),
    ...workspaceRoutes(state),
    ...libraryRoutes(state),
  };
  const router = new Router<RouteHandler>();
  for (const route of ROUTE_TEMPLATES) {
    const h = handlers[route];
    if (!h) throw new Error(`no handler for ${route}`);
    router.add(route, h);
  }
  return router;
}
