/** The result of matching a request: the route template and its path parameters. */
export interface RouteMatch<H> {
  /** `METHOD /template`, e.g. `POST /techniques/:slug/runs`. */
  route: string;
  params: Record<string, string>;
  handler: H;
}

interface Entry<H> {
  method: string;
  route: string;
  segments: string[];
  handler: H;
}

/**
 * A hand-written segment router (about 40 lines): FLORA's routes are few and fixed, and a dependency-free
 * matcher keeps the package install-free. Static segments beat parameters, so `POST /runs/technique` and
 * `GET /runs/:runId` never collide.
 */
export class Router<H> {
  readonly #entries: Entry<H>[] = [];

  add(route: string, handler: H): this {
    const space = route.indexOf(' ');
    const method = route.slice(0, space);
    const segments = route
      .slice(space + 1)
      .split('/')
      .filter(Boolean);
    this.#entries.push({ method, route, segments, handler });
    return this;
  }

  match(method: string, path: string): RouteMatch<H> | undefined {
    const parts = path.split('/').filter(Boolean);
    let best: { entry: Entry<H>; params: Record<string, string>; score: number } | undefined;
    for (const entry of this.#entries) {
      if (entry.method !== method || entry.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let score = 0;
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = entry.segments[i]!;
        const part = parts[i]!;
        if (seg.startsWith(':')) {
          let value: string;
          try {
            value = decodeURIComponent(part);
          } catch {
            ok = false;
            break;
          }
          params[seg.slice(1)] = value;
        } else if (seg === part) {
          score++;
        } else {
          ok = false;
          break;
        }
      }
      if (ok && (!best || score > best.score)) best = { entry, params, score };
    }
    return best ? { route: best.entry.route, params: best.params, handler: best.entry.handler } : undefined;
  }
}
