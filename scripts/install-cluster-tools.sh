#!/usr/bin/env bash
# The production engine for `npm run cluster`: temporal-server and temporal-sql-tool at the server
# version the Temporal CLI embeds (and docker-compose runs), and the standalone Web UI server at the
# version the CLI embeds, built from the Go module proxy into the tools folder. Called by
# scripts/install-tools.sh (npm run tools:install). Skipped when the binaries of these versions are
# present (a stamp file records the versions). SKIP_CLUSTER_TOOLS=1 skips it altogether.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS_DIR="${TOOLS_DIR:-.tools}"
BIN="$(pwd)/$TOOLS_DIR/bin"
TEMPORAL_SERVER_VERSION=1.29.1
TEMPORAL_UI_VERSION=2.42.1
HELM_VERSION=3.19.0
stamp="$BIN/.cluster-tools-server-$TEMPORAL_SERVER_VERSION-ui-$TEMPORAL_UI_VERSION"
mkdir -p "$BIN"

if [ "${SKIP_CLUSTER_TOOLS:-}" = "1" ]; then exit 0; fi

# helm, for `helm lint` / `helm template` of deploy/helm/limelight (CI and the chart test).
if ! { [ -x "$BIN/helm" ] && "$BIN/helm" version --short 2>/dev/null | grep -q "v$HELM_VERSION"; }; then
  if command -v go >/dev/null 2>&1; then
    echo "building helm $HELM_VERSION (once)…"
    GOBIN="$BIN" go install -ldflags "-X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION" "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION"
  else
    echo "warning: Go is missing, helm $HELM_VERSION not built (the Helm chart checks need it)" >&2
  fi
fi
if [ -f "$stamp" ] && [ -x "$BIN/temporal-server" ] && [ -x "$BIN/temporal-sql-tool" ] && [ -x "$BIN/temporal-ui-server" ]; then
  echo "temporal-server $TEMPORAL_SERVER_VERSION, temporal-sql-tool, temporal-ui-server $TEMPORAL_UI_VERSION: $BIN"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "error: Go is needed to build temporal-server $TEMPORAL_SERVER_VERSION (npm run cluster)." >&2
  echo "  install Go >= 1.25 (https://go.dev/dl), or set SKIP_CLUSTER_TOOLS=1 to skip the cluster tools" >&2
  exit 1
fi

echo "building temporal-server + temporal-sql-tool $TEMPORAL_SERVER_VERSION and ui-server $TEMPORAL_UI_VERSION (once; a few minutes)…"
work="$(mktemp -d)"
trap 'rm -rf "$work"; rm -f "$BIN"/*.partial' EXIT
# `go get` of the two commands (not of the bare module) is what completes go.sum.
mkdir "$work/server" "$work/ui"
(
  cd "$work/server"
  go mod init limelight-cluster-tools >/dev/null 2>&1
  go get "go.temporal.io/server/cmd/server@v$TEMPORAL_SERVER_VERSION" \
    "go.temporal.io/server/cmd/tools/sql@v$TEMPORAL_SERVER_VERSION"
  go build -o "$BIN/temporal-server.partial" go.temporal.io/server/cmd/server
  go build -o "$BIN/temporal-sql-tool.partial" go.temporal.io/server/cmd/tools/sql
)
# The UI server gets a module of its own: its dependency versions are not the server's.
(
  cd "$work/ui"
  go mod init limelight-cluster-ui >/dev/null 2>&1
  go get "github.com/temporalio/ui-server/v2/cmd/server@v$TEMPORAL_UI_VERSION"
  go build -o "$BIN/temporal-ui-server.partial" github.com/temporalio/ui-server/v2/cmd/server
)
for b in temporal-server temporal-sql-tool temporal-ui-server; do mv "$BIN/$b.partial" "$BIN/$b"; done
rm -f "$BIN"/.cluster-tools-*
touch "$stamp"
echo "temporal-server $TEMPORAL_SERVER_VERSION, temporal-sql-tool, temporal-ui-server $TEMPORAL_UI_VERSION: $BIN"
