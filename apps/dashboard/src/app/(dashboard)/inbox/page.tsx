import type { Metadata } from "next";
import { urlPage } from "@/components/shell/url-page";
import { InboxView } from "./components/inbox-view";

export const metadata: Metadata = { title: "Inbox" };

export default urlPage(InboxView);
