import { describe, expect, it } from "vitest";
import {
  addRow,
  parseAction,
  permissionErrorsOf,
  removeRow,
  toPermissionsChange,
  toPermissionsForm,
  updateRow,
  type PermissionsForm,
} from "./permissions-form";

type Rule = { permission: string; pattern: string; action: "allow" | "ask" | "deny" };
const rule = (permission: string, action: Rule["action"], pattern = "*"): Rule => ({ permission, pattern, action });
/** What the API stores for a sent list (an omitted pattern is `*`). */
const stored = (f: PermissionsForm) => toPermissionsChange(f).permissions.map((r) => ({ pattern: "*", ...r }));

describe("the permissions group of the agent dialogs", () => {
  it("starts a new agent with no rule: edit and bash allowed, no rows, and sends an empty list", () => {
    const f = toPermissionsForm();
    expect(f).toEqual({ quick: { edit: "allow", bash: "allow" }, rows: [], nextKey: 0 });
    expect(toPermissionsChange(f)).toEqual({ permissions: [], sources: [] });
  });

  it("a quick select's ask or deny is one `*` rule, edit before bash, and the rows follow in order", () => {
    let f = toPermissionsForm();
    f = { ...f, quick: { edit: "ask", bash: "deny" } };
    f = addRow(f);
    f = updateRow(f, 0, { permission: " bash ", pattern: " git * ", action: "allow" });
    f = addRow(f);
    f = updateRow(f, 1, { permission: "read", pattern: "  " });
    expect(toPermissionsChange(f)).toEqual({
      permissions: [
        rule("edit", "ask"),
        rule("bash", "deny"),
        rule("bash", "allow", "git *"),
        { permission: "read", action: "ask" },
      ],
      sources: [{ quick: "edit" }, { quick: "bash" }, { row: 0 }, { row: 1 }],
    });
  });

  it("a new row asks for anything until typed; removing a row keeps the others' keys", () => {
    let f = addRow(addRow(addRow(toPermissionsForm())));
    expect(f.rows[0]).toEqual({ key: 0, permission: "", pattern: "*", action: "ask" });
    f = removeRow(f, 1);
    expect(f.rows.map((r) => r.key)).toEqual([0, 2]);
    expect(addRow(f).rows.at(-1)?.key).toBe(3);
  });

  it("reads back the leading edit/bash rules that ask or deny as quick selects, and saves an agent's list unchanged", () => {
    const lists: Rule[][] = [
      [rule("edit", "ask")],
      [rule("edit", "ask"), rule("bash", "deny"), rule("bash", "allow", "git status*")],
      // edit * allow stays a row: saving must not drop a rule the agent had.
      [rule("edit", "allow"), rule("bash", "ask")],
      // a later `edit *` could lose to nothing moved ahead of it: it stays where it is.
      [rule("edit", "allow", "src/*"), rule("edit", "ask")],
      // the same permission twice at the front: only the first is the select's.
      [rule("edit", "ask"), rule("edit", "deny")],
      [rule("*", "ask"), rule("read", "allow")],
    ];
    for (const list of lists) expect(stored(toPermissionsForm(list))).toEqual(list);
    // Leading bash before edit comes back edit first: two permissions apart, so no rule wins differently.
    expect(stored(toPermissionsForm([rule("bash", "deny"), rule("edit", "ask"), rule("read", "deny")]))).toEqual([
      rule("edit", "ask"),
      rule("bash", "deny"),
      rule("read", "deny"),
    ]);
    expect(toPermissionsForm(lists[1]).quick).toEqual({ edit: "ask", bash: "deny" });
    expect(toPermissionsForm(lists[2]).quick).toEqual({ edit: "allow", bash: "allow" });
    expect(toPermissionsForm(lists[3]).rows).toHaveLength(2);
    expect(toPermissionsForm(lists[4])).toMatchObject({
      quick: { edit: "ask" },
      rows: [{ permission: "edit", action: "deny" }],
    });
  });

  it("takes a select's value as an action, and anything else as ask", () => {
    expect(parseAction("deny")).toBe("deny");
    expect(parseAction("allow")).toBe("allow");
    expect(parseAction("maybe")).toBe("ask");
  });

  it("puts the API's errors on the quick select or the row that was sent, naming the rule as the dialog numbers it", () => {
    let f = addRow(addRow(addRow({ ...toPermissionsForm(), quick: { edit: "ask", bash: "allow" } })));
    f = updateRow(f, 0, { permission: "read" });
    f = updateRow(f, 1, { permission: "Bash", pattern: "git *" });
    f = updateRow(f, 2, { permission: "" });
    const sent = toPermissionsChange(f);
    const fields = {
      "permissions.0.action": "bad action",
      "permissions.2.permission": "must be an OpenCode permission",
      "permissions.3.permission": "must be an OpenCode permission",
      "permissions.9": "not sent",
      name: "elsewhere",
    };
    const errors = permissionErrorsOf(fields, sent, f);
    expect(errors.quick).toEqual({ edit: "bad action" });
    expect(errors.rows).toEqual({
      1: { field: "permission", message: "rule 2 (Bash git *): permission: must be an OpenCode permission" },
      2: { field: "permission", message: "rule 3: permission: must be an OpenCode permission" },
    });
    expect(errors.list).toBe("rule 10: not sent");
    // A row fixed since is still quoted as sent; one removed since is not shown, and the rows after it are renumbered.
    expect(permissionErrorsOf(fields, sent, updateRow(f, 1, { permission: "bash" })).rows[1]?.message).toBe(
      "rule 2 (Bash git *): permission: must be an OpenCode permission",
    );
    const after = removeRow(f, 1);
    expect(permissionErrorsOf(fields, sent, after).rows).toEqual({
      2: { field: "permission", message: "rule 2: permission: must be an OpenCode permission" },
    });
    expect(permissionErrorsOf({ permissions: "at most 64" }, undefined, f)).toEqual({
      list: "at most 64",
      quick: {},
      rows: {},
    });
  });
});
