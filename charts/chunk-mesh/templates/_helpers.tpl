{{- define "chunk-mesh.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "chunk-mesh.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
chunk-mesh.dev/pop: {{ .Values.node.pop | quote }}
{{- end -}}

{{- define "chunk-mesh.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "chunk-mesh.clusterName" -}}
{{- if .Values.cluster.name -}}{{ .Values.cluster.name }}{{- else if .Values.node.parentPop -}}mesh-{{ .Values.node.parentPop }}{{- else -}}mesh-{{ .Values.node.pop }}{{- end -}}
{{- end -}}

{{- /* The headless Service: Hazelcast's DNS lookup and the ServiceMonitor's target (so also the job label). */ -}}
{{- define "chunk-mesh.serviceName" -}}
{{- printf "%s-hz" (include "chunk-mesh.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- /* PromQL label matchers for this release's scrape targets: the job (the Service's name) and namespace the
       ServiceMonitor's targets get, or prometheusRule.selector. */ -}}
{{- define "chunk-mesh.alertSelector" -}}
{{- .Values.prometheusRule.selector | default (printf "job=%q,namespace=%q" (include "chunk-mesh.serviceName" .) .Release.Namespace) -}}
{{- end -}}
