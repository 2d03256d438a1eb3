// Checks rendered chart manifests against the Kubernetes and prometheus-operator schemas (via the
// kubernetes-models packages), and writes what promtool should parse: the PrometheusRule's groups,
// and every PromQL expression of the Grafana dashboard as recording rules.
//
//   node validate.mjs RENDERED.yaml DASHBOARD.json OUT_DIR
import { readFileSync, writeFileSync } from "node:fs";
import yaml from "js-yaml";

const [rendered, dashboardFile, out] = process.argv.slice(2);
if (!out) {
  console.error("usage: node validate.mjs RENDERED.yaml DASHBOARD.json OUT_DIR");
  process.exit(2);
}

const models = {
  "v1/ConfigMap": ["kubernetes-models/v1/ConfigMap", "ConfigMap"],
  "v1/Service": ["kubernetes-models/v1/Service", "Service"],
  "v1/Secret": ["kubernetes-models/v1/Secret", "Secret"],
  "apps/v1/DaemonSet": ["kubernetes-models/apps/v1/DaemonSet", "DaemonSet"],
  "apps/v1/StatefulSet": ["kubernetes-models/apps/v1/StatefulSet", "StatefulSet"],
  "monitoring.coreos.com/v1/ServiceMonitor": ["@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor", "ServiceMonitor"],
  "monitoring.coreos.com/v1/PrometheusRule": ["@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule", "PrometheusRule"],
};

let failures = 0;
const ruleGroups = [];
const docs = yaml.loadAll(readFileSync(rendered, "utf8")).filter(d => d);
for (const doc of docs) {
  const key = `${doc.apiVersion}/${doc.kind}`;
  const name = `${doc.kind} ${doc.metadata?.name}`;
  const model = models[key];
  if (!model) {
    console.error(`FAIL ${name}: no schema known for ${key}`);
    failures++;
    continue;
  }
  const mod = await import(model[0]);
  try {
    new mod[model[1]](doc).validate();
    console.log(`ok   ${name} (${key})`);
  } catch (e) {
    console.error(`FAIL ${name}: ${e.message}`);
    failures++;
  }
  if (doc.kind === "ConfigMap" && doc.data?.["node.yaml"]) {
    writeFileSync(`${out}/node.yaml`, doc.data["node.yaml"]);
  }
  if (doc.kind === "ConfigMap" && doc.data?.["chunk-mesh.json"]) {
    JSON.parse(doc.data["chunk-mesh.json"]);
  }
  if (doc.kind === "PrometheusRule") {
    ruleGroups.push(...doc.spec.groups);
  }
}
writeFileSync(`${out}/alert-rules.yaml`, yaml.dump({ groups: ruleGroups }));

// Grafana's own variables are replaced by values PromQL accepts, so promtool parses what Prometheus will get.
const dashboard = JSON.parse(readFileSync(dashboardFile, "utf8"));
const exprs = [];
for (const panel of dashboard.panels ?? []) {
  for (const target of panel.targets ?? []) {
    if (target.expr) exprs.push({ panel: panel.title, expr: target.expr });
  }
}
if (exprs.length === 0) {
  console.error("FAIL dashboard: no PromQL expressions found");
  failures++;
}
const substituted = exprs.map((e, i) => ({
  record: `dashboard:expr_${i}`,
  expr: e.expr.replaceAll("$__rate_interval", "5m").replaceAll("$pop", ".*"),
}));
writeFileSync(`${out}/dashboard-rules.yaml`, yaml.dump({ groups: [{ name: "dashboard", rules: substituted }] }));
console.log(`${exprs.length} dashboard expressions written for promtool`);
process.exit(failures === 0 ? 0 : 1);
