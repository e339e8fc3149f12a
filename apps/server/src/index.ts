export { startOrchestrator, migrateStorage, ConfigError, VERSION, DEFAULT_TENANT_ID, type Orchestrator } from "./main";
export { parseConfig, type Config } from "./config";
export { createDashboardHandler, DEFAULT_DASHBOARD_DIR, type DashboardHandler } from "./runtime/dashboard";
