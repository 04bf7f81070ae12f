#!/usr/bin/env bash
# ser4j benchmarks: builds the JMH fat jar, times librosa on the same inputs, runs the JMH suite with -prof gc and
# writes benchmarks/RESULTS.md (tables, ratios ours / peer, machine description, load average before and after).
#
# Usage: benchmarks/run.sh [short|long] [extra JMH arguments, e.g. a benchmark regex]
#   short  ~15 minutes on 2 cores: 1 fork, 2 x 1 s warm-up, 3 x 1 s measurement per benchmark (+ target rows)
#   long   ~1.5 hours: 3 forks, 5 x 2 s warm-up, 10 x 2 s measurement (see README.md)
#   smoke  ~1 s per benchmark (1 x 1 s warm-up, 1 x 1 s measurement): checks that everything runs, numbers are rough
# Extra arguments go to JMH after the profile's (a regex selects benchmarks, -p name=v1,v2 narrows parameters; do not
# repeat -f/-wi/-w/-i/-r). A run with extra arguments writes target/run-<profile>/RESULTS.md, not RESULTS.md.
# Environment:
#   SKIP_BUILD=1     use the existing benchmarks/target/benchmarks.jar
#   SER4J_VENV=dir   Python environment with librosa (e.g. training/.venv; without it, benchmarks/target/venv is
#                    created from requirements.txt with pip's configured index)
#   JAVA=path        java executable (default: java on the PATH)
#   SKIP_LIBROSA=1   do not run the librosa peer
#   SKIP_PROFILE=1   do not profile MfccBench.ser4j and the 44.1 kHz end to end with JFR (adds ~40 s)
#   SKIP_EXTRAS=1    skip the steps after the suite (each also skipped when extra JMH arguments are given):
#                    the target rows again with 2 forks x 8 iterations (short profile, ~3 min), live latency
#                    (LiveLatencyHarness, ~2 min short / ~12 min long) and `ser analyze` of 44.1 kHz originals vs
#                    16 kHz copies (AnalyzeRatioHarness, ~2 min; needs ser-examples/target/ser.jar, built here)
#   SER4J_RUN_NOTE=text  a sentence printed under the machine table (e.g. what else was running)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
profile=${1:-short}
if [[ $# -gt 0 ]]; then shift; fi
case $profile in
  short) jmh_args=(-f 1 -wi 2 -w 1s -i 3 -r 1s) ;;
  long)  jmh_args=(-f 3 -wi 5 -w 2s -i 10 -r 2s) ;;
  smoke) jmh_args=(-f 1 -wi 1 -w 1s -i 1 -r 1s) ;;
  *) echo "usage: $0 [short|long|smoke] [extra JMH arguments]" >&2; exit 2 ;;
esac
java_bin=${JAVA:-java}
jar=$here/target/benchmarks.jar
out=$here/target/run-$profile
rm -rf "$out"
mkdir -p "$out"

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  echo "== building $jar"
  (cd "$root" && mvn -B -q -pl benchmarks,ser-examples -am package -DskipTests)
fi
if [[ ! -f $jar ]]; then
  echo "missing $jar: build it with (cd $root && mvn -B -pl benchmarks -am package -DskipTests)" >&2
  exit 1
fi

# Every peer single-threaded, like the JVM benchmarks.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1 VECLIB_MAXIMUM_THREADS=1

started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime | sed 's/.*load average[s]*: //')
echo "== load average before: $load_before"
awk -v l="${load_before%% *}" 'BEGIN { exit !(l >= 1.5) }' && \
  echo "   (the machine is busy: expect noisy, pessimistic numbers; prefer a run when uptime shows load < 1.5)"

# ---- machine description
cpu_model=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
cpu_family=$(lscpu 2>/dev/null | sed -n 's/^CPU family:[[:space:]]*//p' | head -1)
cpu_modelno=$(lscpu 2>/dev/null | sed -n 's/^Model:[[:space:]]*//p' | head -1)
simd=$(grep -o -w -E 'avx2|avx512f' /proc/cpuinfo 2>/dev/null | sort -u | paste -sd' ' || true)
hypervisor=$(lscpu 2>/dev/null | sed -n 's/^Hypervisor vendor:[[:space:]]*//p' | head -1)
sockets=$(lscpu 2>/dev/null | sed -n 's/^Socket(s):[[:space:]]*//p' | head -1)
cores_per=$(lscpu 2>/dev/null | sed -n 's/^Core(s) per socket:[[:space:]]*//p' | head -1)
threads_per=$(lscpu 2>/dev/null | sed -n 's/^Thread(s) per core:[[:space:]]*//p' | head -1)
cpus=$(getconf _NPROCESSORS_ONLN)  # not nproc: it obeys OMP_NUM_THREADS
os_name=$( (. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") || uname -s)
jvm=$("$java_bin" -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java\.\(vm\.name\|runtime\.version\|vm\.vendor\) = //p' | paste -sd' ')
jvm_flags=$("$java_bin" -XX:+PrintCommandLineFlags -version 2>&1 | head -1 | grep -o 'Use[A-Za-z]*GC' || true)
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "?")
if [[ -n $(git -C "$root" status --porcelain 2>/dev/null | head -1) ]]; then commit="$commit (with uncommitted changes)"; fi
{
  echo "profile=$profile"
  echo "jmh.args=${jmh_args[*]}${*:+ $*}"
  echo "cpu.model=${cpu_model:-unknown} (family ${cpu_family:-?}, model ${cpu_modelno:-?}${simd:+, $simd}${hypervisor:+, $hypervisor guest})"
  echo "cpu.cores=$cpus"
  echo "cpu.topology=$cpus online CPUs (${sockets:-?} socket(s) x ${cores_per:-?} core(s) x ${threads_per:-?} thread(s))"
  echo "mem=$(free -h 2>/dev/null | awk '/^Mem:/ {print $2}') RAM"
  echo "os=$os_name, $(uname -srm)"
  echo "jvm=$jvm${jvm_flags:+, $jvm_flags}"
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "git=$commit"
  echo "load.before=$load_before"
  # what else was running (lifetime CPU share from ps; the JMH forks have not started yet)
  echo "other.processes=$(ps -eo pcpu=,ni=,comm= --sort=-pcpu 2>/dev/null \
    | awk '$1 >= 5 && n < 5 { printf "%s%s (%s %% CPU, nice %s)", (n++ ? ", " : ""), $3, $1, $2 }')"
  echo "note=${SER4J_RUN_NOTE:-}"
} > "$out/machine.properties"

# ---- inputs shared with librosa
"$java_bin" -cp "$jar" io.github.ser4j.bench.signal.SignalDump "$out/signals" > "$out/signals.log"

# ---- librosa peer (outside JMH, same run)
if [[ ${SKIP_LIBROSA:-0} == 1 ]]; then
  echo "SKIP_LIBROSA=1 was set" > "$out/librosa-error.txt"
else
  venv=${SER4J_VENV:-$here/target/venv}
  if [[ ! -x $venv/bin/python ]]; then
    venv=$here/target/venv
    if [[ ! -x $venv/bin/python ]]; then
      echo "== creating $venv from requirements.txt"
      if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q -r "$here/requirements.txt"; } > "$out/pip.log" 2>&1; then
        echo "could not create the Python environment (see target/run-$profile/pip.log)" > "$out/librosa-error.txt"
        rm -rf "$venv"
      fi
    fi
  fi
  if [[ -x $venv/bin/python ]]; then
    echo "== librosa ($venv)"
    if ! "$venv/bin/python" "$here/librosa_bench.py" "$out/signals" "$out/librosa.json" "$profile" \
        2>&1 | tee "$out/librosa.log"; then
      echo "librosa_bench.py failed (see target/run-$profile/librosa.log)" > "$out/librosa-error.txt"
    fi
  fi
fi

# ---- JMH
echo "== JMH ${jmh_args[*]} -prof gc $*"
"$java_bin" -jar "$jar" "${jmh_args[@]}" -prof gc -rf json -rff "$out/jmh.json" "$@" 2>&1 | tee "$out/jmh.log" || true

# ---- where the MFCC time goes: JFR execution samples of one fork of MfccBench.ser4j (3 s)
extras=1
if [[ ${SKIP_EXTRAS:-0} == 1 || $# -gt 0 ]]; then extras=0; fi
pin=()
if command -v taskset > /dev/null; then pin=(taskset -c 0); fi

if [[ $extras == 1 && $profile == short ]]; then
  # the rows behind the targets, with enough forks and iterations for a 99.9 % interval near 10 % of the mean
  echo "== JMH, target rows: -f 2 -wi 3 -w 1s -i 8 -r 1s"
  "$java_bin" -jar "$jar" 'MfccBench.ser4j$|ResampleBench.ser4j$|EndToEndBench.wavToProbabilities$' -p seconds=3 \
    -f 2 -wi 3 -w 1s -i 8 -r 1s -prof gc -rf json -rff "$out/jmh-targets.json" > "$out/jmh-targets.log" 2>&1 \
    || echo "   (target rows failed: see $out/jmh-targets.log)"
fi

if [[ ${SKIP_PROFILE:-0} != 1 ]]; then
  # DebugNonSafepoints: samples are attributed to the inlined method and line that ran, not the nearest safepoint
  echo "== JFR profile of MfccBench.ser4j (3 s)"
  "$java_bin" -jar "$jar" 'MfccBench.ser4j$' -p seconds=3 -f 1 -wi 3 -w 1s -i 10 -r 1s \
    -jvmArgsAppend "-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints" \
    -prof "jfr:dir=$out/jfr;configName=profile" > "$out/jfr.log" 2>&1 || echo "   (JFR profile failed: see $out/jfr.log)"
  echo "== JFR profile of EndToEndBench (3 s, 44.1 kHz WAV)"
  "$java_bin" -jar "$jar" 'EndToEndBench.wavToProbabilities$' -p seconds=3 -p sampleRate=44100 -f 1 -wi 3 -w 1s \
    -i 10 -r 1s -jvmArgsAppend "-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints" \
    -prof "jfr:dir=$out/jfr-e2e44;configName=profile" > "$out/jfr-e2e44.log" 2>&1 \
    || echo "   (JFR profile failed: see $out/jfr-e2e44.log)"
fi
jfr_file=$(find "$out/jfr" -name '*.jfr' 2>/dev/null | head -1 || true)
jfr_e2e=$(find "$out/jfr-e2e44" -name '*.jfr' 2>/dev/null | head -1 || true)

if [[ $extras == 1 ]]; then
  live_seconds=120; live_warmup=30
  if [[ $profile == long ]]; then live_seconds=600; live_warmup=120; fi
  if [[ $profile == smoke ]]; then live_seconds=20; live_warmup=5; fi
  echo "== live latency (LiveLatencyHarness, 44.1 kHz, 10 ms reads, ${live_seconds} s, one core)"
  "${pin[@]}" "$java_bin" -cp "$jar" io.github.ser4j.bench.soak.LiveLatencyHarness --rate 44100 --chunk-ms 10 \
    --seconds "$live_seconds" --warmup-seconds "$live_warmup" > "$out/live.txt" 2> "$out/live.log" \
    || echo "   (live latency failed: see $out/live.log)"
  cat "$out/live.txt" 2> /dev/null || true
  cli=$root/ser-examples/target/ser.jar
  if [[ -f $cli ]]; then
    clips=240; rounds=3
    if [[ $profile == smoke ]]; then clips=20; rounds=1; fi
    echo "== ser analyze, 44.1 kHz originals vs 16 kHz copies ($clips clips, $rounds rounds, one core)"
    "${pin[@]}" "$java_bin" -cp "$jar" io.github.ser4j.bench.soak.AnalyzeRatioHarness --cli "$cli" \
      --dir "$out/analyze" --clips "$clips" --rounds "$rounds" > "$out/analyze.properties" 2> "$out/analyze.log" \
      || echo "   (analyze ratio failed: see $out/analyze.log)"
    cat "$out/analyze.properties" 2> /dev/null || true
  else
    echo "missing $cli (build ser-examples)" > "$out/analyze.log"
  fi
fi

load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime | sed 's/.*load average[s]*: //')
elapsed=$(( $(date +%s) - started ))
{
  echo "load.after=$load_after"
  echo "duration=$((elapsed / 60)) min $((elapsed % 60)) s (librosa + JMH + target rows + JFR profiles + live + analyze)"
} >> "$out/machine.properties"
echo "== load average after: $load_after; $((elapsed / 60)) min $((elapsed % 60)) s"

# A partial run (extra JMH arguments) does not overwrite the committed RESULTS.md.
report=$here/RESULTS.md
if [[ $# -gt 0 ]]; then report=$out/RESULTS.md; fi
"$java_bin" -cp "$jar" io.github.ser4j.bench.report.ResultsReport --jmh "$out/jmh.json" --log "$out/jmh.log" \
  --librosa "$out/librosa.json" --librosa-error "$out/librosa-error.txt" --machine "$out/machine.properties" \
  ${jfr_file:+--jfr "$jfr_file"} ${jfr_e2e:+--jfr-e2e "$jfr_e2e"} --jmh-targets "$out/jmh-targets.json" \
  --live "$out/live.txt" --analyze "$out/analyze.properties" --out "$report"
