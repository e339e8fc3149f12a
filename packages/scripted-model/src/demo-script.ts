import type { ScriptStep } from "./script";

/**
 * What the scripted model plays when a prompt carries no `SCRIPT:`: a short
 * demo that exercises a real file write, a real shell command and a final
 * answer, and says plainly that no language model was involved.
 */

/** The file the demo writes, relative to the session's working directory. */
export const DEMO_FILE = "ORCHESTRATOR_DEMO.md";

/** The line the demo file carries so anyone who opens it knows where it came from. */
export const DEMO_SIGNATURE = "Written by the scripted model of Industrial Orchestrator (a replay server, not an LLM).";

export const DEMO_SUMMARY =
  "This answer comes from the scripted model, a small replay server that ships with Industrial Orchestrator; it is not an LLM and did not think about your prompt. " +
  `It played the built-in demo script: it wrote ${DEMO_FILE} in the working directory with your prompt in it, ran \`ls\` with the bash tool, and now ends the turn. ` +
  "Add a line starting with SCRIPT: followed by a JSON array of steps to your prompt to make it play something else, or configure a real model to get real work done.";

/** The demo script for a prompt: write the demo file, run `ls`, answer. */
export function computeDemoScript(promptText: string): ScriptStep[] {
  const quoted = (promptText.trim() || "(empty prompt)")
    .split("\n")
    .map((line) => `> ${line}`.trimEnd())
    .join("\n");
  const content = `# Orchestrator demo\n\nThe prompt of this session was:\n\n${quoted}\n\n${DEMO_SIGNATURE}\n`;
  return [
    { kind: "tools", calls: [{ tool: "write", input: { filePath: DEMO_FILE, content } }] },
    {
      kind: "tools",
      calls: [{ tool: "bash", input: { command: "ls", description: "List the files in the working directory" } }],
    },
    { kind: "text", text: DEMO_SUMMARY },
  ];
}
