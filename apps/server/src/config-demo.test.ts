import { describe, expect, it } from "vitest";
import { parseConfig } from "./config";

const parse = (env: Record<string, string>) => parseConfig(env, "/");

// Demo mode's settings: ORCHESTRATOR_DEMO, ORCHESTRATOR_DEMO_REQUEST_LOG, ORCHESTRATOR_DEMO_MODEL_URL.
describe("demo settings", () => {
  it("takes an external scripted model's http(s) URL, without a trailing slash; unset, none", () => {
    const r = parse({ ORCHESTRATOR_DEMO: "1", ORCHESTRATOR_DEMO_MODEL_URL: "http://127.0.0.1:4000/v1/" });
    expect(r.ok && r.config.ORCHESTRATOR_DEMO_MODEL_URL).toBe("http://127.0.0.1:4000/v1");
    const https = parse({ ORCHESTRATOR_DEMO: "1", ORCHESTRATOR_DEMO_MODEL_URL: "https://model.example/v1" });
    expect(https.ok && https.config.ORCHESTRATOR_DEMO_MODEL_URL).toBe("https://model.example/v1");
    for (const env of [
      { ORCHESTRATOR_DEMO: "1" },
      { ORCHESTRATOR_DEMO: "1", ORCHESTRATOR_DEMO_MODEL_URL: "" },
    ] as Record<string, string>[]) {
      const unset = parse(env);
      expect(unset.ok && unset.config.ORCHESTRATOR_DEMO_MODEL_URL).toBeUndefined();
    }
  });

  it("refuses what is not an http(s) URL, naming the variable", () => {
    for (const bad of ["127.0.0.1:4000/v1", "localhost", "ftp://127.0.0.1/v1", "not a url"]) {
      const r = parse({ ORCHESTRATOR_DEMO: "1", ORCHESTRATOR_DEMO_MODEL_URL: bad });
      expect(r.ok, bad).toBe(false);
      if (!r.ok)
        expect(r.errors).toEqual([expect.stringMatching(/^ORCHESTRATOR_DEMO_MODEL_URL: must be an http\(s\) URL/)]);
    }
  });
});
