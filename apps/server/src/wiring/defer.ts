/**
 * Registers a stop step on the composition root's shutdown stack (main.ts).
 * Steps run in reverse order of registration, so a part registers its stop
 * right after it is built: whatever it depends on is stopped after it.
 */
export type Defer = (stop: () => Promise<void> | void) => void;
