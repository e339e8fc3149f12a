import { TASK_TEMPLATES, TEMPLATE_NAMES, type TaskTemplate, type TemplateName } from "./task-template-catalogue";

export {
  TASK_TEMPLATES,
  TEMPLATE_NAMES,
  type TaskTemplate,
  type TemplateName,
  type TemplatePhase,
} from "./task-template-catalogue";

/**
 * The order templates are tried in. The most specific goes first, because
 * texts often match several: "refactor the auth API" is a refactoring, not a
 * security feature or a web service, and "a CRUD API" is crud. web_service's
 * triggers ("api", "server") are the most generic, so it goes last.
 */
export const TEMPLATE_MATCH_ORDER: readonly TemplateName[] = [
  "refactoring",
  "microservice",
  "crud",
  "security",
  "ui",
  "web_service",
];

/** A trigger as a regular expression: words separated by anything not a letter or digit, whole words only, optional plural. */
function triggerPattern(trigger: string): RegExp {
  const words = trigger
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`(?<![a-z0-9])${words.join("[^a-z0-9]+")}(?:s|es)?(?![a-z0-9])`, "i");
}

const PATTERNS = new Map(TEMPLATE_NAMES.map((n) => [n, TASK_TEMPLATES[n].triggers.map(triggerPattern)]));

/** Every template whose triggers match `text`, in TEMPLATE_MATCH_ORDER. */
export function matchTemplates(text: string): TaskTemplate[] {
  return TEMPLATE_MATCH_ORDER.filter((n) => PATTERNS.get(n)!.some((p) => p.test(text))).map((n) => TASK_TEMPLATES[n]);
}

/** The first template (in TEMPLATE_MATCH_ORDER) whose trigger words match `text`, or null. */
export function chooseTemplate(text: string): TaskTemplate | null {
  return matchTemplates(text)[0] ?? null;
}
