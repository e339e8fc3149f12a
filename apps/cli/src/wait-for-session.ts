import type { SessionView } from "@industrial/contracts";
import type { SessionStatus } from "@industrial/core";
import type { CliContext } from "./context";
import { followEvents } from "./follow";
import { lastActivity } from "./format/event";
import { formatDuration, shortId } from "./format/text";
import { createProgress } from "./progress";

/**
 * Waits for a session to finish, showing `<short> <status> · <last log line>`
 * on a spinner (TTY only). Status comes from `GET /sessions/{id}` after each
 * poll, the activity from `GET /sessions/{id}/events?after=`; without a
 * spinner, status changes are noted as plain lines on stderr instead.
 * Resolves with the session as it finally is.
 */
export async function waitForSession(ctx: CliContext, session: SessionView): Promise<SessionView> {
  const short = shortId(session.id);
  let status: SessionStatus = session.status;
  let activity = "";
  const progress = createProgress(ctx, `${short} ${status}`);
  try {
    await followEvents(ctx.client, session.id, {
      follow: true,
      onEvents: (events) => {
        for (const e of events)
          if (e.type === "session.status_changed" && !ctx.interactive)
            ctx.note(`${short} ${e.payload.from} → ${e.payload.to}`);
        activity = lastActivity(events) ?? activity;
      },
      onPoll: async () => {
        status = (await ctx.client.call("getSession", { params: { id: session.id } })).status;
        progress.update(`${short} ${status}${activity ? ` · ${activity}` : ""}`);
      },
    });
  } catch (e) {
    progress.stop();
    throw e;
  }
  const final = await ctx.client.call("getSession", { params: { id: session.id } });
  const took = final.metrics.runSeconds ? ` in ${formatDuration(final.metrics.runSeconds)}` : "";
  progress.stop({ ok: final.status === "completed", text: `${short} ${final.status}${took}` });
  return final;
}
