{{- define "limelight.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 40 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "limelight.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "limelight.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* The image, pinned: a tag that is not "latest", or a digest. */}}
{{- define "limelight.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{- if or (not .Values.image.tag) (eq .Values.image.tag "latest") -}}
{{- fail "image.tag must be set to a pinned version (not empty, not \"latest\"), or image.digest" -}}
{{- end -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}
{{- end -}}

{{- define "limelight.secretName" -}}
{{- default (printf "%s-secrets" (include "limelight.fullname" .)) .Values.existingSecret -}}
{{- end -}}

{{- define "limelight.buildId" -}}
{{- default .Values.image.tag .Values.worker.buildId -}}
{{- end -}}

{{/* Variables that are secrets: never in the ConfigMap. */}}
{{- define "limelight.isSecretKey" -}}
{{- if regexMatch "(SECRET|PASSWORD|PRIVATE_KEY|API_KEY|TOKEN|DSN|TLS_KEY|^DATABASE_URL$|^SMTP_URL$|^REDIS_URL$)" . -}}true{{- end -}}
{{- end -}}

{{/* What every Limelight container reads its configuration from: the ConfigMap and the Secret. */}}
{{- define "limelight.envFrom" -}}
envFrom:
  - configMapRef:
      name: {{ include "limelight.fullname" . }}-config
  - secretRef:
      name: {{ include "limelight.secretName" . }}
{{- end -}}

{{/* mTLS to Temporal: paths of the mounted client certificate (items of an env list). */}}
{{- define "limelight.tlsEnv" -}}
{{- if .Values.temporal.tls.existingSecret }}
- name: TEMPORAL_TLS_CERT
  value: /etc/temporal-tls/tls.crt
- name: TEMPORAL_TLS_KEY
  value: /etc/temporal-tls/tls.key
{{- end }}
{{- end -}}

{{- define "limelight.tlsVolume" -}}
{{- if .Values.temporal.tls.existingSecret }}
- name: temporal-tls
  secret:
    secretName: {{ .Values.temporal.tls.existingSecret }}
{{- end }}
{{- end -}}

{{- define "limelight.tlsMount" -}}
{{- if .Values.temporal.tls.existingSecret }}
- name: temporal-tls
  mountPath: /etc/temporal-tls
  readOnly: true
{{- end }}
{{- end -}}

{{- define "limelight.storageVolume" -}}
- name: storage
{{- if .Values.mediaWorker.storage.existingClaim }}
  persistentVolumeClaim:
    claimName: {{ .Values.mediaWorker.storage.existingClaim }}
{{- else }}
  emptyDir: {}
{{- end }}
{{- end -}}

{{/* The build id as a name suffix / label value. */}}
{{- define "limelight.buildSlug" -}}
{{- regexReplaceAll "[^a-z0-9-]+" (include "limelight.buildId" . | lower) "-" | trunc 20 | trimSuffix "-" -}}
{{- end -}}

{{/* Name of a worker Deployment (and its HPA and PDB): per build when versioned. */}}
{{- define "limelight.workerName" -}}
{{- if .root.Values.worker.versioning -}}
{{ include "limelight.fullname" .root }}-{{ .component }}-{{ include "limelight.buildSlug" .root }}
{{- else -}}
{{ include "limelight.fullname" .root }}-{{ .component }}
{{- end -}}
{{- end -}}

{{- define "limelight.workerSelector" -}}
{{ include "limelight.selector" . }}
{{- if .root.Values.worker.versioning }}
limelight.dev/build-id: {{ include "limelight.buildSlug" .root | quote }}
{{- end }}
{{- end -}}
