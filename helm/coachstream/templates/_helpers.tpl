{{- define "coachstream.labels" -}}
app.kubernetes.io/part-of: coachstream
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{/* Environment shared by every service container. */}}
{{- define "coachstream.env" -}}
- name: COACHSTREAM_KAFKA_BOOTSTRAP
  value: {{ .Values.kafka.bootstrap | quote }}
- name: COACHSTREAM_KAFKA_PROPERTIES
  value: {{ .Values.kafka.properties | quote }}
- name: COACHSTREAM_DEFAULT_TIME_ZONE
  value: {{ .Values.defaultTimeZone | quote }}
- name: COACHSTREAM_LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: COACHSTREAM_STATE_DIR
  value: /var/lib/coachstream
- name: COACHSTREAM_GRPC_ADDRESS
  value: "0.0.0.0:50051"
- name: COACHSTREAM_METRICS_ADDRESS
  value: "0.0.0.0:9100"
{{- end -}}

{{/* A StatefulSet for one service. Args: dict root name args replicas storage resources health */}}
{{- define "coachstream.statefulset" -}}
{{- $root := .root -}}
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ $root.Release.Name }}-{{ .name }}
  labels:
    {{- include "coachstream.labels" $root | nindent 4 }}
    app.kubernetes.io/name: {{ .name }}
spec:
  serviceName: {{ $root.Release.Name }}-{{ .name }}
  replicas: {{ .replicas }}
  selector:
    matchLabels:
      app.kubernetes.io/instance: {{ $root.Release.Name }}
      app.kubernetes.io/name: {{ .name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/instance: {{ $root.Release.Name }}
        app.kubernetes.io/name: {{ .name }}
      {{- if $root.Values.prometheusAnnotations }}
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "9100"
        prometheus.io/path: /metrics
      {{- end }}
    spec:
      # Services stop cleanly on SIGTERM (commit offsets, flush, close RocksDB).
      terminationGracePeriodSeconds: 30
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        fsGroup: 10001
      containers:
        - name: {{ .name }}
          image: "{{ $root.Values.image.repository }}:{{ $root.Values.image.tag }}"
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args:
            {{- toYaml .args | nindent 12 }}
          env:
            {{- include "coachstream.env" $root | nindent 12 }}
          ports:
            - {name: grpc, containerPort: 50051}
            - {name: metrics, containerPort: 9100}
          readinessProbe:
            exec:
              command: ["grpc-health", "127.0.0.1:50051"]
            periodSeconds: 10
          livenessProbe:
            httpGet: {path: /metrics, port: metrics}
            initialDelaySeconds: 20
            periodSeconds: 20
          resources:
            {{- toYaml .resources | nindent 12 }}
          volumeMounts:
            - {name: state, mountPath: /var/lib/coachstream}
  volumeClaimTemplates:
    - metadata:
        name: state
      spec:
        accessModes: [ReadWriteOnce]
        {{- if $root.Values.storageClassName }}
        storageClassName: {{ $root.Values.storageClassName }}
        {{- end }}
        resources:
          requests:
            storage: {{ .storage }}
{{- end -}}
