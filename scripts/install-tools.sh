#!/usr/bin/env bash
# Installs the pinned Temporal CLI (dev server + UI) and stripe-mock into the project's tools
# folder (git-ignored). Skips what is already there at the right version.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS_DIR="${TOOLS_DIR:-.tools}"
BIN="$(pwd)/$TOOLS_DIR/bin"
TEMPORAL_VERSION=1.5.1
STRIPE_MOCK_VERSION=0.197.0
# Prometheus v3.5.0 (its Go module versions are v0.3xx): promtool checks deploy/prometheus/alerts.yml.
PROMETHEUS_MODULE_VERSION=0.305.0
mkdir -p "$BIN"

# `go install` stamps the CLI 0.0.0-DEV: the embedded server line identifies the pinned build.
has_version() { "$1" --version 2>/dev/null | grep -qE "version $2|Server 1\.29\.1"; }

need_go() {
  if ! command -v go >/dev/null 2>&1; then
    echo "error: $1 is missing and Go is not installed to build it." >&2
    echo "  install Go (https://go.dev/dl, or 'apt-get install golang-go' with Go >= 1.23)," >&2
    echo "  or put a temporal CLI $TEMPORAL_VERSION on PATH, then run: npm run tools:install" >&2
    exit 1
  fi
}

if has_version "$BIN/temporal" "$TEMPORAL_VERSION"; then
  :
elif command -v temporal >/dev/null 2>&1 && has_version "$(command -v temporal)" "$TEMPORAL_VERSION"; then
  ln -sf "$(command -v temporal)" "$BIN/temporal"
else
  need_go "temporal CLI $TEMPORAL_VERSION"
  echo "building temporal CLI $TEMPORAL_VERSION (once; a few minutes)…"
  if ! GOBIN="$BIN" GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_VERSION"; then
    # Fallback: a throwaway tools module that requires the same CLI and lets Go raise
    # whichever dependency fails to compile with this toolchain.
    work="$(mktemp -d)"
    (cd "$work" && go mod init limelight-tools >/dev/null 2>&1 \
      && go get "github.com/temporalio/cli@v$TEMPORAL_VERSION" \
      && go get -u=patch ./... 2>/dev/null; \
      go build -o "$BIN/temporal" github.com/temporalio/cli/cmd/temporal)
    rm -rf "$work"
  fi
fi

if [ ! -x "$BIN/stripe-mock" ]; then
  need_go "stripe-mock $STRIPE_MOCK_VERSION"
  echo "building stripe-mock $STRIPE_MOCK_VERSION (once)…"
  GOBIN="$BIN" go install "github.com/stripe/stripe-mock@v$STRIPE_MOCK_VERSION"
fi

# kfake: franz-go's in-memory Kafka-protocol cluster, for the Kafka adapter's tests (Kafka itself
# is not installable here). A tiny main pinned by test/kafka/kfake/go.mod (kfake has no tags: a pseudo-version).
if [ ! -x "$BIN/kfake" ]; then
  need_go "kfake (the Kafka test broker)"
  echo "building kfake (once)…"
  (cd test/kafka/kfake && go build -o "$BIN/kfake" .)
fi

# promtool is optional (CI checks the alert rules with it when present). `go install` refuses the
# prometheus module (its go.mod has replace directives), so it is built inside the module's source
# fetched from the Go module proxy.
if [ ! -x "$BIN/promtool" ] && command -v go >/dev/null 2>&1; then
  echo "building promtool (prometheus module v$PROMETHEUS_MODULE_VERSION, once; several minutes)…"
  src="$(GOFLAGS=-mod=mod go mod download -json "github.com/prometheus/prometheus@v$PROMETHEUS_MODULE_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  work="$(mktemp -d)"
  if [ -n "$src" ] && cp -r "$src" "$work/prometheus" && chmod -R u+w "$work/prometheus" \
    && (cd "$work/prometheus" && go build -o "$BIN/promtool" ./cmd/promtool); then
    :
  else
    echo "warning: promtool could not be built; the alert rules are checked by test/operations/deploy.test.ts only" >&2
  fi
  rm -rf "$work"
fi
bash scripts/install-cluster-tools.sh   # temporal-server, temporal-sql-tool, ui-server (npm run cluster)

"$BIN/temporal" --version
echo "stripe-mock: $BIN/stripe-mock"
[ -x "$BIN/promtool" ] && echo "promtool: $BIN/promtool" || true
echo "kfake: $BIN/kfake"
