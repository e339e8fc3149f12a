import type { Metadata } from "next";
import { urlPage } from "@/components/shell/url-page";
import { SessionsView } from "./components/sessions-view";

export const metadata: Metadata = { title: "Sessions" };

export default urlPage(SessionsView);
