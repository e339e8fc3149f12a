import { ApiError, ErrorEnvelope } from "@industrial/contracts";
import { bearer } from "@industrial/testkit";
import { expect } from "vitest";

export interface RawAnswer {
  status: number;
  json: unknown;
  requestId: string | null;
}

/**
 * A raw JSON call to `/api/v1<path>` of the orchestrator at `baseUrl`, for
 * tests that send what the typed client refuses to (bad bodies, unknown
 * fields). A string body goes as is. As the test admin unless `key` says
 * otherwise (null: no key at all).
 */
export async function sendJson(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  key?: string | null,
): Promise<RawAnswer> {
  const auth = key === null ? {} : bearer(key);
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: body === undefined ? auth : { ...auth, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    json: text ? (JSON.parse(text) as unknown) : null,
    requestId: res.headers.get("x-request-id"),
  };
}

/** Expects an error answer with `status` and `code`; `field` must be among the detail paths. Returns the envelope's error. */
export async function expectError(
  p: Promise<Pick<RawAnswer, "status" | "json">>,
  status: number,
  code: string,
  field?: string,
) {
  const r = await p;
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  const env = ErrorEnvelope.parse(r.json).error;
  expect(env.code).toBe(code);
  if (field) expect(env.details?.map((d) => d.path)).toContain(field);
  return env;
}

/** The ApiError the typed client's call `p` rejects with; the test fails when it resolves or fails otherwise. */
export async function apiError(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

/** Expects the typed client's call `p` to fail with `status` and `code`; `field` must be among the detail paths. */
export async function expectApiError(
  p: Promise<unknown>,
  status: number,
  code: string,
  field?: string,
): Promise<ApiError> {
  const err = await apiError(p);
  expect({ status: err.status, code: err.code }).toEqual({ status, code });
  if (field) expect(err.envelope.details?.map((d) => d.path)).toContain(field);
  return err;
}
