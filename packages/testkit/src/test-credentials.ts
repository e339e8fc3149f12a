/**
 * The credentials test orchestrators start with: the operator-set admin key
 * (ORCHESTRATOR_ADMIN_KEY) and server secret, so every test client can call
 * the API as the default tenant's admin. Fixed values: they protect nothing
 * but throwaway test servers on loopback.
 */
export const TEST_ADMIN_KEY = "io-test-admin-key-3f9c1e7a5b2d4c6e8a0b";
export const TEST_SERVER_SECRET = "test-server-secret-7d1f3b5a9c2e4d6f8a0b1c3e";

/** The Authorization header of a key (default: the test admin key). */
export function bearer(key: string = TEST_ADMIN_KEY): { authorization: string } {
  return { authorization: `Bearer ${key}` };
}

/** The environment that gives a test orchestrator these credentials. */
export function testAuthEnv(): Record<string, string> {
  return { ORCHESTRATOR_ADMIN_KEY: TEST_ADMIN_KEY, ORCHESTRATOR_SECRET: TEST_SERVER_SECRET };
}
