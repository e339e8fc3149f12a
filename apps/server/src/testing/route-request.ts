import { routes, type RouteName } from "@industrial/contracts";

/** What one call of a catalogue route carries; the path comes from the catalogue with `params` filled in. */
export interface RouteRequest {
  params?: Record<string, string | number>;
  /** Values are sent as given; an array repeats the parameter. */
  query?: Record<string, string | string[]>;
  /** A JSON value (serialised), or a string sent as it is (malformed JSON, other content types). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteAnswer {
  status: number;
  /** Parsed JSON, or the raw text when the answer is not JSON. */
  json: unknown;
  text: string;
  headers: Headers;
}

/** `/api/v1/sessions/:id` with `{id}` → `/api/v1/sessions/<id>` (each value URL-encoded as one segment). */
export function fillPath(path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`${path}: no value for :${name}`);
    // A lone surrogate cannot be percent-encoded: it goes as U+FFFD, as a browser would send it.
    return encodeURIComponent(
      String(params[name]).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"),
    );
  });
}

export function queryString(query: Record<string, string | string[]> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
  const s = q.toString();
  return s ? `?${s}` : "";
}

/**
 * One raw call, exactly as given: no key unless `headers` carries one, a
 * JSON body unless a string (then sent as is, with the content type the
 * headers name, JSON by default).
 */
export async function sendRaw(
  baseUrl: string,
  method: string,
  pathAndQuery: string,
  r: Pick<RouteRequest, "body" | "headers"> = {},
): Promise<RouteAnswer> {
  const headers: Record<string, string> = { ...r.headers };
  let body: string | undefined;
  if (r.body !== undefined) {
    body = typeof r.body === "string" ? r.body : JSON.stringify(r.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
      headers["content-type"] = "application/json";
  }
  const res = await fetch(`${baseUrl}${pathAndQuery}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    // Not JSON: the raw text stays (a test asserting the envelope then fails, naming it).
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** Calls catalogue route `name` with `r`. */
export function callRoute(baseUrl: string, name: RouteName, r: RouteRequest = {}): Promise<RouteAnswer> {
  const def = routes[name];
  return sendRaw(baseUrl, def.method, fillPath(def.path, r.params) + queryString(r.query), r);
}
