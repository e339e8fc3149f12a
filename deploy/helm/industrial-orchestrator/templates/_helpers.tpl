{{/* Names: <release>-industrial-orchestrator unless overridden, 63 characters at most. */}}
{{- define "orchestrator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "orchestrator.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* A component's name: fullname-component, kept under 63 characters. */}}
{{- define "orchestrator.componentName" -}}
{{- printf "%s-%s" (include "orchestrator.fullname" .root | trunc (int (sub 62 (len .component))) | trimSuffix "-") .component -}}
{{- end -}}

{{- define "orchestrator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "orchestrator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: industrial-orchestrator
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "orchestrator"). */}}
{{- define "orchestrator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "orchestrator.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "orchestrator.componentLabels" -}}
{{ include "orchestrator.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "orchestrator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "orchestrator.dashboardImage" -}}
{{- printf "%s:%s" .Values.dashboard.image.repository (default .Chart.AppVersion .Values.dashboard.image.tag) -}}
{{- end -}}

{{/* The Secret the orchestrator reads its environment from (and its server secret, admin key and metrics token). */}}
{{- define "orchestrator.secretName" -}}
{{- default (include "orchestrator.fullname" .) .Values.auth.existingSecret -}}
{{- end -}}

{{/*
A secret value: the one given in the values, else the one already in the
cluster (so upgrades keep it), else a new random one; "" when
generateSecrets is false (the plain manifests: the operator fills it in).
(dict "root" $ "secret" <Secret name> "key" <key> "given" <value>).
Include it once per value and render (secret.yaml): a random value differs
on every call.
*/}}
{{- define "orchestrator.secretValue" -}}
{{- if .given -}}
{{- .given -}}
{{- else if .root.Values.generateSecrets -}}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace .secret -}}
{{- if and $existing $existing.data (index $existing.data .key) -}}
{{- index $existing.data .key | b64dec -}}
{{- else -}}
{{- randAlphaNum 48 -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Pod and container security settings shared by our own images (uid 10001, see the Dockerfiles). */}}
{{- define "orchestrator.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "orchestrator.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/* Anti-affinity over nodes for one component: soft (preferred) or hard (required). */}}
{{- define "orchestrator.antiAffinity" -}}
podAntiAffinity:
{{- if eq .mode "hard" }}
  requiredDuringSchedulingIgnoredDuringExecution:
    - topologyKey: kubernetes.io/hostname
      labelSelector:
        matchLabels:
          {{- include "orchestrator.selectorLabels" . | nindent 10 }}
{{- else }}
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "orchestrator.selectorLabels" . | nindent 12 }}
{{- end }}
{{- end -}}

{{/* Fails the render when the orchestrator would have no PostgreSQL to share. */}}
{{- define "orchestrator.checkDatabase" -}}
{{- if and (not .Values.postgresql.enabled) (not .Values.externalDatabase.url) (not .Values.auth.existingSecret) -}}
{{- fail "PostgreSQL is required: set postgresql.enabled=true, externalDatabase.url, or auth.existingSecret holding DATABASE_URL (replicas share one database; the embedded PGlite serves one process)" -}}
{{- end -}}
{{- end -}}

{{/* Egress to the cluster DNS (kube-dns / CoreDNS pods). */}}
{{- define "orchestrator.dnsEgress" -}}
- to:
    - namespaceSelector: {}
      podSelector:
        matchLabels:
          k8s-app: kube-dns
  ports:
    - { protocol: UDP, port: 53 }
    - { protocol: TCP, port: 53 }
{{- end -}}

{{/*
The work remote (docs/work-remote.md): where every replica pushes each
session's checkpoints. Each pod's data dir is scratch, so with more than one
replica it must be a remote they share: workRemote.url, or the bundled git
server while that is empty.
*/}}
{{- define "orchestrator.gitServerEnabled" -}}
{{- if and .Values.gitServer.enabled (not .Values.workRemote.url) -}}true{{- end -}}
{{- end -}}

{{/* The bundled git server's base URL (its Service), also the scope of its credential in the gitconfig. */}}
{{- define "orchestrator.gitServerBase" -}}
{{- printf "http://%s:8080" (include "orchestrator.componentName" (dict "root" . "component" "git-server")) -}}
{{- end -}}

{{- define "orchestrator.workRemoteUrl" -}}
{{- if .Values.workRemote.url -}}
{{- .Values.workRemote.url -}}
{{- else if include "orchestrator.gitServerEnabled" . -}}
{{- printf "%s/work.git" (include "orchestrator.gitServerBase" .) -}}
{{- end -}}
{{- end -}}

{{/* ssh://… or scp-like user@host:path: git runs ssh for these. */}}
{{- define "orchestrator.workRemoteIsSsh" -}}
{{- $u := .Values.workRemote.url -}}
{{- if or (hasPrefix "ssh://" $u) (regexMatch "^[A-Za-z0-9._-]+@[^:/]+:" $u) -}}true{{- end -}}
{{- end -}}

{{/* The TCP port the work remote listens on (the URL's, else its scheme's), for the egress NetworkPolicy; "" for the bundled one. */}}
{{- define "orchestrator.workRemotePort" -}}
{{- $u := .Values.workRemote.url -}}
{{- if $u -}}
{{- $authority := regexReplaceAll "^.*@" (regexReplaceAll "^[a-z+]+://([^/?#]*).*$" $u "${1}") "" -}}
{{- $explicit := regexFind ":[0-9]+$" $authority | trimPrefix ":" -}}
{{- if not (contains "://" $u) -}}22
{{- else if $explicit -}}{{ $explicit }}
{{- else if hasPrefix "https://" $u -}}443
{{- else if hasPrefix "http://" $u -}}80
{{- else if hasPrefix "git://" $u -}}9418
{{- else -}}22
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
Where the orchestrator's git credentials are mounted (read-only; never
environment values): under /run, which the sandbox around agents' commands
does not show (it shows /etc read-only: docs/sandbox.md).
*/}}
{{- define "orchestrator.gitDir" -}}/run/orchestrator/git{{- end -}}

{{/* The gitconfig the orchestrator's git reads (GIT_CONFIG_GLOBAL): credential helpers only; "" when none is needed. */}}
{{- define "orchestrator.gitconfig" -}}
{{- $dir := include "orchestrator.gitDir" . -}}
{{- if include "orchestrator.gitServerEnabled" . }}
# The bundled git server's password, for its URL only (a credential scoped to
# its host is never offered to another one, e.g. a repository URL a session names).
[credential {{ include "orchestrator.gitServerBase" . | quote }}]
	username = orchestrator
	helper = "!f() { if test \"$1\" = get; then printf 'password=%s\\n' \"$(cat {{ $dir }}/git-server-password)\"; fi; }; f"
{{- end }}
{{- if .Values.workRemote.https.credentialsKey }}
# git's credential store format (https://<user>:<token>@<host>, one line per
# host): each answers for its own host only. Read-only: git's `store` and
# `erase` are not passed on.
[credential]
	helper = "!f() { if test \"$1\" = get; then exec git credential-store --file={{ $dir }}/git-credentials get; fi; }; f"
{{- end }}
{{- end -}}

{{/* Fails the render, saying what to set, when the work remote cannot work as configured. */}}
{{- define "orchestrator.checkWorkRemote" -}}
{{- $w := .Values.workRemote -}}
{{- $several := or .Values.autoscaling.enabled (gt (int .Values.orchestrator.replicas) 1) -}}
{{- if and $several (not (include "orchestrator.workRemoteUrl" .)) -}}
{{- fail (printf "workRemote.url is required with more than one replica (%s): every replica pushes each session's checkpoints to the work remote, the one place their code outlives a pod (each pod's data dir is scratch). Set workRemote.url (ssh://git@host/repo.git or https://host/repo.git) with its credentials in workRemote.existingSecret, or gitServer.enabled=true for the bundled git server (trials and staging). See the README, Running a cluster" (ternary "autoscaling is on" (printf "orchestrator.replicas is %v" .Values.orchestrator.replicas) .Values.autoscaling.enabled)) -}}
{{- end -}}
{{- if regexMatch "^https?://[^/]*@" $w.url -}}
{{- fail "workRemote.url must not hold credentials (it is written to a ConfigMap): put them in workRemote.existingSecret and name the key in workRemote.https.credentialsKey" -}}
{{- end -}}
{{- if and (or $w.ssh.privateKeyKey $w.ssh.knownHostsKey $w.https.credentialsKey) (not $w.existingSecret) -}}
{{- fail "workRemote.ssh.privateKeyKey, .ssh.knownHostsKey and .https.credentialsKey name keys of workRemote.existingSecret: set it (a Secret you create; the chart never holds git credentials)" -}}
{{- end -}}
{{- if and $w.existingSecret (eq $w.existingSecret .Values.auth.existingSecret) -}}
{{- fail "workRemote.existingSecret must not be auth.existingSecret: every key of that Secret becomes an environment variable of the orchestrator, and a key file must stay a file" -}}
{{- end -}}
{{- if include "orchestrator.workRemoteIsSsh" . -}}
{{- if not $w.ssh.privateKeyKey -}}
{{- fail "workRemote.url is an SSH URL: set workRemote.existingSecret and workRemote.ssh.privateKeyKey (the key holding the private key, e.g. ssh-privatekey of a kubernetes.io/ssh-auth Secret)" -}}
{{- end -}}
{{- if not (or $w.ssh.knownHosts $w.ssh.knownHostsKey) -}}
{{- fail "workRemote.url is an SSH URL: give the server's host keys in workRemote.ssh.knownHosts (ssh-keyscan <host>, checked against the fingerprints your git host publishes) or workRemote.ssh.knownHostsKey; git never asks whether to trust an unknown host" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The preStop pause before SIGTERM: endpoints and the ingress drop the pod meanwhile. */}}
{{- define "orchestrator.preStopSeconds" -}}5{{- end -}}

{{/*
ORCHESTRATOR_SHUTDOWN_GRACE_SECONDS, from the one value
orchestrator.terminationGracePeriodSeconds: the kubelet counts that period
from the preStop on, and the process must be out 10 s before the kill.
*/}}
{{- define "orchestrator.shutdownGraceSeconds" -}}
{{- sub (sub (int .Values.orchestrator.terminationGracePeriodSeconds) (int (include "orchestrator.preStopSeconds" .))) 10 -}}
{{- end -}}

{{/*
The sandbox around agents' commands (values.yaml, sandbox): true when the
orchestrator's pods run agents in bubblewrap (userns-seccomp), "" when runner
pods do (runner-pods: the orchestrator runs no managed runner).
*/}}
{{- define "orchestrator.sandboxInPod" -}}
{{- if eq .Values.sandbox.podSecurity "userns-seccomp" -}}true{{- end -}}
{{- end -}}

{{/* A runner pod's name (its Deployment, Service and Secret): (dict "root" $ "name" <runnerPods[].name>). */}}
{{- define "orchestrator.runnerName" -}}
{{- include "orchestrator.componentName" (dict "root" .root "component" (printf "runner-%s" .name)) -}}
{{- end -}}

{{/* A runner pod's selector labels: the component "runner" and its own name. */}}
{{- define "orchestrator.runnerSelectorLabels" -}}
{{ include "orchestrator.selectorLabels" (dict "root" .root "component" "runner") }}
industrial-orchestrator/runner: {{ .name }}
{{- end -}}

{{/* The URL the orchestrator calls a runner pod at (its Service). */}}
{{- define "orchestrator.runnerUrl" -}}
{{- printf "http://%s:%d" (include "orchestrator.runnerName" .) (int .root.Values.runnerPod.port) -}}
{{- end -}}

{{/* The orchestrator's variable holding a default-tenant runner pod's password (from that pod's Secret). */}}
{{- define "orchestrator.runnerPasswordVar" -}}
{{- printf "RUNNER_POD_PASSWORD_%s" (.name | upper | replace "-" "_") -}}
{{- end -}}

{{/*
ORCHESTRATOR_REMOTE_RUNNERS: config's, then the default tenant's runner pods
(configured runners are the default tenant's; other tenants' are registered
through the API with their key), each pod's with its password as
`opencode:$(RUNNER_POD_PASSWORD_<NAME>)@`: Kubernetes expands it from the
variable the deployment defines before it, so no spec holds the password.
"" when there are none.
*/}}
{{- define "orchestrator.remoteRunners" -}}
{{- $urls := list -}}
{{- with .Values.config.ORCHESTRATOR_REMOTE_RUNNERS }}{{ $urls = append $urls (toString .) }}{{ end -}}
{{- range .Values.runnerPods -}}
{{- if eq .tenant "default" -}}
{{- $url := include "orchestrator.runnerUrl" (dict "root" $ "name" .name) -}}
{{- $urls = append $urls (replace "http://" (printf "http://opencode:$(%s)@" (include "orchestrator.runnerPasswordVar" .)) $url) -}}
{{- end -}}
{{- end -}}
{{- join "," $urls -}}
{{- end -}}

{{/* The Pod Security level a namespace the chart creates enforces: what the orchestrator's pods can meet. */}}
{{- define "orchestrator.namespaceEnforce" -}}
{{- if include "orchestrator.sandboxInPod" . -}}privileged{{- else -}}restricted{{- end -}}
{{- end -}}

{{/* Fails the render, saying what to set, when the sandbox's values cannot work. */}}
{{- define "orchestrator.checkSandbox" -}}
{{- $names := dict -}}
{{- range .Values.runnerPods -}}
{{- if hasKey $names .name -}}
{{- fail (printf "runnerPods: the name %s is given twice (each names a Deployment, Service and Secret)" .name) -}}
{{- end -}}
{{- $_ := set $names .name true -}}
{{- end -}}
{{- if and (not (include "orchestrator.sandboxInPod" .)) (not (include "orchestrator.remoteRunners" .)) -}}
{{- fail "sandbox.podSecurity runner-pods: the orchestrator then runs no managed runner, and it refuses to start without a runner of the default tenant: add a runnerPods entry with tenant: default (listed in ORCHESTRATOR_REMOTE_RUNNERS), or name an OpenCode server in config.ORCHESTRATOR_REMOTE_RUNNERS" -}}
{{- end -}}
{{- end -}}
