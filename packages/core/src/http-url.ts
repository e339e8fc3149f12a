/**
 * The check every http(s) URL the orchestrator dials starts with (a remote
 * runner, a notify webhook): it parses, and its scheme is http or https. Each
 * caller adds its own rules on the parsed URL; the reasons read after the name
 * of the setting ("ORCHESTRATOR_X: is not a URL").
 */
export function parseHttpUrl(text: string): { ok: true; url: URL } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: "is not a URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, reason: "must be an http(s) URL" };
  return { ok: true, url };
}
