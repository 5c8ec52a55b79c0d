#!/usr/bin/env bash
# ./fleet compose-test: the fleet as shipped in docker-compose.yml, on the CPU (docker-compose.cpu.yml), end to end.
# Packages the five services, builds their images, brings the fleet up under a project name of its own with the
# gateway published on a free loopback port, runs one job through every stage via that port, checks the final PNG,
# and tears everything down (containers, network, volumes), also on failure. Prints how long each phase took.
#
#   environment (all optional):
#     COMPOSE_TEST_PACKAGE=1    0: use the target/quarkus-app already built (skip mvn package)
#     COMPOSE_TEST_MVN="mvn -B -q -Dstyle.color=never"   the Maven command (add -o offline)
#     COMPOSE_TEST_STEPS=8      steps of each diffusion stage of the job (IF's 100/50/75 take long on a CPU)
#     COMPOSE_TEST_TIMEOUT=900  seconds for the fleet to get healthy, and again for the job to finish
#     COMPOSE_TEST_KEEP=0       1: leave the fleet running (then: docker compose -p NAME down -v)
#     COMPOSE_TEST_REPLICAS=    e.g. stage1=2,sr=2: run `./fleet compose --replicas` and its --cpu override instead
#                               of the committed files (packages the launcher too)
# Needs a Docker engine with Compose >= 2.24.4 (for !reset); ../shared/docker/setup-engine.sh installs one here.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PACKAGE=${COMPOSE_TEST_PACKAGE:-1}
read -r -a MVN <<< "${COMPOSE_TEST_MVN:-mvn -B -q -Dstyle.color=never}"
STEPS=${COMPOSE_TEST_STEPS:-8}
TIMEOUT=${COMPOSE_TEST_TIMEOUT:-900}
KEEP=${COMPOSE_TEST_KEEP:-0}
PROJECT=if-fleet-test-$$
WORKERS=(encoder-worker stage1-worker sr-worker upscaler-worker)
T0=$(date +%s)
LAST=$T0

phase() { # prints the time since the previous phase
  local now; now=$(date +%s)
  printf '[compose-test +%4ss] %s (previous phase %ss)\n' "$((now - T0))" "$*" "$((now - LAST))"
  LAST=$now
}
fail() { echo "compose-test: FAILED: $*" >&2; exit 1; }

docker info > /dev/null 2>&1 || fail "no Docker engine answers (as root here: bash ../shared/docker/setup-engine.sh)"
version=$(docker compose version --short 2>/dev/null || true)
[[ $version =~ ^v?2\.([0-9]+)\.([0-9]+) ]] || fail "needs Docker Compose v2 (found '${version:-none}')"
minor=${BASH_REMATCH[1]} patch=${BASH_REMATCH[2]}
(( minor > 24 || (minor == 24 && patch >= 4) )) || fail "needs Compose >= 2.24.4 for !reset (found $version)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/if-fleet-compose-test.XXXXXX")
# the gateway on a free loopback port: the shipped 8080:8080 may be taken, and nothing else needs to reach it
cat > "$WORK/ports.yml" <<'EOF'
services:
  gateway:
    ports: !override
      - "127.0.0.1::8080"
EOF
REPLICAS=${COMPOSE_TEST_REPLICAS:-}
FILES=(-f docker-compose.yml -f docker-compose.cpu.yml)
[[ -z $REPLICAS ]] || FILES=(-f "$WORK/fleet.yml" -f "$WORK/fleet.cpu.yml")
# the files' relative paths (build contexts, ./models) are the repository's, wherever the files lie
DC=(docker compose -p "$PROJECT" --project-directory "$ROOT" "${FILES[@]}" -f "$WORK/ports.yml")

teardown() {
  local rc=$?
  if [[ $rc != 0 ]]; then
    echo "--- container states and the last log lines (rc $rc) ---" >&2
    "${DC[@]}" ps -a >&2 || true
    "${DC[@]}" logs --no-color --tail 30 >&2 || true
  fi
  if [[ $KEEP == 1 ]]; then
    echo "left running: docker compose -p $PROJECT -f docker-compose.yml -f docker-compose.cpu.yml down -v"
  else
    "${DC[@]}" down -v --remove-orphans --timeout 90 > "$WORK/down.log" 2>&1 || cat "$WORK/down.log" >&2
    phase "torn down"
  fi
  [[ $rc != 0 ]] || echo "compose-test: passed in $(( $(date +%s) - T0 ))s (packaging, build, start, job and teardown)"
  rm -rf "$WORK"
  exit $rc
}
trap teardown EXIT

if [[ $PACKAGE == 1 ]]; then
  phase "mvn package (gateway and the four workers, tests skipped)"
  "${MVN[@]}" -DskipTests package -pl gateway,"$(IFS=,; echo "${WORKERS[*]}")"${REPLICAS:+,launcher} -am
fi
if [[ -n $REPLICAS ]]; then
  [[ -f launcher/target/launcher.jar ]] || fail "launcher/target/launcher.jar is missing: package first"
  ./fleet compose --replicas "$REPLICAS" > "$WORK/fleet.yml"
  ./fleet compose --cpu --replicas "$REPLICAS" > "$WORK/fleet.cpu.yml"
  phase "compose files for --replicas $REPLICAS written"
fi
# every service with a healthcheck: the gateway and each worker replica
mapfile -t CHECKED < <("${DC[@]}" config --services | grep -Ev '^(kafka|kafka-init|redis)$' || true)
(( ${#CHECKED[@]} >= 5 )) || fail "docker compose config lists no gateway and workers: ${CHECKED[*]:-none}"
for m in gateway "${WORKERS[@]}"; do
  [[ -f $m/target/quarkus-app/quarkus-run.jar ]] || fail "$m/target/quarkus-app is missing: package first"
done
phase "docker compose build"
"${DC[@]}" build > "$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log"; fail "image build"; }

phase "docker compose up"
"${DC[@]}" up -d > "$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; fail "up"; }
health() { docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' \
  "$("${DC[@]}" ps -aq "$1")" 2>/dev/null || echo missing; }
deadline=$(( $(date +%s) + TIMEOUT ))
while :; do
  states=""; all=1
  for s in "${CHECKED[@]}"; do
    h=$(health "$s"); states+=" $s=$h"
    [[ $h == healthy ]] || all=0
    [[ $h == unhealthy || $h == exited || $h == dead ]] && fail "$s is $h"
  done
  [[ $all == 1 ]] && break
  (( $(date +%s) < deadline )) || fail "not healthy within ${TIMEOUT}s:$states"
  sleep 5
done
GW="http://$("${DC[@]}" port gateway 8080)"
phase "fleet healthy: ${#CHECKED[@]} services (gateway at $GW)"

body=$(printf '{"prompt": "a red circle above a blue square", "seed": 7, "stage1": {"steps": %d}, "sr": {"steps": %d}, "upscale": {"steps": %d}}' \
  "$STEPS" "$STEPS" "$STEPS")
created=$(curl -fsS -X POST "$GW/v1/jobs" -H 'Content-Type: application/json' -d "$body") || fail "submit"
id=$(grep -o '"id" *: *"[^"]*"' <<< "$created" | head -1 | sed 's/.*"\([^"]*\)"$/\1/' || true)
[[ -n $id ]] || fail "no job id in $created"
while :; do
  view=$(curl -fsS "$GW/v1/jobs/$id") || fail "GET /v1/jobs/$id"
  # the job's own status is the view's first "status" field
  status=$(grep -o '"status" *: *"[a-z]*"' <<< "$view" | head -1 | sed 's/.*"\([a-z]*\)"$/\1/' || true)
  case $status in
    succeeded) break ;;
    failed|canceled) fail "job $id $status: $view" ;;
  esac
  (( $(date +%s) < deadline + TIMEOUT )) || fail "job $id still $status"
  sleep 2
done
phase "job $id succeeded"
curl -fsS -o "$WORK/upscale.png" "$GW/v1/jobs/$id/images/upscale.png" || fail "fetching the final image"
# PNG signature, then the IHDR's width and height (1024 x 1024 at the default output size)
sig=$(head -c 8 "$WORK/upscale.png" | od -An -tx1 | tr -d ' \n')
[[ $sig == 89504e470d0a1a0a ]] || fail "upscale.png is not a PNG"
size=$(od -An -tu1 -j16 -N8 "$WORK/upscale.png" | awk '{print ($1*2^24+$2*2^16+$3*2^8+$4) "x" ($5*2^24+$6*2^16+$7*2^8+$8)}')
[[ $size == 1024x1024 ]] || fail "upscale.png is $size, expected 1024x1024"
phase "upscale.png is a 1024x1024 PNG ($(wc -c < "$WORK/upscale.png") bytes)"
