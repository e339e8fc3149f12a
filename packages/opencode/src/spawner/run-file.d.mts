import type { SpawnOptions, SpawnResult } from "./spawner";

export function runFile(
  file: string,
  args: readonly string[],
  options: SpawnOptions,
  done: (result: SpawnResult) => void,
): void;
