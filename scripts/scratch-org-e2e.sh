#!/usr/bin/env bash
# npm run scratch-org:e2e — the admin's end-to-end run, the same steps against any org:
#   sf org display; sf project deploy start (twice: the second must change nothing); sf org assign
#   permset (both sets); call-touchpoints deploy --check; the shared scenario through a `serve`
#   started on this machine against the org (scripts/scenario: sessions through POST /collect, calls
#   through a signed CallRail webhook, the join, the org compared with `simulate`); the resulting
#   Tasks and Touchpoints checked with `sf data query`; sf sobject describe; sf org list limits;
#   the Apex tests (real orgs only).
#
# Usage:
#   scratch-org-e2e.sh                      create a scratch org from the default Dev Hub, run, delete it
#                                           (without a Dev Hub: prints "skipped: no Dev Hub …", exits 0)
#   scratch-org-e2e.sh --target-org ALIAS   run against an org the sf CLI is logged in to
#   scratch-org-e2e.sh --local-org          CI: start `call-touchpoints local-org`, log sf in with its
#                                           access token (sf org login access-token), run, stop it
#   KEEP_SCRATCH_ORG=1  keep the scratch org for inspection instead of deleting it
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/scratch-org-lib.sh

step() { printf '\n== org-e2e: %s\n' "$*"; }

# The admin guide's commands and the scenario against one org alias.
run_against() {
  local alias=$1 apex=$2
  step "sf org display --target-org $alias"
  "$SF_BIN" org display --target-org "$alias"

  step "sf project deploy start --source-dir force-app --target-org $alias"
  "$SF_BIN" project deploy start --source-dir force-app --target-org "$alias" --wait 30

  step 'sf project deploy start again: every component must be unchanged'
  "$SF_BIN" project deploy start --source-dir force-app --target-org "$alias" --wait 30 --json |
    node -e '
      let t = ""; process.stdin.on("data", (c) => (t += c)).on("end", () => {
        const files = JSON.parse(t).result.files || [];
        const changed = files.filter((f) => f.state !== "Unchanged");
        console.log(`${files.length} components, ${changed.length} changed`);
        if (changed.length) { console.error(changed.map((f) => `${f.state} ${f.type} ${f.fullName}`).join("\n")); process.exit(1); }
      });'

  # Its own step: Task's CDC selection (one of the org's 5) and the View All Data permission set.
  step "sf project deploy start --source-dir change-events --target-org $alias"
  "$SF_BIN" project deploy start --source-dir change-events --target-org "$alias" --wait 30

  step "sf org assign permset --name Call_Touchpoints_Integration --name Call_Touchpoints_Viewer --target-org $alias"
  "$SF_BIN" org assign permset --name Call_Touchpoints_Integration --name Call_Touchpoints_Viewer --target-org "$alias"

  step 'building the CLI'
  npm run build --silent

  step "call-touchpoints deploy --check --target-org $alias"
  node bin/call-touchpoints.js deploy --check --target-org "$alias"

  step 'the scenario through serve --target-org, the join, compared with simulate'
  node dist/scripts/scenario/run-scenario.js --target-org "$alias"

  step 'sf data query: the call Tasks are joined and have their touchpoints'
  "$SF_BIN" data query --target-org "$alias" \
    --query 'SELECT Vendor_Call_Id__c, Call_Join_Status__c, Call_Touchpoint__r.Channel__c FROM Task WHERE Vendor_Call_Id__c != null'
  "$SF_BIN" data query --target-org "$alias" --json \
    --query 'SELECT Id, Call_Join_Status__c, Call_Touchpoint__c FROM Task WHERE Vendor_Call_Id__c != null' |
    node -e '
      let t = ""; process.stdin.on("data", (c) => (t += c)).on("end", () => {
        const rows = JSON.parse(t).result.records;
        const bad = rows.filter((r) => !r.Call_Join_Status__c || r.Call_Join_Status__c === "Pending" ||
          (r.Call_Join_Status__c !== "Missing BizibleId" && !r.Call_Touchpoint__c));
        console.log(`${rows.length} call Tasks, ${bad.length} not joined`);
        if (!rows.length || bad.length) process.exit(1);
      });'
  "$SF_BIN" data query --target-org "$alias" --query 'SELECT COUNT() FROM Touchpoint__c'

  step "sf sobject describe --sobject Touchpoint__c --target-org $alias"
  "$SF_BIN" sobject describe --sobject Touchpoint__c --target-org "$alias" --json |
    node -e 'let t = ""; process.stdin.on("data", (c) => (t += c)).on("end", () => {
      const d = JSON.parse(t).result; console.log(`${d.name}: ${d.fields.length} fields`); });'

  step "sf org list limits --target-org $alias"
  "$SF_BIN" org list limits --target-org "$alias"

  if [ "$apex" = "yes" ]; then
    step 'Apex tests'
    "$SF_BIN" apex run test --target-org "$alias" --test-level RunLocalTests --code-coverage --result-format human --wait 30
  else
    step 'Apex tests: skipped (the local org stores Apex but does not run it; run this script against a scratch org)'
  fi
  step 'passed'
}

case "${1:-}" in
  --target-org)
    [ -n "${2:-}" ] || { echo 'usage: scratch-org-e2e.sh --target-org ALIAS' >&2; exit 2; }
    run_against "$2" yes
    ;;
  --local-org)
    npm run build --silent
    data_dir=$(mktemp -d)
    out="$data_dir/local-org.out"
    node bin/call-touchpoints.js local-org --port 0 --data "$data_dir/org" >"$out" 2>&1 &
    org_pid=$!
    trap 'kill "$org_pid" 2>/dev/null; wait "$org_pid" 2>/dev/null; rm -rf "$data_dir"' EXIT
    for _ in $(seq 100); do grep -q '^access_token=' "$out" && break; sleep 0.1; done
    instance_url=$(sed -n 's/^instance_url=//p' "$out")
    token=$(sed -n 's/^access_token=//p' "$out")
    for _ in $(seq 20); do grep -q '^pubsub_cert_file=' "$out" && break; sleep 0.1; done
    # serve --target-org streams the local org's Task changes from its own Pub/Sub endpoint.
    SF_PUBSUB_ENDPOINT=$(sed -n 's/^pubsub_endpoint=//p' "$out")
    SF_PUBSUB_CA_FILE=$(sed -n 's/^pubsub_cert_file=//p' "$out")
    export SF_PUBSUB_ENDPOINT SF_PUBSUB_CA_FILE
    [ -n "$token" ] || { echo "local org did not start:"; cat "$out"; exit 1; }
    alias="ct-local-org-$$"
    step "sf org login access-token --instance-url $instance_url --no-prompt --alias $alias"
    SF_ACCESS_TOKEN="$token" "$SF_BIN" org login access-token --instance-url "$instance_url" --no-prompt --alias "$alias"
    run_against "$alias" no
    "$SF_BIN" org logout --target-org "$alias" --no-prompt >/dev/null 2>&1 || true
    ;;
  '')
    hub=$(find_dev_hub)
    if [ -z "$hub" ]; then
      echo 'skipped: no Dev Hub authorized (run `sf org login web --set-default-dev-hub` first,'
      echo '         or run this script with --target-org ALIAS or --local-org)'
      exit 0
    fi
    alias="ct-e2e-$(date +%Y%m%d%H%M%S)"
    cleanup() {
      if [ "${KEEP_SCRATCH_ORG:-}" = "1" ]; then
        echo "scratch-org:e2e: keeping '$alias' (KEEP_SCRATCH_ORG=1)"
      else
        echo "scratch-org:e2e: deleting '$alias'"
        "$SF_BIN" org delete scratch --target-org "$alias" --no-prompt >/dev/null 2>&1 ||
          echo "scratch-org:e2e: could not delete '$alias'; delete it with: $SF_BIN org delete scratch --target-org $alias --no-prompt"
      fi
    }
    create_scratch_org "$alias" "$hub"
    trap cleanup EXIT
    run_against "$alias" yes
    ;;
  *)
    echo "unknown argument '$1': use --target-org ALIAS, --local-org, or nothing (scratch org from the Dev Hub)" >&2
    exit 2
    ;;
esac
