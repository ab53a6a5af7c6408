/** What a route handler receives. */
export interface RouteContext {
  method: string;
  route: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body, or undefined when the body was empty. */
  body: unknown;
  workspaceId: string;
  /** The simulator clock at arrival. */
  now: number;
}

/** What a route handler returns (errors are thrown as `ApiError`). */
export interface RouteResult {
  status: number;
  body: unknown;
  /** A run body, subject to `casing: 'camel'`. */
  runBody?: boolean;
}

export type RouteHandler = (ctx: RouteContext) => RouteResult;
