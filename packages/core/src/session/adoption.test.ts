import { describe, expect, it } from "vitest";
import { decideAdoption, INFRASTRUCTURE_LOST, isInfrastructureRestart, MAX_INFRA_RESTARTS } from "./adoption";

const base = {
  openCodeSessionRecorded: true,
  openCodeSessionAlive: false,
  infraRestarts: 0,
  lastPushedCheckpoint: 3,
  previousOwner: "replica-a",
};

describe("decideAdoption", () => {
  it("bounds infrastructure restarts at 10", () => {
    expect(MAX_INFRA_RESTARTS).toBe(10);
  });

  it("starts the attempt when the dead holder never recorded an OpenCode session (it never prompted)", () => {
    for (const alive of [true, false])
      for (const restarts of [0, 10, 50])
        expect(
          decideAdoption({
            ...base,
            openCodeSessionRecorded: false,
            openCodeSessionAlive: alive,
            infraRestarts: restarts,
          }),
        ).toEqual({ action: "start" });
  });

  it("re-attaches to an OpenCode session that is still alive, whatever the restarts so far", () => {
    for (const restarts of [0, 9, 10, 11])
      expect(decideAdoption({ ...base, openCodeSessionAlive: true, infraRestarts: restarts })).toEqual({
        action: "reattach",
      });
  });

  it("restarts from the last pushed checkpoint when the OpenCode session is out of reach: retryable, not counted", () => {
    const d = decideAdoption(base);
    expect(d).toMatchObject({ action: "restart", restart: 1, error: { code: INFRASTRUCTURE_LOST, retryable: true } });
    if (d.action !== "restart") throw new Error("restart expected");
    expect(d.error.message).toContain("replica replica-a");
    expect(d.error.message).toContain("checkpoint 3 on the work remote");
    expect(d.error.message).toContain("restart 1 of 10");
    expect(isInfrastructureRestart(d.error)).toBe(true);
  });

  it("restarts from the base when no checkpoint reached the work remote, and says so", () => {
    const d = decideAdoption({ ...base, lastPushedCheckpoint: null, previousOwner: null });
    expect(d.action).toBe("restart");
    if (d.action === "restart") {
      expect(d.error.message).toContain("its base (no checkpoint reached the work remote)");
      expect(d.error.message).toContain("its replica");
    }
  });

  it.each([
    [0, "restart"],
    [8, "restart"],
    [9, "restart"],
    [10, "give_up"],
    [11, "give_up"],
  ])("after %i restarts: %s", (restarts, action) => {
    const d = decideAdoption({ ...base, infraRestarts: restarts });
    expect(d.action).toBe(action);
    if (d.action === "restart") expect(d.restart).toBe(restarts + 1);
    if (d.action === "give_up") {
      expect(d.error).toMatchObject({ code: INFRASTRUCTURE_LOST, retryable: false });
      expect(isInfrastructureRestart(d.error)).toBe(false);
    }
  });

  it("takes another bound when given one", () => {
    expect(decideAdoption({ ...base, infraRestarts: 1, maxInfraRestarts: 1 }).action).toBe("give_up");
    expect(decideAdoption({ ...base, infraRestarts: 0, maxInfraRestarts: 1 }).action).toBe("restart");
  });

  it("recognises only retryable infrastructure losses as restarts", () => {
    expect(isInfrastructureRestart(null)).toBe(false);
    expect(isInfrastructureRestart({ code: "PROVIDER_ERROR", message: "x", retryable: true })).toBe(false);
    expect(isInfrastructureRestart({ code: INFRASTRUCTURE_LOST, message: "x", retryable: true })).toBe(true);
  });
});
