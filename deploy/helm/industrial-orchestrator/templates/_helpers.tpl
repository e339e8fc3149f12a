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
