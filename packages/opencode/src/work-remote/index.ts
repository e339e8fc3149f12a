export {
  createCheckpointPusher,
  defaultPusherBackoff,
  type CheckpointPush,
  type CheckpointPusher,
  type CheckpointPusherOptions,
} from "./checkpoint-pusher";
export { createBranchPusher, type BranchPush, type BranchPusher, type BranchPusherOptions } from "./branch-pusher";
export { createRoutedCheckpointPusher, type RoutedPusherOptions } from "./routed-pusher";
export { removeSessionRefs, type SessionRefsCleanup } from "./session-refs-cleanup";
