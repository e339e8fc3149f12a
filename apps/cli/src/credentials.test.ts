import {
  chmodSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliError } from "./cli-error";
import {
  credentialsPath,
  findCredential,
  normalizeServerUrl,
  readCredentials,
  removeCredential,
  saveCredential,
  writeFileAtomically,
} from "./credentials";

/*
 * The store touches the file system (its whole point is modes and renames),
 * so each test gets its own temporary XDG_CONFIG_HOME.
 */
let root: string;
let path: string;
const now = new Date("2026-11-22T03:25:23.000Z");
const KEY_A = "io_aaaaaaaaaaaa_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const KEY_B = "io_bbbbbbbbbbbb_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

const mode = (p: string) => statSync(p).mode & 0o777;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "orch-cred-"));
  path = credentialsPath({ XDG_CONFIG_HOME: join(root, "config") }, join(root, "home"));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("credentialsPath", () => {
  it("lives under an absolute XDG_CONFIG_HOME, else ~/.config; a relative XDG_CONFIG_HOME is ignored", () => {
    expect(credentialsPath({ XDG_CONFIG_HOME: "/x/conf" }, "/home/me")).toBe(
      "/x/conf/industrial-orchestrator/credentials",
    );
    expect(credentialsPath({}, "/home/me")).toBe("/home/me/.config/industrial-orchestrator/credentials");
    expect(credentialsPath({ XDG_CONFIG_HOME: "" }, "/home/me")).toBe(
      "/home/me/.config/industrial-orchestrator/credentials",
    );
    expect(credentialsPath({ XDG_CONFIG_HOME: "conf" }, "/home/me")).toBe(
      "/home/me/.config/industrial-orchestrator/credentials",
    );
  });
});

describe("saveCredential", () => {
  it("creates the file 0600 in a 0700 directory, even with a permissive umask", () => {
    const old = process.umask(0);
    try {
      saveCredential(path, { url: "http://127.0.0.1:8000", key: KEY_A }, now);
    } finally {
      process.umask(old);
    }
    expect(mode(path)).toBe(0o600);
    expect(mode(dirname(path))).toBe(0o700);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({
      version: 1,
      credentials: [{ url: "http://127.0.0.1:8000", key: KEY_A, savedAt: now.toISOString() }],
    });
  });

  it("tightens an existing directory of ours to 0700 and rewrites a loose file as 0600", () => {
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    chmodSync(dirname(path), 0o755);
    writeFileSync(path, JSON.stringify({ version: 1, credentials: [] }), { mode: 0o644 });
    chmodSync(path, 0o644);
    expect(readCredentials(path).looseMode).toBe(0o644);
    saveCredential(path, { url: "http://a:1", key: KEY_A }, now);
    expect(mode(dirname(path))).toBe(0o700);
    expect(mode(path)).toBe(0o600);
    expect(readCredentials(path).looseMode).toBeNull();
  });

  it("keeps one entry per server URL: another server is added, the same one (however written) replaced", () => {
    saveCredential(path, { url: "http://127.0.0.1:8000", key: KEY_A }, now);
    saveCredential(path, { url: "https://orch.example.com/", key: KEY_B }, now);
    saveCredential(path, { url: "http://127.0.0.1:8000/", key: KEY_B }, now);
    const { entries } = readCredentials(path);
    expect(entries.map((e) => [e.url, e.key])).toEqual([
      ["https://orch.example.com", KEY_B],
      ["http://127.0.0.1:8000", KEY_B],
    ]);
    expect(findCredential(entries, "HTTPS://ORCH.example.com:443")?.key).toBe(KEY_B);
    expect(findCredential(entries, "http://127.0.0.1:9000")).toBeUndefined();
  });

  it("replaces the file by a rename: a reader of the old file sees it whole, and no temporary file is left", () => {
    saveCredential(path, { url: "http://a:1", key: KEY_A }, now);
    const before = readFileSync(path, "utf8");
    const oldInode = statSync(path).ino;
    const fd = openSync(path, "r");
    try {
      saveCredential(path, { url: "http://b:2", key: KEY_B }, now);
      const buf = Buffer.alloc(before.length + 100);
      const n = readSync(fd, buf, 0, buf.length, 0);
      // The open descriptor still reads the old content in full: the file was replaced, never truncated in place.
      expect(buf.subarray(0, n).toString("utf8")).toBe(before);
    } finally {
      closeSync(fd);
    }
    expect(statSync(path).ino).not.toBe(oldInode);
    expect(readdirSync(dirname(path))).toEqual(["credentials"]);
  });

  it("a failed rewrite leaves what was there and cleans its temporary file", () => {
    // A non-empty directory where the file should be: the final rename fails.
    mkdirSync(join(path, "in-the-way"), { recursive: true });
    expect(() => writeFileAtomically(path, "{}")).toThrow();
    expect(readdirSync(dirname(path))).toEqual(["credentials"]);
    expect(readdirSync(path)).toEqual(["in-the-way"]);
  });
});

describe("removeCredential", () => {
  it("forgets one server and keeps the others; false when nothing was stored", () => {
    expect(removeCredential(path, "http://a:1")).toBe(false);
    saveCredential(path, { url: "http://a:1", key: KEY_A }, now);
    saveCredential(path, { url: "http://b:2", key: KEY_B }, now);
    expect(removeCredential(path, "http://a:1/")).toBe(true);
    expect(readCredentials(path).entries.map((e) => e.url)).toEqual(["http://b:2"]);
    expect(mode(path)).toBe(0o600);
    expect(removeCredential(path, "http://a:1")).toBe(false);
  });
});

describe("readCredentials", () => {
  it("a missing file is an empty store", () => {
    expect(readCredentials(path)).toEqual({ entries: [], looseMode: null });
  });

  it("a file that is not ours is an error naming the path, never quoting the content", () => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `not json ${KEY_A}`, { mode: 0o600 });
    let err: unknown;
    try {
      readCredentials(path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).message).toContain(path);
    expect((err as CliError).message).not.toContain(KEY_A);
    expect((err as CliError).suggestion).toContain("orchestrator login");
    writeFileSync(path, JSON.stringify({ version: 2, servers: {} }));
    expect(() => readCredentials(path)).toThrow(/not a credentials file/);
  });
});

describe("normalizeServerUrl", () => {
  it("drops trailing slashes and default ports, lower-cases the host, keeps a path", () => {
    expect(normalizeServerUrl("http://LOCALHOST:80/")).toBe("http://localhost");
    expect(normalizeServerUrl("https://x.example:8443/orch//")).toBe("https://x.example:8443/orch");
    expect(normalizeServerUrl("not a url")).toBe("not a url");
  });
});
