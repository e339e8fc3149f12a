#!/usr/bin/env node
// The installed entry: the CLI ships as TypeScript (like every workspace
// package), so register tsx's ESM loader before importing it. Registering at
// run time (not `node --import tsx`) keeps `npx orchestrator` a plain node call.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
