/**
 * `npx tsx deploy/tools/install-helm.ts`: makes sure a helm ≥ 3 is available
 * for the chart tests (see ./helm.ts for where it comes from) and prints its
 * path and version. `.ci/run` runs it before the suite.
 */
import { execFileSync } from "node:child_process";
import { ensureHelm } from "./helm";

const bin = ensureHelm();
const version = execFileSync(bin, ["version", "--short"], { encoding: "utf8" }).trim();
console.log(`helm ${version}: ${bin}`);
