"use client";

import type { SessionEvent } from "@industrial/core";
import { useEffect, useMemo } from "react";
import { ErrorPanel } from "@/components/ui/error-panel";
import type { SocketState } from "@/lib/live-socket";
import { useSessionEvents } from "../hooks/use-session-events";
import { Terminal } from "./terminal";

/**
 * The session's log, live, in the terminal. Its own component so that the
 * events streaming in (a render per animation frame at most) render the
 * terminal only, not the whole session page; the page hears of the stream's
 * state when it changes.
 */
export function LiveTerminal({
  id,
  onEvents,
  onStream,
}: {
  id: string;
  onEvents: (events: SessionEvent[]) => void;
  onStream: (state: SocketState) => void;
}) {
  const events = useSessionEvents(id, onEvents);
  const { stream, window: w, paging, loadEarlier, loadLater, toEnd, setFollowing } = events;
  useEffect(() => onStream(stream), [onStream, stream]);
  const pages = useMemo(
    () => ({
      atStart: w.atStart,
      atEnd: w.atEnd,
      loading: paging,
      loadEarlier,
      loadLater,
      toEnd,
      setFollowing,
      origin: w.origin,
    }),
    [w.atStart, w.atEnd, w.origin, paging, loadEarlier, loadLater, toEnd, setFollowing],
  );
  return (
    <>
      {events.error && !w.lines.length ? (
        <ErrorPanel title="Could not read the event log" error={events.error} />
      ) : null}
      <Terminal lines={w.lines} version={events.version} loading={events.loading} stream={stream} pages={pages} />
    </>
  );
}
