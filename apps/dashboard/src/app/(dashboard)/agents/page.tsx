import type { Metadata } from "next";
import { urlPage } from "@/components/shell/url-page";
import { AgentsView } from "./components/agents-view";

export const metadata: Metadata = { title: "Agents" };

export default urlPage(AgentsView);
