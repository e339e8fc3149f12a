import type { Metadata } from "next";
import { urlPage } from "@/components/shell/url-page";
import { TasksView } from "./components/tasks-view";

export const metadata: Metadata = { title: "Tasks" };

export default urlPage(TasksView);
