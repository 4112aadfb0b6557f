#!/usr/bin/env bash
# Prints the targets of issue 13 as met or missed with the measured figure, from a run.sh results
# directory (results.txt: the t13pipe / t13step / t13analyze lines; startup.json from hyperfine, or
# the startup wall_ms lines when hyperfine was missing). Needs awk; jq for startup.json.
#
#   benchmarks/targets13.sh benchmarks/target/bench-results
set -u  # no -e: a missing figure prints n/a, it does not end the table
R="${1:?results directory}"
RES="$R/results.txt"

# value of key=... in each line read (the first such field of a line; none for a line without it)
kv() { awk -v k="$1=" '{for (i = 1; i <= NF; i++) if (index($i, k) == 1) {print substr($i, length(k) + 1); break}}'; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN {if (v == "nan" || v == "") print "n/a"; else print (v+0 <= t+0) ? "met" : "MISSED"}'; }

echo "## Issue 13 targets ($(grep -m1 '^Run:' "$R/machine.txt" 2>/dev/null | sed 's/^Run: //'))"
echo "Load average now: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other processes on a shared machine inflate CPU and RSS figures)"
echo
printf '%-78s %-28s %s\n' "target" "measured" "verdict"

# the t13pipe line of one round: config, round, rate
pipe() { grep "^t13pipe config=$1 rep=$2 items=[0-9]* rate=$3 " "$RES"; }
# process CPU (user + sys, seconds) of a t13pipe line
cpu_s() { awk '{for(i=1;i<=NF;i++){split($i,p,"="); if(p[1]=="user_s")u=p[2]; if(p[1]=="sys_s")s=p[2]} print u+s}'; }

# (a) process CPU per recorded event: per round, (cpu journal - cpu none) / recorded, median of rounds
cpu_per_event() {
  local rate="$1" config="$2" rep none j rec
  for rep in $(grep "^t13pipe config=none " "$RES" | kv rep | sort -u); do
    none=$(pipe none "$rep" "$rate" | cpu_s)
    j=$(pipe "$config" "$rep" "$rate" | cpu_s)
    rec=$(pipe "$config" "$rep" "$rate" | kv recorded || true)
    if [ -n "$none" ] && [ -n "$j" ] && [ -n "$rec" ] && [ "$rec" -gt 0 ]; then
      awk -v a="$j" -v b="$none" -v r="$rec" 'BEGIN {printf "%.0f\n", (a-b)*1e9/r}'
    fi
  done | median
}
# the same over the steady part only (the last four fifths of the items: after the agent's start,
# class loading and most of the JIT), process CPU from inside the workload
steady_per_event() {
  local rate="$1" config="$2" rep none j rec
  for rep in $(grep "^t13pipe config=none " "$RES" | kv rep | sort -u); do
    none=$(pipe none "$rep" "$rate" | kv steady_cpu_ms)
    j=$(pipe "$config" "$rep" "$rate" | kv steady_cpu_ms)
    rec=$(pipe "$config" "$rep" "$rate" | kv steady_recorded)
    if [ -n "$none" ] && [ -n "$j" ] && [ -n "$rec" ] && [ "$rec" -gt 0 ]; then
      awk -v a="$j" -v b="$none" -v r="$rec" 'BEGIN {printf "%.0f\n", (a-b)*1e6/r}'
    fi
  done | median
}
# added process CPU in seconds (journal - none) per round, median of rounds
added_cpu() {
  local rate="$1" config="$2" rep none j
  for rep in $(grep "^t13pipe config=none " "$RES" | kv rep | sort -u); do
    none=$(pipe none "$rep" "$rate" | cpu_s)
    j=$(pipe "$config" "$rep" "$rate" | cpu_s)
    if [ -n "$none" ] && [ -n "$j" ]; then
      awk -v a="$j" -v b="$none" 'BEGIN {printf "%.3f\n", a-b}'
    fi
  done | median
}
# the pipeline at 10k items/s for a minute (t13long lines), per round, median of rounds: what the
# per-process part of the added CPU weighs in a run longer than the target's
long_per_event() {
  local rep none j rec
  for rep in $(grep "^t13long config=none " "$RES" | kv rep | sort -u); do
    none=$(grep "^t13long config=none rep=$rep " "$RES" | cpu_s)
    j=$(grep "^t13long config=journal rep=$rep " "$RES" | cpu_s)
    rec=$(grep "^t13long config=journal rep=$rep " "$RES" | kv recorded || true)
    if [ -n "$none" ] && [ -n "$j" ] && [ -n "$rec" ] && [ "$rec" -gt 0 ]; then
      awk -v a="$j" -v b="$none" -v r="$rec" 'BEGIN {printf "%.0f\n", (a-b)*1e9/r}'
    fi
  done | median
}
a=$(cpu_per_event 10000 journal)
ps=$(grep "^t13pipe config=journal .* rate=10000 " "$RES" | kv seconds | head -1)
printf '%-78s %-28s %s\n' "CPU per recorded event, pipeline 10k items/s for ${ps:-?} s, journal: <= 1 us" "${a} ns" "$(verdict "$a" 1000)"
al=$(long_per_event)
lsec=$(grep "^t13long config=journal " "$RES" | kv seconds | head -1)
printf '%-78s %-28s %s\n' "  the same over ${lsec:-?} s (the per-process part spread over more events)" "${al} ns" "(not the target's run)"
a5=$(cpu_per_event 50000 journal)
printf '%-78s %-28s %s\n' "  the same at 50k items/s (not a target)" "${a5} ns" ""
# the added CPU as a line through both rates: a cost per process (agent start, class transformation,
# JIT compilation) plus a cost per event, so a reader can tell what a longer run would cost
c1=$(added_cpu 10000 journal); c5=$(added_cpu 50000 journal)
e1=$(grep "^t13pipe config=journal .* rate=10000 " "$RES" | kv recorded | median)
e5=$(grep "^t13pipe config=journal .* rate=50000 " "$RES" | kv recorded | median)
split=$(awk -v c1="$c1" -v c5="$c5" -v e1="$e1" -v e5="$e5" 'BEGIN {
  if (c1 == "nan" || c5 == "nan" || e5 - e1 <= 0) { print "n/a"; exit }
  m = (c5 - c1) / (e5 - e1); printf "%.2f s + %.0f ns/event\n", c1 - m * e1, m * 1e9 }')
printf '%-78s %-28s %s\n' "  added CPU split, from the 10k and 50k runs: per process + per event" "$split" ""
s1=$(steady_per_event 10000 journal); s5=$(steady_per_event 50000 journal)
printf '%-78s %-28s %s\n' "  steady part only (agent start, class loading excluded), 10k / 50k items/s" "${s1} / ${s5} ns" "$(verdict "$s1" 1000) (10k)"
ev=$(grep "^t13pipe config=journal .* rate=10000 " "$RES" | kv recorded | median)
dr=$(grep "^t13pipe config=journal " "$RES" | kv dropped | sort -g | tail -1)
printf '%-78s %-28s %s\n' "  events recorded per 10k items/s run (median), most dropped in any pipeline run" "${ev}, ${dr:-?}" ""

# (b) events lost at 200k events/s, highest lossless rate
d200=$(grep "^t13step target_rate=200000 " "$RES" | kv dropped || true)
ok=$( [ "${d200:-x}" = 0 ] && echo met || echo MISSED )
printf '%-78s %-28s %s\n' "events lost at 200k events/s, default settings (journal): 0" "${d200:-n/a}" "$ok"
# the highest rate (events/s as produced) of a step that lost nothing: over its whole run (0), or
# after its first second, once the JVM has compiled the hooks (1: dropped - dropped_first_s)
lossless_rate() {
  grep "^t13step " "$RES" | awk -v warm="$1" '{d="";f="";e="";p=""
    for(i=1;i<=NF;i++){split($i,q,"="); if(q[1]=="dropped")d=q[2]; if(q[1]=="dropped_first_s")f=q[2]; if(q[1]=="events")e=q[2]; if(q[1]=="produce_ms")p=q[2]}
    lost = d; if (warm) lost = (d == "" || f == "" || f < 0) ? "" : d - f
    if (lost != "" && lost == 0 && p > 0) {r=e*1000/p; if (r>m) m=r}} END {printf "%.0f\n", m+0}'
}
best=$(lossless_rate 0)
printf '%-78s %-28s %s\n' "  highest lossless rate (events/s as produced, rates doubled from 200k)" "$best" "$(awk -v b="$best" 'BEGIN {print (b >= 1000000) ? "(aim 1M: met)" : "(aim 1M: not reached)"}')"
warm=$(lossless_rate 1)
printf '%-78s %-28s %s\n' "  highest rate lossless after the first second (losses only while the JVM warms up)" "$warm" "(not a target)"

dl=$(grep "^t13live target_rate=200000 " "$RES" | kv dropped || true)
sl=$(grep "^t13live target_rate=200000 " "$RES" | kv live_spans || true)
printf '%-78s %-28s %s\n' "  events lost at 200k events/s with live OTLP export beside the journal" "${dl:-n/a} (${sl:-n/a} spans live)" "(not a target)"

# (c) added peak RSS: median RSS per (config, rate) minus none's, the largest over rates
added_rss() {
  local config="$1" rate worst=0 n c
  for rate in $(grep "^t13pipe " "$RES" | kv rate | sort -u); do
    n=$(grep "^t13pipe config=none .* rate=$rate " "$RES" | kv rss_kb | median)
    c=$(grep "^t13pipe config=$config .* rate=$rate " "$RES" | kv rss_kb | median)
    worst=$(awk -v w="$worst" -v a="$c" -v b="$n" 'BEGIN {x=(a-b)/1024; print (x>w)?x:w}')
  done
  printf '%.0f\n' "$worst"
}
rj=$(added_rss journal)
rf=$(added_rss flight)
printf '%-78s %-28s %s\n' "added peak RSS, any rate (10k/50k items/s), journal: <= 64 MiB" "+${rj} MiB" "$(verdict "$rj" 64)"
printf '%-78s %-28s %s\n' "added peak RSS, any rate, flight mode (journal ring): <= 64 MiB" "+${rf} MiB" "$(verdict "$rf" 64)"

# (d) start-up added against the OpenTelemetry agent's
if [ -f "$R/startup.json" ] && command -v jq > /dev/null; then
  mean() { jq -r --arg c "$1" '.results[] | select(.command==$c) | .mean' "$R/startup.json"; }
  sn=$(mean none); sj=$(mean journal); sr=$(mean racetrace); so=$(mean otel)
else
  mean() { grep "^startup config=$1 .*wall_ms" "$RES" | kv wall_ms | median; }
  sn=$(mean none); sj=$(mean journal); sr=$(mean racetrace); so=$(mean otel)
fi
share() { awk -v x="$1" -v n="$sn" -v o="$so" 'BEGIN {if (x=="" || o-n<=0) print "nan"; else printf "%.3f\n", (x-n)/(o-n)}'; }
shj=$(share "$sj"); shr=$(share "$sr")
printf '%-78s %-28s %s\n' "start-up added, journal, vs the OTel agent's added: <= 0.15x" "${shj}x" "$(verdict "$shj" 0.15)"
printf '%-78s %-28s %s\n' "  the same with the span file exporter" "${shr}x" ""

# (e) analyzer
aw=$(grep "^t13analyze " "$RES" | kv wall_ms || true)
ae=$(grep "^t13analyze " "$RES" | kv events || true)
ac=$(grep "^t13analyze " "$RES" | awk '{for(i=1;i<=NF;i++){split($i,p,"="); if(p[1]=="user_s")u=p[2]; if(p[1]=="sys_s")s=p[2]} printf "%.1f\n", u+s}')
av=$(verdict "$aw" 10000)
if [ "${ae:-0}" -lt 1000000 ]; then av="$av (only ${ae:-0} events: QUICK)"; fi
printf '%-78s %-28s %s\n' "analyze of ${ae:-?} journal events: <= 10 s" "$(awk -v w="${aw:-0}" 'BEGIN {printf "%.1f", w/1000}') s wall, ${ac} s CPU" "$av"
