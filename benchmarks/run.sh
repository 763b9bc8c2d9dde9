#!/usr/bin/env bash
# Reproduces every figure in BENCHMARKS.md with one command, in about 12 minutes on 2 cores.
#
#   benchmarks/run.sh            full run: JDK 17 (the default java) and, if installed, JDK 25
#   benchmarks/run.sh --smoke    CI smoke check (< 1 minute after the build): compiles, then one
#                                very short iteration of every benchmark and main, on the current
#                                java only; checks that everything runs, asserts no timings
#
# Steps: build the benchmarks module (and what it needs) once; the CPython anchor where python3
# exists; then on each JDK: JMH (every benchmark in one run, with -prof gc) and its summary of
# ratios and targets, the non-blocking cycles again in CPU time (a cross-check that holds on a busy
# machine), the open-contexts scale main, and the processor-cost main. On JDK 25 the JMH run also
# measures the task group against StructuredTaskScope, a preview API there: that benchmark is
# compiled only by a JDK 25 build (the benchmarks module's structured-concurrency profile, into
# benchmarks/target/jdk25-classes), so the full run rebuilds with JDK 25 before its JDK 25 pass,
# and runs that pass with --enable-preview.
# Results (text, JSON, logs) go to benchmarks/target/results/; a full run also redraws the chart
# benchmarks/cycle-chart.svg that BENCHMARKS.md leads with (a smoke run draws it under results/).
#
# Options: --no-build (reuse the last build), --jdk17-only / --this-jdk-only (skip JDK 25).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=java-major.sh
source benchmarks/java-major.sh

mode=full
build=1
other_jdks=1
for arg in "$@"; do
  case "$arg" in
    --smoke) mode=smoke; other_jdks=0 ;;
    --no-build) build=0 ;;
    --jdk17-only|--this-jdk-only) other_jdks=0 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

results=benchmarks/target/results
started=$(date +%s)

if [ "$build" = 1 ]; then
  echo "::: building the benchmarks module"
  ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
fi
classpath="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
rm -rf "$results"
mkdir -p "$results"

if [ "$mode" = smoke ]; then
  # No fork: a smoke check needs no isolation, and forking 14 JVMs would take most of the minute.
  jmh_options=(--passes 1 -f 0 -wi 0 -i 1 -r 100ms -foe true)
  cpu_options=(--rounds 1 --batch-millis 5)
  scale_options=(--nonblocking 2000 --blocking 200)
  scale_heap=256m
  processor_options=(--methods 8 --classes 2 --warmups 0 --runs 1)
  python_options=(--cycles 2000 --repeats 1)
else
  # Two passes over the whole set, each benchmark with 1 fork, 2 warm-up iterations of 1 s and
  # 5 measured iterations of 0.2 s: a burst of other work on a shared machine then spoils one
  # pass of a benchmark, not all of it, and the summary's "best iteration" has 10 chances.
  # -Xbatch: each JIT compilation completes before the code runs on, so that warm-up means
  # compiled code even when the compiler threads get little CPU on a busy machine (this replaces
  # the @Fork annotations' extra arguments, so the heap settings are repeated).
  jmh_options=(--passes 2 -f 1 -wi 2 -w 1s -i 5 -r 200ms -jvmArgsAppend "-Xbatch -Xms1g -Xmx1g" -foe true)
  cpu_options=(--rounds 15)
  scale_options=()
  scale_heap=4g
  processor_options=(--methods 1000 --classes 50 --warmups 2 --runs 7)
  python_options=(--cycles 200000 --repeats 5)
fi

{
  echo "run.sh $mode, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$results/machine.txt"

python_json="$results/python.json"
if command -v python3 > /dev/null; then
  echo "::: CPython anchor ($(python3 --version 2>&1))"
  python3 benchmarks/python/anchor.py "${python_options[@]}" --out "$python_json" > /dev/null
else
  echo "::: no python3 here: the CPython anchor is skipped"
fi

run_on() {
  local java=$1
  local major
  major=$(java_major "$java")
  local label="jdk-$major"
  # JDK 25: the StructuredTaskScope benchmark joins the run, with preview features enabled in the
  # JMH JVM and in its forks (JMH reads the benchmark lists of both class folders). Its class files
  # use JDK 25's preview features, which only a JDK 25 runs.
  local jmh_classpath=$classpath
  local preview=()
  local options=("${jmh_options[@]}")
  if [ "$major" -eq 25 ]; then
    if [ -f benchmarks/target/jdk25-classes/META-INF/BenchmarkList ]; then
      jmh_classpath="benchmarks/target/jdk25-classes:$classpath"
      preview=(--enable-preview)
      for i in "${!options[@]}"; do
        if [ "${options[$i]}" = -jvmArgsAppend ]; then
          options[$((i + 1))]="${options[$((i + 1))]} --enable-preview"
        fi
      done
    else
      echo "::: no JDK 25 build of the StructuredTaskScope benchmark: it is left out"
    fi
  fi
  echo "::: [$(( $(date +%s) - started )) s] JMH on $label: $("$java" -version 2>&1 | head -n 1)"
  "$java" "${preview[@]}" -cp "$jmh_classpath" dev.asyncwith.benchmarks.RunBenchmarks \
    --summary "$results/summary-$label.txt" --table "$results/table-$label.tsv" \
    --python "$python_json" \
    "${options[@]}" -prof gc -rf json -rff "$results/jmh-$label.json" \
    > "$results/jmh-$label.log" 2>&1 || { tail -n 60 "$results/jmh-$label.log"; return 1; }
  cat "$results/summary-$label.txt"
  echo "::: [$(( $(date +%s) - started )) s] non-blocking cycles in CPU time on $label"
  "$java" -Xbatch -cp "$classpath" dev.asyncwith.benchmarks.CycleCpuTime --python "$python_json" \
    "${cpu_options[@]}" --out "$results/cpu-time-$label.txt"
  echo "::: [$(( $(date +%s) - started )) s] open contexts on $label"
  # Heap pre-touched, so the resident set grows only by memory outside the heap (thread stacks).
  "$java" -Xms$scale_heap -Xmx$scale_heap -XX:+AlwaysPreTouch -cp "$classpath" dev.asyncwith.benchmarks.OpenContexts \
    "${scale_options[@]}" --out "$results/open-contexts-$label.txt"
  echo "::: [$(( $(date +%s) - started )) s] processor cost on $label"
  "$java" -Xms2g -Xmx2g -cp "$classpath" dev.asyncwith.benchmarks.ProcessorCost \
    "${processor_options[@]}" --work benchmarks/target/processor-cost \
    --out "$results/processor-cost-$label.txt"
}

run_on java
if [ "$other_jdks" = 1 ]; then
  jdk25=/usr/lib/jvm/temurin-25-jdk-amd64
  if [ -x "$jdk25/bin/java" ]; then
    if [ "$build" = 1 ]; then
      # Rebuilt by JDK 25, so that its profile compiles the StructuredTaskScope benchmark; every
      # other class is still compiled for release 17.
      echo "::: [$(( $(date +%s) - started )) s] building the benchmarks module again with JDK 25"
      JAVA_HOME=$jdk25 PATH="$jdk25/bin:$PATH" ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
    fi
    run_on "$jdk25/bin/java"
  else
    echo "::: no JDK 25 at $jdk25: measured on the default JDK only"
  fi
fi

# The chart BENCHMARKS.md leads with, drawn from this run's tables: a full run replaces the
# committed one; a smoke run draws it under target/ only, to check that it draws.
chart=benchmarks/cycle-chart.svg
[ "$mode" = full ] || chart="$results/cycle-chart.svg"
chart_tables=()
for table in "$results"/table-jdk-*.tsv; do
  [ -f "$table" ] || continue
  major=${table##*/table-jdk-}
  chart_tables+=("JDK ${major%.tsv}=$table")
done
java -cp "$classpath" dev.asyncwith.benchmarks.CycleChart --out "$chart" --python "$python_json" \
  "${chart_tables[@]}"
echo "::: chart: $chart"

echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$results/machine.txt"
echo "::: done in $(( $(date +%s) - started )) s; results in $results/"
