#!/usr/bin/env bash
# racetrace performance: JMH hot path, whole-process overhead against no agent and against the
# OpenTelemetry Java agent, start-up and memory, export rate. Prints ONE table of ratios against
# the targets of issue 7, then the raw numbers. See docs/performance.md.
#
#   benchmarks/run.sh            # everything, about 15 minutes on 2 cores
#   QUICK=1 benchmarks/run.sh    # a smoke run of every step with tiny settings (about 3 minutes)
#
# It only talks to 127.0.0.1 (the OTLP receiver it starts), bounds every run with `timeout`, and
# kills every process it started on exit. Results: benchmarks/target/bench-results/.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
R="$ROOT/benchmarks/target/bench-results"
B="$ROOT/benchmarks/target/benchmarks.jar"
W="$ROOT/benchmarks/target/racetrace-benchmarks-workload.jar"
A="$ROOT/agent/target/racetrace-agent.jar"
O="$ROOT/benchmarks/target/otel/opentelemetry-javaagent.jar"
PKG=dev.racetrace.bench.workload
QUICK="${QUICK:-0}"
ONLY13="${ONLY13:-0}"   # 1: only the issue-13 targets (pipeline CPU and RSS, lossless rate, start-up, analyzer)
T0=$(date +%s)

if [ "$QUICK" = 1 ]; then
  REPS=1; WORKLOAD_OPS=500000; STARTUP_RUNS=2; RSS_RUNS=1; EXPORT_EVENTS=200000; PACED_SECONDS=2
  REPS13=1; PIPE_SECONDS=3; LONG_SECONDS=6; STEP_SECONDS=1; ANALYZE_EVENTS=100000
  JMH_TIME="-wi 1 -w 200ms -i 2 -r 200ms"
else
  REPS=4; WORKLOAD_OPS=4000000; STARTUP_RUNS=5; RSS_RUNS=3; EXPORT_EVENTS=1000000; PACED_SECONDS=5
  REPS13=3; PIPE_SECONDS=15; LONG_SECONDS=60; STEP_SECONDS=3; ANALYZE_EVENTS=1000000
  JMH_TIME="-wi 3 -w 400ms -i 4 -r 400ms"
fi

PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do
    kill "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { echo "run.sh [$(( $(date +%s) - T0 ))s] $*" >&2; }

# ------------------------------------------------------------------------------ build
say "building (mvn -B -q -DskipTests package)"
mvn -B -q -DskipTests package
if [ ! -f "$O" ]; then
  say "fetching the OpenTelemetry Java agent 2.22.0 (maven-dependency-plugin)"
  mvn -B -q -pl benchmarks dependency:copy@fetch-otel-javaagent
fi
rm -rf "$R"
mkdir -p "$R"
# Every run uses this copy of the agent, so all configurations measure the same build even if
# agent/target is rebuilt meanwhile.
cp "$A" "$R/racetrace-agent.jar"
A="$R/racetrace-agent.jar"
RES="$R/results.txt"
: > "$RES"

{
  echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC')$( [ "$QUICK" = 1 ] && echo ' (QUICK smoke run: numbers not meaningful)')"
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -h | awk '/^Mem:/ {print $2}') RAM"
  echo "JDK: $(java -version 2>&1 | head -2 | tail -1); $(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g'); $(hyperfine --version 2>/dev/null || echo 'no hyperfine')"
  echo "Load average at start (other processes on this machine): $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$R/machine.txt"

FLIGHT=0
if java -jar "$A" --help 2>/dev/null | grep -q 'racetrace.mode'; then
  FLIGHT=1
fi
echo "flight available=$FLIGHT" >> "$RES"
say "flight-recorder mode in the agent: $( [ $FLIGHT = 1 ] && echo yes || echo 'not yet (rows marked pending)')"

# Starts benchmarks' OTLP receiver on 127.0.0.1 for at most $2 seconds, its port written to $1 and
# its stderr to $3, and waits (up to 10 s) for the port; killed on exit like everything started here.
start_receiver() {
  rm -f "$1"
  java -cp "$B" dev.racetrace.bench.tools.OtlpReceiver "$1" "$2" 2> "$3" &
  PIDS+=($!)
  for _ in $(seq 1 100); do
    [ -s "$1" ] && break
    sleep 0.1
  done
}

# The newest OTLP JSON lines part in a directory (the file the racetrace.stats span is written to
# last; racetrace.out.max rolls older spans into other parts), or nothing.
newest_part() {
  ls -t "$1"/*.jsonl 2>/dev/null | head -1 || true
}

# Reads race.<name> of the last racetrace.stats span of an OTLP JSON lines file (-1 if none).
stat_of() {
  local file="$1" name="$2" v
  v=$(tail -c 65536 "$file" 2>/dev/null | grep -o "\"race.$name\",\"value\":{\"intValue\":\"[0-9]*\"" \
      | tail -1 | grep -o '[0-9]*"$' | tr -d '"' || true)
  echo "${v:--1}"
}

# config -> JVM options before -cp. The third argument adds options for racetrace runs.
jvm_opts() {
  local out="$1" more="${3:-}"
  case "$2" in
    none) ;;
    racetrace) echo "-javaagent:$A -Dracetrace.include=$PKG -Dracetrace.out=$out $more" ;;
    journal) echo "-javaagent:$A -Dracetrace.include=$PKG -Dracetrace.exporter=journal -Dracetrace.out=$out $more" ;;
    racetrace-off) echo "-javaagent:$A -Dracetrace.include=some.other.pkg -Dracetrace.out=$out $more" ;;
    flight) echo "-javaagent:$A -Dracetrace.include=$PKG -Dracetrace.mode=flight -Dracetrace.out=$out $more" ;;
    otel) echo "-javaagent:$O -Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none" ;;
  esac
}

if [ "$ONLY13" != 1 ]; then
# ------------------------------------------------------------------------------ JMH
say "JMH: every hook against its JDK call, recording drained"
timeout 600 java -jar "$B" -e JournalBench $JMH_TIME -f 1 -prof gc -p mode=drained -rf json \
  -rff "$R/jmh-drained.json" -jvmArgsAppend "-Dbench.stats=$R/jmh-stats.txt" > "$R/jmh-drained.log" 2>&1
say "JMH: the exporter's journal copy per record (the agent's classes from its jar)"
timeout 300 java -cp "$B:$A" org.openjdk.jmh.Main JournalBench $JMH_TIME -f 1 -prof gc -rf json \
  -rff "$R/jmh-journal.json" > "$R/jmh-journal.log" 2>&1
say "JMH: the drop path (rings full, one thread)"
timeout 300 java -jar "$B" '\.(offer|poll|execute|await|countDown)_hook$' $JMH_TIME -f 1 -prof gc -p mode=full \
  -rf json -rff "$R/jmh-full.json" -jvmArgsAppend "-Dbench.stats=$R/jmh-stats.txt" > "$R/jmh-full.log" 2>&1

# ------------------------------------------------------------------------------ whole process
CONFIGS="none racetrace racetrace-off otel"
[ $FLIGHT = 1 ] && CONFIGS="$CONFIGS flight"

# racetrace.shutdown.timeout=1s: the flush at exit comes after the measured interval; with the
# default 5s every recording run would spend seconds exporting a backlog nobody measures.
say "whole process: QueueWorkload --ops $WORKLOAD_OPS, $REPS rounds of: $CONFIGS"
for rep in $(seq 1 "$REPS"); do
  for config in $CONFIGS; do
    out="$R/out-$config-$rep"
    rm -rf "$out"
    # shellcheck disable=SC2046
    /usr/bin/time -f 'rss_kb=%M' -o "$R/time.txt" timeout 180 \
      java $(jvm_opts "$out" "$config" -Dracetrace.shutdown.timeout=1s) -cp "$W" $PKG.QueueWorkload --ops "$WORKLOAD_OPS" \
      > "$R/wl.out" 2> "$R/wl-$config-$rep.err" || say "  $config #$rep FAILED (exit $?), see $R/wl-$config-$rep.err"
    line=$(grep '^workload:' "$R/wl.out" | sed 's/^workload: //' || true)
    extra=""
    if [ "$config" = racetrace ] || [ "$config" = flight ]; then
      # the agent's exit summary ("exported N spans; dropped D events"), else the stats span
      err="$R/wl-$config-$rep.err"
      d=$(grep -o 'dropped [0-9]* events' "$err" | grep -o '[0-9]*' || true)
      x=$(grep -o 'exported [0-9]* spans' "$err" | grep -o '[0-9]*' || true)
      f=$(newest_part "$out")
      if [ -n "$f" ]; then
        [ -z "$d" ] && d=$(stat_of "$f" dropped_events)
        [ -z "$x" ] && x=$(stat_of "$f" recorded_events)
        extra="bytes=$(stat -c %s "$f")"
      fi
      extra="dropped=${d:--1} exported=${x:--1} $extra"
    fi
    echo "workload config=$config rep=$rep $line $(cat "$R/time.txt" | tail -1) $extra" >> "$RES"
    say "  $config #$rep: $line $extra"
    rm -rf "$out"
  done
done

fi # ONLY13

# ------------------------------------------------------------------------------ start-up
SCONFIGS="none racetrace journal otel"
[ $FLIGHT = 1 ] && SCONFIGS="$SCONFIGS flight"
hello_cmd() {
  # shellcheck disable=SC2046
  echo "java $(jvm_opts "$R/out-hello" "$1") -cp $W $PKG.HelloWorld"
}
if command -v hyperfine > /dev/null; then
  say "start-up: hyperfine, $STARTUP_RUNS runs each of: $SCONFIGS"
  args=()
  for c in $SCONFIGS; do
    args+=(-n "$c" "$(hello_cmd "$c")")
  done
  timeout 300 hyperfine -N -w 1 -r "$STARTUP_RUNS" --export-json "$R/startup.json" "${args[@]}" \
    > "$R/hyperfine.log" 2>&1 || say "  hyperfine FAILED (exit $?), see $R/hyperfine.log"
else
  say "start-up: hyperfine not installed (apt-get install -y hyperfine); timing $STARTUP_RUNS runs in bash"
  for rep in $(seq 1 "$STARTUP_RUNS"); do
    for c in $SCONFIGS; do
      s=$(date +%s%N)
      # shellcheck disable=SC2046
      timeout 60 $(hello_cmd "$c") > /dev/null 2>&1 || true
      echo "startup config=$c rep=$rep wall_ms=$(( ($(date +%s%N) - s) / 1000000 ))" >> "$RES"
    done
  done
fi
say "start-up: peak RSS, $RSS_RUNS runs each"
for rep in $(seq 1 "$RSS_RUNS"); do
  for c in $SCONFIGS; do
    # shellcheck disable=SC2046
    /usr/bin/time -f 'rss_kb=%M' -o "$R/time.txt" timeout 60 $(hello_cmd "$c") > /dev/null 2>&1 || true
    echo "startup config=$c rep=$rep $(tail -1 "$R/time.txt")" >> "$RES"
  done
done
rm -rf "$R/out-hello"

# ------------------------------------------------------------------------------ issue 13
# The paced pipeline (PacedPipeline: producer -> ArrayBlockingQueue -> consumer -> single-thread
# executor) at two rates, interleaved: whole-process CPU (user + sys, JIT, GC, agent start and exit
# included) and peak RSS without the agent, with the journal, and in flight mode (the default flight
# mode: a ring of journal chunks; its timeout trigger is checked on the records, no span is assembled
# unless racetrace.rules are set).
PIPE_RATES="10000 50000"
# one PacedPipeline run, its line to results.txt: pipe_run TAG CONFIG REP RATE SECONDS
pipe_run() {
  local tag="$1" config="$2" rep="$3" rate="$4" seconds="$5" out="$R/out-$1-$2" line
  rm -rf "$out"
  # shellcheck disable=SC2046
  /usr/bin/time -f 'user_s=%U sys_s=%S rss_kb=%M' -o "$R/time.txt" timeout $(( seconds + 60 )) \
    java $(jvm_opts "$out" "$config" -Dracetrace.shutdown.timeout=5s) -cp "$W" $PKG.PacedPipeline \
    --rate "$rate" --seconds "$seconds" > "$R/pipe.out" 2> "$R/$tag-$config-$rate-$rep.err" \
    || say "  $tag $config $rate #$rep FAILED (exit $?), see $R/$tag-$config-$rate-$rep.err"
  line=$(grep '^pipeline:' "$R/pipe.out" | sed 's/^pipeline: //' || true)
  echo "t13$tag config=$config rep=$rep $line $(tail -1 "$R/time.txt")" >> "$RES"
  say "  $(tail -1 "$RES")"
  rm -rf "$out"
}
say "issue 13: paced pipeline, $REPS13 rounds of rates $PIPE_RATES items/s x ${PIPE_SECONDS}s x (none journal flight)"
for rep in $(seq 1 "$REPS13"); do
  for rate in $PIPE_RATES; do
    for config in none journal flight; do
      pipe_run pipe "$config" "$rep" "$rate" "$PIPE_SECONDS"
    done
  done
done

# The pipeline at 10k items/s for a minute, without the agent and with the journal, interleaved: not
# the target's run (the 15 s runs above are), but what the part of the added CPU paid once per
# process (the agent's start, class transformation, the JIT compiling the hooks and the journal
# path, about 1.2 s) weighs when a run records 3.6 million events instead of 900,000.
say "issue 13: paced pipeline, $REPS13 rounds of 10000 items/s x ${LONG_SECONDS}s x (none journal)"
for rep in $(seq 1 "$REPS13"); do
  for config in none journal; do
    pipe_run long "$config" "$rep" 10000 "$LONG_SECONDS"
  done
done

# Lost events with the default settings (ring 4096 per thread), the journal, 2 threads paced in
# total to the rate; stepping the rate up (doubling) until events are lost after the first second
# (ExportRate's dropped - dropped_first_s: the run once the JVM has compiled the hooks and the
# exporter), or the producers cannot keep the pace. targets13.sh reports the highest rate lossless
# over the whole run and the highest lossless after the first second.
say "issue 13: events lost by rate (journal, default settings, ${STEP_SECONDS}s per step)"
for rate in 200000 400000 800000 1600000 3200000; do
  out="$R/out-step"
  rm -rf "$out"
  timeout 120 java -javaagent:"$A" -Dracetrace.include=$PKG -Dracetrace.exporter=journal -Dracetrace.out="$out" \
    -cp "$W" $PKG.ExportRate --events $(( rate * STEP_SECONDS )) --threads 2 --rate "$rate" --wait-ms 3000 \
    > "$R/step.out" 2> "$R/step-$rate.err" || say "  step $rate FAILED (exit $?), see $R/step-$rate.err"
  line=$(grep '^export:' "$R/step.out" | sed 's/^export: //' || true)
  echo "t13step target_rate=$rate $line" >> "$RES"
  say "  $(tail -1 "$RES")"
  rm -rf "$out"
  d=$(echo "$line" | grep -o 'dropped=[-0-9]*' | cut -d= -f2)
  f=$(echo "$line" | grep -o 'dropped_first_s=[-0-9]*' | cut -d= -f2)
  if [ "${d:-1}" != 0 ] && { [ "${f:--1}" -lt 0 ] || [ "$(( ${d:-1} - f ))" != 0 ]; }; then break; fi
done

# Live OTLP export beside the journal (an endpoint set, every other setting default) at 200k events/s:
# what the rings drop while spans stream to a receiver on 127.0.0.1 (not a target of its own: the
# journal must lose nothing with the live export on too).
say "issue 13: live OTLP export beside the journal, 200k events/s for ${STEP_SECONDS}s"
start_receiver "$R/port13" 300 "$R/receiver13.err"
out="$R/out-live"
rm -rf "$out"
OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$(cat "$R/port13" 2>/dev/null || echo 0)" timeout 120 \
  java -javaagent:"$A" -Dracetrace.include=$PKG -Dracetrace.out="$out" \
  -cp "$W" $PKG.ExportRate --events $(( 200000 * STEP_SECONDS )) --threads 2 --rate 200000 --wait-ms 3000 \
  > "$R/live.out" 2> "$R/live13.err" || say "  live export FAILED (exit $?), see $R/live13.err"
line=$(grep '^export:' "$R/live.out" | sed 's/^export: //' || true)
spans=$(grep -o 'exported [0-9]* spans live' "$R/live13.err" | grep -o '[0-9]*' || true)
echo "t13live target_rate=200000 $line live_spans=${spans:-n/a}" >> "$RES"
say "  $(tail -1 "$RES")"
rm -rf "$out"

# The analyzer on a journal of ANALYZE_EVENTS events (ExportRate, rings big enough to drop none).
say "issue 13: analyze of a journal of $ANALYZE_EVENTS events"
out="$R/out-analyze"
rm -rf "$out"
timeout 300 java -javaagent:"$A" -Dracetrace.include=$PKG -Dracetrace.exporter=journal -Dracetrace.out="$out" \
  -Dracetrace.buffer.size=524288 -Dracetrace.shutdown.timeout=60s \
  -cp "$W" $PKG.ExportRate --events "$ANALYZE_EVENTS" --threads 2 --wait-ms 120000 > "$R/analyze-rec.out" 2>&1 \
  || say "  recording FAILED (exit $?), see $R/analyze-rec.out"
s=$(date +%s%N)
/usr/bin/time -f 'user_s=%U sys_s=%S rss_kb=%M' -o "$R/time.txt" timeout 300 java -jar "$A" analyze "$out" \
  --json "$R/analysis.json" > "$R/analyze.out" 2>&1 || say "  analyze FAILED (exit $?), see $R/analyze.out"
wall=$(( ($(date +%s%N) - s) / 1000000 ))
echo "t13analyze events=$ANALYZE_EVENTS journal_bytes=$(du -cb "$out" | tail -1 | cut -f1) wall_ms=$wall $(tail -1 "$R/time.txt") answer=$(head -c 300 "$R/analyze.out" | tr -s ' \n' '__' | cut -c1-120)" >> "$RES"
say "  $(tail -1 "$RES")"
rm -rf "$out"

if [ "$ONLY13" != 1 ]; then
# ------------------------------------------------------------------------------ export rate
EXPORT_JVM="-javaagent:$A -Dracetrace.include=$PKG -Dracetrace.shutdown.timeout=60s"
BIG_RING=524288   # 2^19 records per thread: a whole burst fits, so nothing is dropped by design
# Each row names its exporter: the default (auto) writes the journal, which these rows do not
# measure, and with an endpoint it also exports live within racetrace.export.cpu, a recording that
# never goes idle, so ExportRate would wait out its whole --wait-ms. The OTLP row lifts the budget
# to measure how fast every event becomes a span on the wire.
# racetrace.out.max=8g: a burst writes about 1 GB of OTLP JSON, past the default 1g (whose oldest
# part would be deleted, and with it spans of the run measured)
FILE_JVM="$EXPORT_JVM -Dracetrace.exporter=otlp-json -Dracetrace.out.max=8g"
OTLP_JVM="$EXPORT_JVM -Dracetrace.exporter=otel -Dracetrace.export.cpu=100%"

say "export rate: OTLP JSON file, burst of $EXPORT_EVENTS events (JFR on)"
out="$R/out-export-file"
timeout 180 java $FILE_JVM -Dracetrace.out="$out" -Dracetrace.buffer.size=$BIG_RING \
  -XX:StartFlightRecording=filename="$R/export-file.jfr",settings=profile \
  -cp "$W" $PKG.ExportRate --events "$EXPORT_EVENTS" --threads 2 --wait-ms 120000 \
  > "$R/export.out" 2> "$R/export-file.err" || say "  FAILED (exit $?), see $R/export-file.err"
f=$(newest_part "$out")
echo "export sink=file label=burst,ring=2^19 $(grep '^export:' "$R/export.out" | sed 's/^export: //') exported=$(stat_of "$f" recorded_events) stats_dropped=$(stat_of "$f" dropped_events) bytes=$(cat "$out"/*.jsonl 2>/dev/null | wc -c)" >> "$RES"
say "  $(tail -1 "$RES")"
rm -rf "$out"

say "export rate: OTLP JSON file, paced at 200k events/s for ${PACED_SECONDS}s, default buffer"
out="$R/out-export-paced"
timeout 180 java $FILE_JVM -Dracetrace.out="$out" \
  -cp "$W" $PKG.ExportRate --events $(( 200000 * PACED_SECONDS )) --threads 2 --rate 200000 --wait-ms 120000 \
  > "$R/export.out" 2> "$R/export-paced.err" || say "  FAILED (exit $?), see $R/export-paced.err"
f=$(newest_part "$out")
echo "export sink=file label=paced-200k/s,default-buffer $(grep '^export:' "$R/export.out" | sed 's/^export: //') exported=$(stat_of "$f" recorded_events) stats_dropped=$(stat_of "$f" dropped_events) bytes=$(cat "$out"/*.jsonl 2>/dev/null | wc -c)" >> "$RES"
say "  $(tail -1 "$RES")"
rm -rf "$out"

say "export rate: OTLP/HTTP (protobuf) to a receiver on 127.0.0.1, burst of $EXPORT_EVENTS events (JFR on)"
start_receiver "$R/port" 600 "$R/receiver.err"
PORT=$(cat "$R/port" 2>/dev/null || echo 0)
OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$PORT" timeout 180 java $OTLP_JVM -Dracetrace.buffer.size=$BIG_RING \
  -XX:StartFlightRecording=filename="$R/export-otlp.jfr",settings=profile \
  -cp "$W" $PKG.ExportRate --events "$EXPORT_EVENTS" --threads 2 --wait-ms 120000 \
  > "$R/export.out" 2> "$R/export-otlp.err" || say "  FAILED (exit $?), see $R/export-otlp.err"
rstats=$(curl -s --max-time 5 "http://127.0.0.1:$PORT/stats" || true)
field() { echo "$rstats" | grep -o "$1=[-0-9]*" | cut -d= -f2 || true; }
recv_spans=$(field spans); recv_bytes=$(field bytes); recv_recorded=$(field recorded); recv_dropped=$(field dropped)
echo "export sink=otlp-http label=burst,ring=2^19 $(grep '^export:' "$R/export.out" | sed 's/^export: //') exported=$recv_recorded stats_dropped=$recv_dropped received_spans=$recv_spans bytes=$recv_bytes" >> "$RES"
say "  $(tail -1 "$RES")"
curl -s --max-time 5 -X POST "http://127.0.0.1:$PORT/quit" > /dev/null || true

fi # ONLY13

# ------------------------------------------------------------------------------ report
if [ "$ONLY13" != 1 ]; then
say "profiles"
{
  java -cp "$B" dev.racetrace.bench.tools.JfrTop "$R/export-file.jfr" racetrace-exporter 15
  echo
  java -cp "$B" dev.racetrace.bench.tools.JfrTop "$R/export-otlp.jfr" racetrace-exporter 15
} > "$R/profiles.txt" 2>&1 || true
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg); run.sh took $(( $(date +%s) - T0 )) s" >> "$R/machine.txt"
java -cp "$B" dev.racetrace.bench.tools.Report "$R" | tee "$R/report.md"
echo
echo "Profile evidence (JFR samples of the exporter thread during the export bursts):"
cat "$R/profiles.txt"
fi # ONLY13
echo
benchmarks/targets13.sh "$R" | tee "$R/targets13.txt"
say "done; raw results in $R"
