#!/usr/bin/env bash
# Checks the Helm chart the way CI does: helm lint --strict and helm template with the default values
# and a non-default values file; every rendered object checked against the Kubernetes and
# prometheus-operator schemas; the node's own parser on the rendered node.yaml; promtool on the alert
# rules and on every PromQL expression of the Grafana dashboard; the alert rules' unit tests
# (check/alert-tests.yaml, promtool test rules) on the rules rendered with the default values; and no
# rendering at all without the admin token Secret.
#
# Needs helm, promtool, node and the npm packages of charts/check (.ci/run installs them all); where
# one is missing it says which and skips, so `mvn verify` still runs on a bare machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(dirname "$here")"
tools="${MESH_TOOLS:-$HOME/.cache/chunk-mesh/tools}"
helm="$(command -v helm || echo "$tools/helm")"
jar="$top/cli/target/mesh.jar"

missing=()
[ -x "$helm" ] || missing+=("helm ($tools/helm)")
command -v promtool >/dev/null || missing+=("promtool (apt-get install prometheus)")
command -v node >/dev/null || missing+=("node")
[ -d "$here/check/node_modules" ] || missing+=("npm packages (npm ci --prefix charts/check)")
[ -f "$jar" ] || missing+=("cli/target/mesh.jar (mvn package)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "charts: SKIPPED, missing: ${missing[*]}"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chart="$here/chunk-mesh"
for values in default "$here/ci/custom-values.yaml" "$here/ci/edge-values.yaml"; do
  args=()
  [ "$values" = default ] || args=(-f "$values")
  echo "== chart with ${values##*/} values"
  "$helm" lint --strict "$chart" "${args[@]}"
  out="$work/${values##*/}"
  mkdir -p "$out"
  "$helm" template mesh "$chart" --namespace mesh "${args[@]}" > "$out/rendered.yaml"
  node "$here/check/validate.mjs" "$out/rendered.yaml" "$chart/dashboards/chunk-mesh.json" "$out"
  # The Secrets the pod would mount, made here: a throwaway mesh CA and node certificate.
  if grep -q "/etc/chunk-mesh/tls/" "$out/node.yaml"; then
    java -jar "$jar" ca init --dir "$out/tls" >/dev/null
    java -jar "$jar" ca issue --dir "$out/tls" --node check >/dev/null
    mv "$out/tls/check.crt" "$out/tls/tls.crt" && mv "$out/tls/check.key" "$out/tls/tls.key"
    sed -i "s#/etc/chunk-mesh/tls/#$out/tls/#" "$out/node.yaml"
  fi
  # The admin token Secret the pod mounts, made here: the admin API listens on the pod's (host's) address.
  mkdir -p "$out/admin" && echo "check-only-admin-token-0123456789" > "$out/admin/token"
  sed -i "s#/etc/chunk-mesh/admin/#$out/admin/#" "$out/node.yaml"
  MESH_CLUSTER_SECRET=check-only-secret-0123456789 UPSTREAM_PASSWORD_0=check-only-password MESH_NODE_NAME=check MESH_NETWORK_BIND=10.0.0.1 MESH_NETWORK_ADMIN_BIND=10.0.0.1 \
    java -jar "$jar" node run --config "$out/node.yaml" --check
  if grep -q "alert:" "$out/alert-rules.yaml"; then
    promtool check rules "$out/alert-rules.yaml"
  fi
  # The alert rules' unit tests (check/alert-tests.yaml) are written for the default values: release
  # "mesh" in namespace "mesh", POP pop1. promtool reads the rules next to the test file.
  if [ "$values" = default ]; then
    cp "$here/check/alert-tests.yaml" "$out/alert-tests.yaml"
    promtool test rules "$out/alert-tests.yaml"
  fi
  promtool check rules "$out/dashboard-rules.yaml"
done
# The admin API is on the host's address in every install, so the chart refuses to render without its token.
if "$helm" template mesh "$chart" --set admin.tokenSecret= >/dev/null 2>&1; then
  echo "FAIL: the chart renders without admin.tokenSecret"
  exit 1
fi
echo "charts: all checks passed"
