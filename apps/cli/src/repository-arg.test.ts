import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { repositoryArg } from "./repository-arg";

describe("repositoryArg", () => {
  it("sends URLs as written", () => {
    for (const url of [
      "https://github.com/acme/app.git",
      "git://127.0.0.1:9418/repo.git",
      "file:///srv/app",
      "git@github.com:acme/app.git",
      "host:repo.git",
    ])
      expect(repositoryArg(url)).toBe(url);
  });

  it("makes paths absolute from where the caller is", () => {
    expect(repositoryArg("app")).toBe(resolve("app"));
    expect(repositoryArg("./a:b")).toBe(resolve("./a:b"));
    expect(repositoryArg("/srv/app")).toBe("/srv/app");
  });
});
