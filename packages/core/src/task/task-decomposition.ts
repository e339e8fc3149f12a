import type { Capability } from "../agent/agent";
import { InvalidInputError } from "../errors";
import type { SessionType } from "../session/session";
import { complexityOf, complexityRank, computeEstimate, type DependencyType, type Estimate } from "./task";
import { DEFAULT_CAPABILITY, estimateHoursFromText, inferCapabilities, inferSessionType } from "./task-heuristics";
import { matchTemplates, TASK_TEMPLATES, type TaskTemplate, type TemplateName } from "./task-templates";

/** One task of a plan. Keys are unique and nest: "implementation.2" is a subtask of "implementation". */
export interface PlannedTask {
  key: string;
  /** null: a direct child of the task being decomposed. */
  parentKey: string | null;
  title: string;
  description: string;
  type: SessionType;
  requiredCapabilities: Capability[];
  estimate: Estimate;
}

/**
 * Tasks listed parents before their children, siblings in plan order (the
 * order to keep as `position`). Edges join siblings, as planned: an edge into
 * or out of a task that was split further binds all of its descendants.
 */
export interface DecompositionPlan {
  /** The template used for the top level, or null when the text was split. */
  template: TemplateName | null;
  tasks: PlannedTask[];
  edges: { fromKey: string; toKey: string; type: DependencyType }[];
}

export interface DecompositionOptions {
  /** Use this template at the top level; absent: the first whose triggers match, else the text is split. */
  template?: TemplateName;
  /** Never use a template on its own accord: split the text into steps (a named `template` still applies). */
  heuristicsOnly?: boolean;
  /** Levels of subtasks, 1–5; a subtask on the last level is a leaf whatever its size. */
  maxDepth: number;
}

export const DECOMPOSITION_LIMITS = {
  titleMax: 200,
  /** More sentences than this are grouped, in order, into this many steps. */
  maxSteps: 8,
  /** Planned estimates spread ±30 % around the share of hours. */
  spread: 0.3,
  /** Share of "Implement" when a one-sentence text is split into implement + verify. */
  implementShare: 0.7,
  /** Parts of a text that cannot be split further aim below the moderate bound. */
  partHours: 3.5,
} as const;

/** What is being split: the task itself, a template phase or a step of text. */
interface Subject {
  /** The decomposed task's title: what every planned title is about. */
  topic: string;
  /** Appended to every planned description, so a leaf's session knows the whole task. */
  context: string;
  /** The text whose sentences become subtasks. */
  body: string;
  /**
   * Texts a template is matched on, in turn (none: no template here). The
   * task: its title, then title and description, since the title says what
   * the task is ("Users API") and the description may mention anything
   * ("… with login"). A phase: its own title, not the task's text, or one
   * matching template would land under every large phase. A step of text
   * outside any phase: the step. Steps inside a phase stay in that phase.
   */
  matchTexts: readonly string[];
  /** Prefixed to subtask titles ("Tests: …"); null at the top and under text steps. */
  prefix: string | null;
  hours: number;
  /** The nearest phase's capabilities and type (null outside any phase). */
  phase: { capabilities: readonly Capability[]; type: SessionType } | null;
  /** What a step needs when its text names nothing: the decomposed task's own capabilities, or code_generation. */
  fallback: readonly Capability[];
  used: ReadonlySet<TemplateName>;
  /** text: split by sentences; halves: one sentence, split into implement + verify; parts: split into equal parts. */
  stage: "text" | "halves" | "parts";
}

interface Piece {
  key: string;
  title: string;
  description: string;
  type: SessionType;
  capabilities: Capability[];
  hours: number;
  next: Subject;
}

interface Split {
  template: TemplateName | null;
  pieces: Piece[];
  edges: { from: string; to: string; type: DependencyType }[];
}

/**
 * Turns a task into subtasks and dependencies (docs/domain.md,
 * Tasks): the named template, else the first template whose
 * triggers match the title (then the title and description), else the text
 * split into steps
 * (sentences or bullets, run one after another). Hours are shared out from
 * the task's expected hours, so a plan's leaves add up to it. Any planned
 * task above `moderate` is split again (by a template not used above it, or
 * by its text) until it is at most moderate or `maxDepth` is reached.
 */
export function planDecomposition(
  task: { title: string; description: string; requiredCapabilities: readonly Capability[]; estimate: Estimate },
  options: DecompositionOptions,
): DecompositionPlan {
  const { maxDepth } = options;
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > 5)
    throw new InvalidInputError("maxDepth must be an integer from 1 to 5", [
      { path: "maxDepth", reason: `must be 1–5 (got ${maxDepth})` },
    ]);
  const description = task.description.trim();
  const root: Subject = {
    topic: task.title,
    context: `Part of: ${task.title}${description ? `\n\n${description}` : ""}`,
    body: description || task.title,
    matchTexts: [task.title, `${task.title}\n${description}`],
    prefix: null,
    hours: task.estimate.expected,
    phase: null,
    fallback: task.requiredCapabilities.length > 0 ? [...task.requiredCapabilities] : [DEFAULT_CAPABILITY],
    used: new Set(),
    stage: "text",
  };
  const templates = !options.heuristicsOnly;
  const plan: DecompositionPlan = { template: null, tasks: [], edges: [] };

  const expand = (subject: Subject, parentKey: string | null, depth: number, forced?: TaskTemplate) => {
    const split = splitSubject(subject, templates, forced);
    if (parentKey === null) plan.template = split.template;
    const keyOf = (k: string) => (parentKey === null ? k : `${parentKey}.${k}`);
    plan.edges.push(...split.edges.map((e) => ({ fromKey: keyOf(e.from), toKey: keyOf(e.to), type: e.type })));
    for (const p of split.pieces) {
      const estimate = heuristicEstimate(p.hours);
      const key = keyOf(p.key);
      plan.tasks.push({
        key,
        parentKey,
        title: p.title,
        description: p.description,
        type: p.type,
        requiredCapabilities: p.capabilities,
        estimate,
      });
      if (depth < maxDepth && complexityRank(complexityOf(estimate.expected)) > complexityRank("moderate"))
        expand(p.next, key, depth + 1);
    }
  };
  expand(root, null, 1, options.template ? TASK_TEMPLATES[options.template] : undefined);
  return plan;
}

/**
 * A heuristic estimate of `hours`, spread ±30 %, in hundredths of an hour so
 * plans read cleanly (planned subtasks, and tasks created without an estimate). The spread is symmetric around the rounded likely
 * value, so expected = likely.
 */
export function heuristicEstimate(hours: number): Estimate {
  const r = (x: number) => Math.round(x * 100) / 100;
  const likely = r(hours);
  const spread = r(likely * DECOMPOSITION_LIMITS.spread);
  return computeEstimate({
    optimistic: r(likely - spread),
    likely,
    pessimistic: r(likely + spread),
    source: "heuristic",
  });
}

function splitSubject(subject: Subject, templates: boolean, forced?: TaskTemplate): Split {
  const template =
    forced ??
    (templates && subject.stage === "text"
      ? subject.matchTexts.map((text) => matchTemplates(text).find((t) => !subject.used.has(t.name))).find(Boolean)
      : undefined);
  if (template) return byTemplate(template, subject);
  const steps = subject.stage === "text" ? splitSteps(subject.body) : [];
  if (steps.length >= 2) return byText(steps, subject);
  // One sentence: outside a phase, "implement it, then verify it" is a real split; past that only size is left to cut.
  if (subject.stage !== "parts" && subject.phase === null) return halves(subject);
  return parts(subject);
}

function byTemplate(t: TaskTemplate, subject: Subject): Split {
  const used = new Set([...subject.used, t.name]);
  const pieces = t.phases.map((ph): Piece => {
    const phase = { capabilities: ph.capabilities, type: ph.type };
    return {
      key: ph.key,
      title: clip(`${ph.title}: ${subject.topic}`),
      description: `${ph.description}\n\n${subject.context}`,
      type: ph.type,
      capabilities: union(ph.capabilities, inferCapabilities(ph.title)),
      hours: ph.share * subject.hours,
      next: {
        ...subject,
        prefix: ph.title,
        matchTexts: [ph.title],
        hours: ph.share * subject.hours,
        phase,
        used,
        stage: "text",
      },
    };
  });
  return { template: t.name, pieces, edges: t.edges.map((e) => ({ ...e })) };
}

/** One subtask per step, one after another; hours shared by each step's own text estimate. */
function byText(steps: readonly string[], subject: Subject): Split {
  const weights = steps.map(estimateHoursFromText);
  const sum = weights.reduce((a, b) => a + b, 0);
  const pieces = steps.map((text, i): Piece => {
    const hours = (subject.hours * weights[i]!) / sum;
    return {
      ...stepNeeds(text, subject),
      key: String(i + 1),
      title: clip(subject.prefix ? `${subject.prefix}: ${titleOf(text)}` : titleOf(text)),
      description: `${text}\n\n${subject.context}`,
      hours,
      next: { ...subject, body: text, matchTexts: subject.phase ? [] : [text], hours, stage: "text" },
    };
  });
  return { template: null, pieces, edges: sequence(pieces) };
}

function halves(subject: Subject): Split {
  const share = DECOMPOSITION_LIMITS.implementShare;
  const what = titleOf(subject.body);
  const implement = stepNeeds(subject.body, subject);
  const pieces: Piece[] = [
    {
      key: "1",
      title: clip(`Implement: ${what}`),
      description: `Implement: ${subject.body}\n\n${subject.context}`,
      ...implement,
      hours: share * subject.hours,
      next: { ...subject, prefix: "Implement", hours: share * subject.hours, stage: "parts" },
    },
    {
      key: "2",
      title: clip(`Verify: ${what}`),
      description: `Verify with tests that this works: ${subject.body}\n\n${subject.context}`,
      type: "execution",
      capabilities: ["test_generation"],
      hours: (1 - share) * subject.hours,
      next: {
        ...subject,
        prefix: "Verify",
        hours: (1 - share) * subject.hours,
        phase: { capabilities: ["test_generation"], type: "execution" },
        stage: "parts",
      },
    },
  ];
  return { template: null, pieces, edges: sequence(pieces) };
}

/** Equal parts small enough to be moderate (at most maxSteps of them; bigger ones are split again). */
function parts(subject: Subject): Split {
  const n = Math.min(
    DECOMPOSITION_LIMITS.maxSteps,
    Math.max(2, Math.ceil(subject.hours / DECOMPOSITION_LIMITS.partHours)),
  );
  const base = subject.prefix ? `${subject.prefix}: ${titleOf(subject.body)}` : titleOf(subject.body);
  const pieces = Array.from({ length: n }, (_, i): Piece => {
    const label = `part ${i + 1} of ${n}`;
    return {
      ...stepNeeds(subject.body, subject),
      key: String(i + 1),
      title: clip(`${base} (${label})`, label.length + 3),
      description: `Do ${label} of: ${subject.body}\n\n${subject.context}`,
      hours: subject.hours / n,
      // A part too big for moderate is cut again: "X (part 1 of 8) (part 2 of 2)".
      next: { ...subject, prefix: null, body: `${base} (${label})`, hours: subject.hours / n, stage: "parts" },
    };
  });
  return { template: null, pieces, edges: sequence(pieces) };
}

/** Capabilities and type of a step: the phase's plus what its text names, else the fallback. */
function stepNeeds(text: string, subject: Subject): { capabilities: Capability[]; type: SessionType } {
  const inferred = inferCapabilities(text);
  if (subject.phase) return { capabilities: union(subject.phase.capabilities, inferred), type: subject.phase.type };
  const capabilities = inferred.length > 0 ? inferred : [...subject.fallback];
  return { capabilities, type: inferSessionType(capabilities) };
}

function sequence(pieces: readonly Piece[]): Split["edges"] {
  return pieces.slice(1).map((p, i) => ({ from: pieces[i]!.key, to: p.key, type: "finish_to_start" as const }));
}

/**
 * Steps of a text: each bullet or numbered line is one, other lines are
 * joined into paragraphs and cut into sentences. More than maxSteps are
 * grouped, in order, into maxSteps steps.
 */
export function splitSteps(text: string): string[] {
  const steps: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    const joined = paragraph.join(" ").trim();
    if (joined) steps.push(...joined.split(/(?<=[.!?])\s+(?=\S)/));
    paragraph = [];
  };
  for (const line of text.split(/\r?\n/)) {
    const bullet = /^\s*(?:[-*•+]|\d+[.)])\s+(.*)$/.exec(line);
    if (bullet) {
      flush();
      steps.push(bullet[1]!);
    } else if (line.trim() === "") flush();
    else paragraph.push(line.trim());
  }
  flush();
  const clean = steps.map((s) => s.trim()).filter((s) => /[\p{L}\p{N}].*[\p{L}\p{N}]/u.test(s));
  const max = DECOMPOSITION_LIMITS.maxSteps;
  if (clean.length <= max) return clean;
  return Array.from({ length: max }, (_, i) =>
    clean.slice(Math.floor((i * clean.length) / max), Math.floor(((i + 1) * clean.length) / max)).join(" "),
  );
}

/** The first sentence, without its closing punctuation. */
function titleOf(text: string): string {
  const first = text.split(/(?<=[.!?])\s+/)[0] ?? text;
  return first.replace(/[.;:!]+$/, "").trim() || text.trim();
}

/** Cuts a title to the 1–200 characters a task allows, keeping the last `keepEnd` characters (a "(part 2 of 3)"). */
function clip(title: string, keepEnd = 0): string {
  const max = DECOMPOSITION_LIMITS.titleMax;
  if (title.length <= max) return title;
  return `${title.slice(0, max - 1 - keepEnd)}…${title.slice(title.length - keepEnd)}`;
}

function union(a: readonly Capability[], b: readonly Capability[]): Capability[] {
  return [...new Set([...a, ...b])];
}
