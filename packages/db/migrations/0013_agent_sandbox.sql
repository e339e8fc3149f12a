-- 0013: each agent's sandbox policy (core agent-sandbox.ts): the network
-- (full or none), address-space, process and CPU-time limits of its commands
-- (null: no limit), and extra host paths mounted inside. One jsonb value: the
-- sandbox reads it whole with the agent, and nothing queries inside it.
-- The default is core's DEFAULT_AGENT_SANDBOX, the same JSON: existing agents
-- keep running ordinary coding work (network, no memory or CPU limit, a
-- process bound that only stops a fork bomb, no mounts).

ALTER TABLE agents ADD COLUMN sandbox jsonb NOT NULL
  DEFAULT '{"network":"full","memoryMb":null,"maxProcesses":4096,"cpuSeconds":null,"mounts":[]}'::jsonb
  CHECK (jsonb_typeof(sandbox) = 'object');
