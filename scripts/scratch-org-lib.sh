# Shared by scratch-org-setup.sh and scratch-org-e2e.sh (sourced, not run).
# Finds the sf CLI (the project's devDependency first) and an authorized Dev Hub.
# oclif's update hook reads SF_DISABLE_AUTOUPDATE (@oclif/plugin-update hooks/init); the sf CLI documents
# SF_AUTOUPDATE_DISABLE and copies it over only after the hook may have spawned `sf update --autoupdate`.
export SF_DISABLE_TELEMETRY=true SF_AUTOUPDATE_DISABLE=true SF_DISABLE_AUTOUPDATE=true SF_SKIP_NEW_VERSION_CHECK=true

SF_BIN="${SF_BIN:-}"
if [ -z "$SF_BIN" ]; then
  if [ -x node_modules/.bin/sf ]; then SF_BIN=node_modules/.bin/sf; else SF_BIN=sf; fi
fi
# The CLI's own hooks and the middleware's --target-org spawn `sf` by name.
if [ -x node_modules/.bin/sf ]; then export PATH="$PWD/node_modules/.bin:$PATH"; fi

# Prints the username of the Dev Hub to use (the default one if set, else the first authorized),
# or nothing when none is authorized or the CLI fails.
find_dev_hub() {
  local json
  json=$("$SF_BIN" org list --json 2>/dev/null) || json=""
  [ -n "$json" ] || return 0
  printf '%s' "$json" | node -e '
    let text = "";
    process.stdin.on("data", (c) => (text += c)).on("end", () => {
      try {
        const r = JSON.parse(text).result || {};
        const hubs = [...(r.devHubs || []), ...(r.nonScratchOrgs || []), ...(r.other || [])].filter(
          (o) => o && o.isDevHub && (o.connectedStatus === undefined || o.connectedStatus === "Connected"),
        );
        const hub = hubs.find((o) => o.isDefaultDevHubUsername) || hubs[0];
        if (hub) process.stdout.write(hub.username);
      } catch {}
    });'
}

# create_scratch_org ALIAS HUB [extra sf flags…]
create_scratch_org() {
  local alias=$1 hub=$2
  shift 2
  echo "scratch-org: creating scratch org '$alias' from config/project-scratch-def.json (Dev Hub $hub)"
  "$SF_BIN" org create scratch --definition-file config/project-scratch-def.json --alias "$alias" \
    --target-dev-hub "$hub" --duration-days 7 --wait 20 "$@"
}

# deploy_and_assign ALIAS: deploy force-app/ and assign both permission sets.
deploy_and_assign() {
  local alias=$1
  echo "scratch-org: deploying force-app/ to '$alias'"
  "$SF_BIN" project deploy start --source-dir force-app --target-org "$alias" --wait 30
  # Task's Change Data Capture selection on its own step: an org with no selection left keeps force-app.
  echo "scratch-org: deploying change-events/ (Task change events) to '$alias'"
  "$SF_BIN" project deploy start --source-dir change-events --target-org "$alias" --wait 30 ||
    echo "scratch-org: change-events/ not deployed (no Change Data Capture selection left?): serve will poll for Tasks"
  echo "scratch-org: assigning permission sets Call_Touchpoints_Integration and Call_Touchpoints_Viewer"
  "$SF_BIN" org assign permset --name Call_Touchpoints_Integration --name Call_Touchpoints_Viewer --target-org "$alias"
}
