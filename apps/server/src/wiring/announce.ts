import type { Logger } from "pino";
import { firstAdminKeyBanner } from "../auth/first-admin-key";
import type { Config } from "../config";

/**
 * Says the server listens, shows the first admin key once (through
 * `announce`, never the log stream) and warns loudly when authentication is off.
 */
export function announceStart(input: {
  config: Config;
  logger: Logger;
  url: string;
  firstAdminKey: string | null;
  authEnabled: boolean;
  announce: (text: string) => void;
}): void {
  const { config, logger, url, announce } = input;
  logger.info(
    { url, storage: config.storage, demo: config.ORCHESTRATOR_DEMO, auth: config.ORCHESTRATOR_AUTH },
    "orchestrator listening",
  );
  if (input.firstAdminKey) announce(firstAdminKeyBanner(input.firstAdminKey, url));
  if (!input.authEnabled) {
    logger.warn(
      { host: config.HOST },
      "AUTHENTICATION IS OFF (ORCHESTRATOR_AUTH=off): every local caller is an admin; never expose this port",
    );
    announce("WARNING: ORCHESTRATOR_AUTH=off — no API keys are checked; every caller on this machine is an admin.");
  }
}
