import type { Metadata } from "next";
import { urlPage } from "@/components/shell/url-page";
import { SettingsView } from "./components/settings-view";

export const metadata: Metadata = { title: "Settings" };

export default urlPage(SettingsView);
