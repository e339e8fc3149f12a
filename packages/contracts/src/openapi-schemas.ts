import { z } from "zod";
import * as agents from "./agents";
import * as auth from "./auth";
import * as common from "./common";
import * as contexts from "./contexts";
import * as events from "./events";
import * as health from "./health";
import * as inbox from "./inbox";
import * as runners from "./runners";
import * as sessions from "./sessions";
import * as sessionTimeline from "./session-timeline";
import * as tasks from "./tasks";
import * as tenants from "./tenants";

/**
 * From zod schemas to `components.schemas` of one self-contained OpenAPI document.
 *
 * `z.toJSONSchema` converts one schema at a time and puts what it extracts
 * (recursive parts such as JSON values and the task tree, and schemas that
 * carry an `id`) under that schema's own `$defs`, referenced as
 * `#/$defs/__schema0`. Inside an OpenAPI path item such a pointer resolves
 * against the document root, where there is no `$defs`: the references dangle.
 * So every conversion's `$defs` are hoisted into `components.schemas` (or
 * written in place, below) and the references rewritten to point there.
 *
 * Names: the schemas the contract modules export get their export name as an
 * `id` in a private registry (`SessionSchema` → `Session`), so zod extracts
 * them wherever they occur and generated clients get `components["schemas"]["Session"]`.
 * The registry is private, not `.meta({ id })` on the schemas, so that the
 * names stay a concern of this document: ids in zod's global registry would
 * change every other conversion in the process. Anonymous recursive parts
 * (each `z.json()` call is a new schema, so most JSON values are not the
 * exported `JsonValue`) are named by content: when one equals a named
 * recursive schema it takes that name.
 *
 * Responses and requests: a schema reads differently as a request (defaults
 * optional, unknown keys tolerated) and as a response (defaults filled). The
 * components hold response forms; a request uses a component only where its
 * form is the same (enums, shared unchanged objects) or recursive, and is
 * written in place otherwise. In place is also what generated clients need:
 * openapi-typescript makes a property with a `default` required unless it sits
 * under a `requestBody` or a parameter, so a request form in the components
 * would make every defaulted field mandatory for callers.
 *
 * JSON values are written as `{}` (any instance), not as zod's recursive
 * `anyOf` of the six JSON kinds: both accept exactly every JSON document, but
 * the recursive union defeats generated clients (openapi-fetch types a
 * request's `metadata` of such values as `undefined`).
 */

/** A JSON Schema (2020-12) as the document holds it. */
export type JsonSchema = Record<string, unknown>;
export type Direction = "input" | "output";

const COMPONENT_REF = "#/components/schemas/";
const LOCAL_REF = "#/$defs/";
/** Route parameters become `parameters`, never a component, so their schemas are not named. */
const PARAMETER_SCHEMA = /(Params|Query)$/;
/** Kinds worth a name of their own; a named string or number would only hide its type behind a `$ref`. */
const NAMED_KINDS = new Set(["object", "enum", "union", "record", "lazy"]);
const CONTRACT_MODULES = [
  common,
  health,
  sessions,
  sessionTimeline,
  events,
  inbox,
  agents,
  runners,
  tasks,
  contexts,
  tenants,
  auth,
];

/** `SessionSchema` → `Session`; `ErrorEnvelope` keeps the name `Error` the document always gave it. */
function componentName(exportName: string): string {
  if (exportName === "ErrorEnvelope") return "Error";
  return exportName.endsWith("Schema") && exportName !== "Schema" ? exportName.slice(0, -"Schema".length) : exportName;
}

function isZodSchema(value: unknown): value is z.ZodType {
  return typeof value === "object" && value !== null && "_zod" in value;
}

/** Component name → schema, for every shared schema the contract modules export. */
export function contractSchemaNames(modules: readonly object[] = CONTRACT_MODULES): Map<string, z.ZodType> {
  const named = new Map<string, z.ZodType>();
  const seen = new Set<z.ZodType>();
  for (const mod of modules)
    for (const [exportName, value] of Object.entries(mod)) {
      if (
        !isZodSchema(value) ||
        PARAMETER_SCHEMA.test(exportName) ||
        !NAMED_KINDS.has(value._zod.def.type) ||
        seen.has(value)
      )
        continue;
      const name = componentName(exportName);
      if (named.has(name)) throw new Error(`two contract schemas would both be the OpenAPI component "${name}"`);
      named.set(name, value);
      seen.add(value);
    }
  return named;
}

/**
 * Our ids layered over zod's global registry: a `.describe()` or `.meta()`
 * written on a contract schema still reaches the document.
 */
class ComponentIds extends z.core.$ZodRegistry<z.core.GlobalMeta> {
  override get<S extends z.core.$ZodType>(schema: S) {
    const own = super.get(schema);
    const global = z.globalRegistry.get(schema);
    return own || global ? { ...global, ...own } : undefined;
  }
}

/** JSON with object keys sorted: two schemas are the same component when these strings are equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

/** Local definition name → component name, or `undefined`: written in place. */
type Placement = ReadonlyMap<string, string | undefined>;

/**
 * A copy of `value` with every `#/$defs/<local>` reference pointing at its
 * component, or replaced by the definition's own form (`inline`) when it has none.
 */
function rewriteRefs(value: unknown, placement: Placement, inline: (local: string) => JsonSchema): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, placement, inline));
  if (!value || typeof value !== "object") return value;
  const { $ref, ...rest } = value as Record<string, unknown>;
  const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, rewriteRefs(v, placement, inline)]));
  if (typeof $ref !== "string" || !$ref.startsWith(LOCAL_REF)) return $ref === undefined ? out : { $ref, ...out };
  const local = $ref.slice(LOCAL_REF.length).replaceAll("~1", "/").replaceAll("~0", "~");
  if (!placement.has(local)) throw new Error(`zod emitted a reference to an unknown definition ${$ref}`);
  const name = placement.get(local);
  // Keywords beside the reference (a property's `default`) win over the definition's own.
  return name === undefined ? { ...inline(local), ...out } : { $ref: COMPONENT_REF + name, ...out };
}

/** Local references inside `value`. */
function localRefs(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) localRefs(v, out);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string" && v.startsWith(LOCAL_REF)) out.add(v.slice(LOCAL_REF.length));
      else localRefs(v, out);
    }
  return out;
}

/** Definitions that reach themselves through references: these cannot be written in place. */
function selfReferencing(defs: Record<string, JsonSchema>): Set<string> {
  const edges = new Map(Object.entries(defs).map(([local, def]) => [local, localRefs(def)]));
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
    [...(edges.get(from) ?? [])].some(
      (next) => next === to || (!seen.has(next) && seen.add(next) && reaches(next, to, seen)),
    );
  return new Set(Object.keys(defs).filter((local) => reaches(local, local)));
}

/** Every JSON document; see the note at the top on why JSON values are not zod's recursive union. */
const ANY_JSON: JsonSchema = { description: "Any JSON value: string, number, boolean, null, array or object" };
const FIXED_FORMS: Record<string, JsonSchema> = { JsonValue: ANY_JSON };

export interface SchemaComponents {
  /**
   * The JSON Schema of `schema` as it travels in direction `io`, with its
   * extracted parts moved into the components (or written in place) and
   * referenced from there. Convert every response before any request: request
   * forms reuse the response forms they equal. `context` (e.g.
   * `createSessionBody`) names an anonymous recursive part no named schema
   * matches: `<context>Recursive<n>`, which the document's test refuses.
   */
  convert(schema: z.ZodType, io: Direction, context: string): JsonSchema;
  /** `components.schemas`, sorted by name. */
  schemas(): Record<string, JsonSchema>;
}

export function createSchemaComponents(
  named: ReadonlyMap<string, z.ZodType> = contractSchemaNames(),
): SchemaComponents {
  const ids = new ComponentIds();
  for (const [id, schema] of named) ids.add(schema, { id });
  const recursiveIds = [...named].filter(([, s]) => s._zod.def.type === "lazy").map(([id]) => id);
  const components = new Map<string, JsonSchema>();

  const toJson = (schema: z.ZodType, io: Direction) => {
    const {
      $schema: _dialect,
      $defs,
      ...root
    } = z.toJSONSchema(schema, { io, metadata: ids, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
    return { root, defs: ($defs ?? {}) as Record<string, JsonSchema> };
  };

  /** zod's own form of a named recursive schema, its self-references pointing at its own name. */
  const recursiveForms = new Map<string, string>();
  const recursiveForm = (id: string, io: Direction) => {
    const key = `${io}:${id}`;
    if (!recursiveForms.has(key)) {
      const { defs } = toJson(named.get(id) as z.ZodType, io);
      const self = new Map(Object.keys(defs).map((local) => [local, local]));
      recursiveForms.set(key, canonical(rewriteRefs(defs[id], self, () => ({}))));
    }
    return recursiveForms.get(key);
  };

  /** Local definition name → the name it stands for: its id, or for an anonymous recursive part, the named one it equals. */
  const baseNames = (defs: Record<string, JsonSchema>, io: Direction, context: string) => {
    const names = new Map(Object.keys(defs).map((local) => [local, local]));
    let unmatched = 0;
    for (const [local, def] of Object.entries(defs)) {
      if (named.has(local)) continue;
      const match = recursiveIds.find(
        (id) => canonical(rewriteRefs(def, new Map([...names, [local, id]]), () => ({}))) === recursiveForm(id, io),
      );
      names.set(local, match ?? `${context}Recursive${++unmatched}`);
    }
    return names;
  };

  return {
    convert(schema, io, context) {
      const { root, defs } = toJson(schema, io);
      const names = baseNames(defs, io, context);
      const recursive = selfReferencing(defs);
      // Responses hoist everything; requests start in place, recursive parts excepted.
      const placement = new Map<string, string | undefined>(
        Object.keys(defs).map((l) => [l, io === "output" || recursive.has(l) ? names.get(l) : undefined]),
      );
      const formOf = (local: string): JsonSchema => {
        const name = placement.get(local);
        return (name !== undefined && FIXED_FORMS[name]) || (rewriteRefs(defs[local], placement, formOf) as JsonSchema);
      };
      const sameAsComponent = (local: string, name: string) => {
        const existing = components.get(name);
        return existing !== undefined && canonical(existing) === canonical(formOf(local));
      };
      // A request part joins the component of its name when its form equals it
      // (which may make its parent's form equal in turn: repeat until stable); a
      // recursive part whose form differs takes a suffixed name.
      for (let changed = true; changed;) {
        changed = false;
        for (const local of Object.keys(defs)) {
          const name = placement.get(local);
          const base = names.get(local) as string;
          if (name === undefined && sameAsComponent(local, base)) placement.set(local, base);
          else if (name === base && components.has(base) && !sameAsComponent(local, base))
            placement.set(local, base + (io === "input" ? "Input" : "Output"));
          else continue;
          changed = true;
        }
      }
      for (const local of Object.keys(defs)) {
        const name = placement.get(local);
        if (name === undefined) continue;
        if (components.has(name) && !sameAsComponent(local, name))
          throw new Error(`OpenAPI component "${name}" has two different ${io} forms`);
        components.set(name, formOf(local));
      }
      return rewriteRefs(root, placement, formOf) as JsonSchema;
    },
    schemas() {
      return Object.fromEntries([...components].sort(([a], [b]) => a.localeCompare(b)));
    },
  };
}
