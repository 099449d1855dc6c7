#!/usr/bin/env bash
# The main job: builds Kerbside, starts the collector on an embedded SQLite file with the six
# founding case studies and the demo forms published, simulated fieldwork in six more (so the
# dashboard has something to show), a demo coordinator for the dashboard, enrols a tablet, and
# opens the tablet app.
# Data lives in ${KERBSIDE_DEMO_DIR:-$HOME/.local/share/kerbside-demo}; run again to continue.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/deps.sh build
bash .ci/build.sh >/dev/null
bin="$PWD/${BUILD_DIR:-build}/bin"
demo="${KERBSIDE_DEMO_DIR:-$HOME/.local/share/kerbside-demo}"
db="$demo/collector.db"
listen="${KERBSIDE_LISTEN:-127.0.0.1:8787}"
mkdir -p "$demo/tablet"

if [ ! -f "$db" ]; then
  echo "Setting up the demo collector in $db"
  names=("Riverside" "Northfield Estate" "Canal Side" "Old Town" "Hillcrest" "Station Quarter")
  for i in 1 2 3 4 5 6; do
    "$bin/kerbside" casestudy add "cs$i" --name "Case study $i – ${names[$((i-1))]}" --db "$db" >/dev/null
  done
  for f in forms/community-contracts-voxpop.json forms/demo-all-types.json; do
    "$bin/kerbside" publish "$f" --case-study cs1 --case-study cs2 --case-study cs3 \
      --case-study cs4 --case-study cs5 --case-study cs6 --db "$db" >/dev/null
  done
  # Simulated fieldwork (six more case studies with tablets, interviews, refusals, places).
  "$bin/kerbside" simulate --db "$db" --form forms/community-contracts-voxpop.json --case-studies 6 \
    --responses "${KERBSIDE_DEMO_RESPONSES:-6000}" >/dev/null
  echo "demo-coordinator" | "$bin/kerbside" user add demo --role coordinator --password-stdin --db "$db" >/dev/null
fi

"$bin/kerbside" serve --db "$db" --listen "$listen" 2>"$demo/collector.log" &
collector=$!
trap 'kill $collector 2>/dev/null; wait $collector 2>/dev/null || true' EXIT
sleep 1
kill -0 $collector 2>/dev/null || { echo "the collector did not start; see $demo/collector.log" >&2; exit 1; }
code=$("$bin/kerbside" enrol --case-study cs1 --db "$db" | grep -Eo '[A-Z0-9]{3,}(-[A-Z0-9]+)*' | head -1 || true)
echo
echo "Collector:       http://$listen   (log: $demo/collector.log)"
echo "Dashboard:       http://$listen/   user: demo   password: demo-coordinator"
echo "Enrolment code:  ${code:-see 'kerbside enrol'} (case study cs1; type it on the tablet's first-run or Sync screen)"
echo "Case studies:    $("$bin/kerbside" casestudy list --db "$db" | tr '\n' ';')"
echo

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  "$bin/kerbside-tablet" --data "$demo/tablet" --forms "$PWD/forms" --demo
else
  echo "No display here, so the tablet app cannot open a window. It loads fine offscreen:"
  QT_QPA_PLATFORM=offscreen "$bin/kerbside-tablet" --data "$demo/tablet" --forms "$PWD/forms" --self-test \
    && echo "  kerbside-tablet --self-test: ok"
  echo "To see it, run this script under Xvfb:"
  echo "  apt-get install xvfb x11vnc   # then"
  echo "  xvfb-run -s '-screen 0 1280x800x24' bash .ci/demo.sh   # and view with x11vnc -display :99"
  echo "or on a desktop: $bin/kerbside-tablet --data $demo/tablet --forms $PWD/forms"
  echo
  echo "The collector keeps running; press Ctrl-C to stop it."
  wait $collector
fi
