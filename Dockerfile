# syntax=docker/dockerfile:1
# The orchestrator: API, scheduler, managed OpenCode runners (the pinned
# `opencode` binary of the opencode-ai npm package) and the built dashboard,
# all on port 8000. Build from the repository root:
#   docker build -t industrial-orchestrator .
# The same steps run outside Docker in CI: `npm ci`, `npm run build:dashboard`,
# then the app runs as TypeScript through tsx (there is no compile step).

ARG NODE_IMAGE=node:20-bookworm-slim

# --- deps: every workspace's dependencies, dev included (the dashboard build needs them).
# Only the manifests are copied first, so this layer is rebuilt only when they change.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/cli/package.json apps/cli/
COPY apps/dashboard/package.json apps/dashboard/
COPY apps/server/package.json apps/server/
COPY packages/contracts/package.json packages/contracts/
COPY packages/core/package.json packages/core/
COPY packages/db/package.json packages/db/
COPY packages/opencode/package.json packages/opencode/
COPY packages/scheduler/package.json packages/scheduler/
COPY packages/scripted-model/package.json packages/scripted-model/
COPY packages/testkit/package.json packages/testkit/
RUN npm ci --no-audit --no-fund

# --- build: the dashboard (`next build`, offline), served by the orchestrator from apps/dashboard/.next.
FROM deps AS build
ENV NEXT_TELEMETRY_DISABLED=1
COPY . .
RUN npm run build:dashboard \
 && rm -rf apps/dashboard/.next/cache apps/dashboard/.next/standalone

# --- prod-deps: runtime dependencies only (tsx, next, opencode-ai and its platform binary stay).
FROM deps AS prod-deps
RUN npm ci --omit=dev --no-audit --no-fund

# --- runtime
FROM ${NODE_IMAGE} AS runtime
# git: worktrees and checkpoint commits; openssh-client: pushes to an SSH
# work remote (ORCHESTRATOR_GIT_SSH_KEY); ripgrep: OpenCode's search tools
# (otherwise it downloads rg at run time); tini: PID 1 that forwards SIGTERM
# and reaps the runners' grandchildren; bubblewrap: the sandbox every command
# of a managed runner's agent runs in (docs/sandbox.md; unprivileged, through
# user namespaces: the container's seccomp profile must allow them, README,
# "Sandbox in Kubernetes"). /srv/work-remote/work.git is an empty
# bare repository: compose mounts a named volume there, which Docker fills
# from the image the first time, so the work remote exists at the first start.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git openssh-client ripgrep tini ca-certificates bubblewrap \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 orchestrator \
 && useradd --system --uid 10001 --gid orchestrator --home-dir /home/orchestrator --create-home --shell /usr/sbin/nologin orchestrator \
 && mkdir -p /data /srv/repos /srv/work-remote \
 && git init --quiet --bare /srv/work-remote/work.git \
 && chown -R orchestrator:orchestrator /data /srv/repos /srv/work-remote
# No secret is baked in, and authentication stays on (the default): the
# server secret, admin key and passwords come from the environment at run
# time (compose's .env, the chart's Secret). Sessions may take files only
# from /srv/repos (mount repositories there): unset, the roots would be the
# folder the server starts in, /app, the application itself.
# ORCHESTRATOR_SANDBOX=required: a shared installation never runs an agent's
# command outside the sandbox; where bubblewrap cannot work (a seccomp profile
# that refuses user namespaces), sessions on managed runners are refused,
# naming the cause, and readiness shows `sandbox: down`.
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    ORCHESTRATOR_DATA_DIR=/data \
    ORCHESTRATOR_WORKSPACE_ROOTS=/srv/repos \
    ORCHESTRATOR_SANDBOX=required \
    HOME=/home/orchestrator
WORKDIR /app
# The application stays owned by root (read-only to the process); only /data and $HOME are its own.
COPY --from=prod-deps /app ./
COPY . .
COPY --from=build /app/apps/dashboard/.next ./apps/dashboard/.next
# Fails the build when the pinned OpenCode binary is missing or does not run, or git, ssh or bubblewrap is missing.
# (Only the binary: whether it can make a sandbox depends on where the container runs; the server probes that at start.)
# /usr/local/bin/opencode: the same binary on PATH, for the chart's runner pods (`opencode serve`).
RUN opencode="$(node --import tsx --input-type=module -e "import { resolveOpenCodeBinary } from './packages/opencode/src/runner/opencode-binary.ts'; process.stdout.write(resolveOpenCodeBinary())")" \
 && echo "opencode $("$opencode" --version) at $opencode" \
 && ln -s "$opencode" /usr/local/bin/opencode \
 && git --version \
 && ssh -V \
 && bwrap --version
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000
# Ready: the database answers and is migrated, a runner is up or can start on demand.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# tini runs node as its child: SIGTERM starts the graceful shutdown (leases handed back, sockets closed with 1001).
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "apps/cli/bin/orchestrator.js", "start"]
