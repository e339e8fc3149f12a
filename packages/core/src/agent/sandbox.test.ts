import { describe, expect, it } from "vitest";
import { decideSandbox, type SandboxSetting } from "./sandbox";

const reason = "bubblewrap (bwrap) is not installed";

describe("decideSandbox", () => {
  it("every setting, availability and auth mode", () => {
    const table: [SandboxSetting, boolean, boolean, string][] = [
      ["auto", true, true, "on"],
      ["auto", true, false, "on"],
      ["required", true, true, "on"],
      ["required", true, false, "on"],
      ["off", true, true, "off"],
      ["off", true, false, "off"],
      ["off", false, true, "off"],
      ["off", false, false, "off"],
      ["auto", false, false, "off"],
      ["auto", false, true, "refused"],
      ["required", false, true, "refused"],
      ["required", false, false, "refused"],
    ];
    for (const [setting, available, authEnabled, state] of table)
      expect(
        decideSandbox({ setting, available, unavailableReason: available ? null : reason, authEnabled }).state,
        `${setting} ${available} ${authEnabled}`,
      ).toBe(state);
  });

  it("says why: the mechanism's reason, and what the operator can do", () => {
    const refused = decideSandbox({ setting: "auto", available: false, unavailableReason: reason, authEnabled: true });
    expect(refused).toEqual({ state: "refused", reason: expect.stringContaining(reason) });
    expect(refused.state === "refused" && refused.reason).toContain("ORCHESTRATOR_SANDBOX=off");
    const required = decideSandbox({
      setting: "required",
      available: false,
      unavailableReason: null,
      authEnabled: false,
    });
    expect(required.state === "refused" && required.reason).toContain("ORCHESTRATOR_SANDBOX=required");
    const single = decideSandbox({ setting: "auto", available: false, unavailableReason: reason, authEnabled: false });
    expect(single.state === "off" && single.warning).toContain(reason);
    const off = decideSandbox({ setting: "off", available: true, unavailableReason: null, authEnabled: true });
    expect(off.state === "off" && off.warning).toContain("unsandboxed");
  });
});
