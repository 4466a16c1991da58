#!/usr/bin/env bash
# npm run scratch-org — a scratch org with the Call Touchpoints data model, ready for `serve`:
# creates it from config/project-scratch-def.json, deploys force-app/, assigns both permission sets.
# Without an authorized Dev Hub it explains what to do and exits 0 ("skipped").
#   SCRATCH_ORG_ALIAS  alias of the new org (default: call-touchpoints)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/scratch-org-lib.sh

alias="${SCRATCH_ORG_ALIAS:-call-touchpoints}"
hub=$(find_dev_hub)
if [ -z "$hub" ]; then
  echo 'skipped: no Dev Hub authorized (run `sf org login web --set-default-dev-hub` first)'
  exit 0
fi

create_scratch_org "$alias" "$hub" --set-default
deploy_and_assign "$alias"

cat <<MSG
scratch-org: ready. Next:
  npm start -- --target-org $alias          # serve against the scratch org
  $SF_BIN org open --target-org $alias      # open it in the browser
  $SF_BIN org delete scratch --target-org $alias --no-prompt   # when done
MSG
