import type { Metadata } from "next";
import { urlPage } from "@/components/shell/url-page";
import { ContextsView } from "./components/contexts-view";

export const metadata: Metadata = { title: "Contexts" };

export default urlPage(ContextsView);
