#!/usr/bin/env bash
# npm run scratch-org:e2e — the end-to-end run against a real scratch org:
#   create a scratch org, deploy force-app/, assign the permission sets, `call-touchpoints deploy
#   --check`, load the shared scenario (scripts/scenario/calls-scenario.json: sessions through
#   POST /collect, calls through a signed CallRail webhook) into a `serve` started on this machine
#   with --target-org, run the join, read touchpoints and Task statuses back with SOQL and compare
#   them with what `simulate` predicts, run the Apex tests, delete the org (also on failure).
# Without an authorized Dev Hub it prints "skipped: no Dev Hub" and exits 0.
#   KEEP_SCRATCH_ORG=1  keep the org for inspection instead of deleting it
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/scratch-org-lib.sh

hub=$(find_dev_hub)
if [ -z "$hub" ]; then
  echo 'skipped: no Dev Hub authorized (run `sf org login web --set-default-dev-hub` first)'
  exit 0
fi

alias="ct-e2e-$(date +%Y%m%d%H%M%S)"
cleanup() {
  if [ "${KEEP_SCRATCH_ORG:-}" = "1" ]; then
    echo "scratch-org:e2e: keeping '$alias' (KEEP_SCRATCH_ORG=1)"
  else
    echo "scratch-org:e2e: deleting '$alias'"
    "$SF_BIN" org delete scratch --target-org "$alias" --no-prompt >/dev/null 2>&1 || echo "scratch-org:e2e: could not delete '$alias'; delete it with: $SF_BIN org delete scratch --target-org $alias --no-prompt"
  fi
}

create_scratch_org "$alias" "$hub"
trap cleanup EXIT
deploy_and_assign "$alias"

echo "scratch-org:e2e: building the CLI"
npm run build --silent

echo "scratch-org:e2e: call-touchpoints deploy --check"
node bin/call-touchpoints.js deploy --check --target-org "$alias"

echo "scratch-org:e2e: loading the scenario through serve, joining, comparing with simulate"
node dist/scripts/scenario/run-scenario.js --target-org "$alias"

echo "scratch-org:e2e: Apex tests"
"$SF_BIN" apex run test --target-org "$alias" --test-level RunLocalTests --code-coverage --result-format human --wait 30

echo "scratch-org:e2e: passed"
