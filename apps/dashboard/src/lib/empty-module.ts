// Stands in for Node built-ins in the browser bundle (see next.config.mjs).
export {};
