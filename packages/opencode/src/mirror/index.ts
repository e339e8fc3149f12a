/**
 * Mirror caches: each replica's bare mirrors of the URL repositories its
 * sessions use, per tenant, under `<data dir>/mirrors` (README, "Repositories
 * by URL"). Cloned once, fetched before a worktree is cut, used under a lock
 * per mirror, garbage-collected when unused.
 */
export {
  createMirrorCache,
  MIRROR_REFSPECS,
  MIRROR_USED_MARKER,
  RepositoryUnreachableError,
  type MirrorCache,
  type MirrorCacheOptions,
} from "./mirror-cache";
export { collectMirrorGarbage, type MirrorGcInput } from "./mirror-gc";
