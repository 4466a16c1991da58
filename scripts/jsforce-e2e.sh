#!/usr/bin/env bash
# npm run jsforce:e2e -- SNAPSHOT — jsforce's own e2e suite, unmodified, against a fresh local org.
#
#   SNAPSHOT   a git clone (bare or not) of github.com/jsforce/jsforce; default $JSFORCE_SNAPSHOT.
#              Without one: prints "skipped: …" and exits 0. Not part of this repository.
#   extra args go to jest (e.g. test/query.test.ts, -t 'upsert').
#
# What it runs: the test/ folder, jest.config.js, jest.setup.js and babel.config.js of the release commit
# (tag) of the jsforce installed in node_modules, against that installed package (jest.config.js maps
# `jsforce` to the folder it sits in: a copy of node_modules/jsforce). The runner packages the suite needs
# (babel presets, power-assert, through2, nock, archiver) are installed once with npm into
# .data/jsforce-e2e/node_modules, in the ranges of the snapshot's package.json.
#
# The org: `call-touchpoints local-org` on a free port with a throw-away data dir, the connected app
# jsforce's oauth2 tests use, then scripts/jsforce-e2e/org-setup.ts (the test package's objects and the
# 25,005 BigTable__c rows of jsforce's scripts/org-setup.mjs). The suite logs in as its config reads it:
# SF_LOGIN_URL (the instance URL), SF_ACCESS_TOKEN, SF_USERNAME / SF_PASSWORD, SF_OAUTH2_CLIENT_ID /
# SF_OAUTH2_CLIENT_SECRET. CI is unset, so jest.setup.js does not retry failed tests.
#
# Prints the per-file pass table for the scope in scripts/jsforce-e2e/scope.ts; exits 1 when a test in
# scope fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

snapshot=${1:-${JSFORCE_SNAPSHOT:-}}
[ $# -gt 0 ] && shift
if [ -z "$snapshot" ] || ! git -C "$snapshot" rev-parse --git-dir >/dev/null 2>&1; then
  echo "skipped: no jsforce snapshot (pass the path of a git clone of github.com/jsforce/jsforce, or set JSFORCE_SNAPSHOT)"
  exit 0
fi

version=$(node -p "require('jsforce/package.json').version")
commit=$(git -C "$snapshot" rev-parse --verify -q "refs/tags/$version^{commit}" ||
  git -C "$snapshot" rev-parse --verify -q "refs/tags/v$version^{commit}") || {
  echo "the snapshot at $snapshot has no tag $version (the installed jsforce): fetch its tags first" >&2
  exit 1
}
echo "== jsforce $version, release commit $commit"

base=$root/.data/jsforce-e2e
work=$base/$version
rm -rf "$work"
mkdir -p "$work"
# The installed package (what our code runs), then the release commit's tests and test configuration.
cp -R node_modules/jsforce/. "$work/"
git -C "$snapshot" archive "$commit" test jest.config.js jest.setup.js babel.config.js | tar -x -C "$work"

# Runner packages, in the snapshot's ranges, installed once per set of ranges.
runner=(@babel/core @babel/preset-env @babel/preset-typescript @babel/plugin-transform-runtime
  babel-preset-power-assert power-assert through2 nock archiver conditional-type-checks puppeteer)
specs=$(git -C "$snapshot" show "$commit:package.json" | node -e '
  let t = ""; process.stdin.on("data", (c) => (t += c)).on("end", () => {
    const p = JSON.parse(t); const all = { ...p.dependencies, ...p.devDependencies };
    console.log(process.argv.slice(1).map((n) => `${n}@${all[n]}`).join(" "));
  });' "${runner[@]}")
if [ "$(cat "$base/runner.specs" 2>/dev/null)" != "$specs" ]; then
  echo "== installing the suite's runner packages: $specs"
  printf '{ "name": "jsforce-e2e-runner", "private": true }\n' >"$base/package.json"
  # shellcheck disable=SC2086
  # puppeteer: only so test/helper/webauth loads; --ignore-scripts and PUPPETEER_SKIP_DOWNLOAD fetch no browser.
  (cd "$base" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --no-save --ignore-scripts $specs >/dev/null)
  printf '%s' "$specs" >"$base/runner.specs"
fi

echo '== building'
npm run build --silent

org_dir=$(mktemp -d)
out=$org_dir/local-org.out
client_id=jsforce-e2e-$$
client_secret=$(node -e 'process.stdout.write(require("crypto").randomBytes(16).toString("hex"))')
LOCAL_ORG_CLIENT_SECRET=$client_secret node bin/call-touchpoints.js local-org --port 0 --data "$org_dir/org" \
  --client-id "$client_id" >"$out" 2>&1 &
org_pid=$!
trap 'kill "$org_pid" 2>/dev/null; wait "$org_pid" 2>/dev/null; rm -rf "$org_dir"' EXIT
for _ in $(seq 300); do grep -q '^access_token=' "$out" && break; sleep 0.1; done
instance_url=$(sed -n 's/^instance_url=//p' "$out")
token=$(sed -n 's/^access_token=//p' "$out")
[ -n "$token" ] || { echo "local org did not start:"; cat "$out"; exit 1; }
echo "== local org at $instance_url"

export SF_LOGIN_URL=$instance_url SF_ACCESS_TOKEN=$token SF_USERNAME=admin@local-org.invalid SF_PASSWORD=local \
  SF_OAUTH2_CLIENT_ID=$client_id SF_OAUTH2_CLIENT_SECRET=$client_secret
node dist/scripts/jsforce-e2e/org-setup.js "$work/test/package/JSforceTestSuite"

echo '== jest (jsforce test/*.test.ts)'
results=$base/results-$version.json
# "$@" last but after a single-valued option: --modulePaths takes a list and would swallow file patterns.
(cd "$work" && env -u CI NODE_ENV=test "$root/node_modules/.bin/jest" --maxWorkers=2 \
  --modulePaths="$root/node_modules" --json --outputFile="$results" "$@") || true
node dist/scripts/jsforce-e2e/pass-table.js "$results"
