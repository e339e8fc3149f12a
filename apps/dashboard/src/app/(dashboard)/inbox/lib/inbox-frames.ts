import type { WsServerMessage } from "@industrial/contracts";
import type { InboxItem } from "@industrial/core";

/** A page of the inbox as `GET /api/v1/inbox` answers it. */
export interface InboxPage {
  items: InboxItem[];
  nextCursor: string | null;
  total: number;
}

export interface InboxFilter {
  sessionId?: string | undefined;
  agentId?: string | undefined;
  kind?: "permission" | "question" | undefined;
}

const matches = (item: InboxItem, f: InboxFilter) =>
  (!f.sessionId || item.sessionId === f.sessionId) &&
  (!f.agentId || item.agentId === f.agentId) &&
  (!f.kind || item.kind === f.kind);

/**
 * The cached inbox page after one frame of the `inbox` room (docs/input-requests.md
 * §3, WebSocket): a request that opened and fits the filter joins the end (the
 * list is oldest first), one that was answered, expired or withdrawn leaves.
 * Other frames leave the page as it is. The next refetch is the truth; this
 * only spares the wait for it.
 */
export function applyInboxFrame(page: InboxPage, f: WsServerMessage, filter: InboxFilter): InboxPage {
  if (f.type === "inbox.request_created") {
    const { atSeq: _, ...item } = f.payload;
    if (!matches(item, filter) || page.items.some((i) => i.id === item.id)) return page;
    // A page that ends before the newest request would show it out of order: it is counted, and listed when its page is read.
    return page.nextCursor
      ? { ...page, total: page.total + 1 }
      : { ...page, items: [...page.items, item], total: page.total + 1 };
  }
  if (f.type === "inbox.request_resolved") {
    if (!page.items.some((i) => i.id === f.payload.id)) return page;
    return { ...page, items: page.items.filter((i) => i.id !== f.payload.id), total: Math.max(0, page.total - 1) };
  }
  return page;
}
