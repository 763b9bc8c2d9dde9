#!/usr/bin/env bash
# Measures the runtime as it was at a git revision against the working tree, side by side, in one
# session: the before and after of a change to the engine. About 8 minutes on 2 cores.
#
#   benchmarks/before-after.sh REV [--jdk17-only] [--quick]
#
# Builds REV's benchmarks module in a git worktree under benchmarks/target/before-tree (nothing is
# installed anywhere) and the working tree's, then on JDK 17 and, if installed, JDK 25:
#   - JMH on the one-thread cycles (floor, hand-written use, generated use, Reactor, with of two,
#     exit stack of ten) with -prof gc, in four passes alternating before, after, before, after, so
#     that a burst of other work spoils one pass of each side rather than one side;
#   - the non-blocking cycles in CPU time (CycleCpuTime), before then after;
#   - the heap per open context (OpenContexts, 1,000,000 non-blocking), before then after.
# Writes benchmarks/target/results/before-after-jdk-N.txt: each JMH benchmark's best iteration and
# bytes per cycle on both sides, and the ratio to the floor measured by the same side, followed by
# the CPU-time and open-context reports of both sides as the tools print them. --quick checks that
# the script runs (seconds per step, figures meaningless).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=java-major.sh
source benchmarks/java-major.sh

if [ $# -lt 1 ]; then
  sed -n '2,16p' "$0"
  exit 2
fi
rev=$1
shift
other_jdks=1
quick=0
for arg in "$@"; do
  case "$arg" in
    --jdk17-only) other_jdks=0 ;;
    --quick) quick=1 ;;
    *) echo "before-after.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

results=benchmarks/target/results
before=benchmarks/target/before-tree
mkdir -p "$results"

echo "::: building $rev's benchmarks in $before"
if [ -d "$before" ]; then
  git worktree remove --force "$before"
fi
git worktree add --detach -q "$before" "$rev"
(cd "$before" && ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests)
echo "::: building the working tree's benchmarks"
./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests

cycles='CycleBenchmark\.(floor|handWrittenUse|generatedUse|reactorUsingWhen|withTwo|exitStackOfTen)$'
jmh_options=(-f 1 -wi 2 -w 1s -i 5 -r 200ms -jvmArgsAppend "-Xbatch -Xms1g -Xmx1g" -foe true -prof gc)
cpu_options=(--rounds 10)
open_options=(--blocking 100)
heap=4g
if [ "$quick" = 1 ]; then
  jmh_options=(-f 0 -wi 0 -i 1 -r 100ms -foe true -prof gc)
  cpu_options=(--rounds 1 --batch-millis 5)
  open_options=(--nonblocking 2000 --blocking 10)
  heap=256m
fi

classpath_of() {
  echo "$1/benchmarks/target/classes:$(cat "$1/benchmarks/target/classpath.txt")"
}

compare_on() {
  local java=$1
  local major
  major=$(java_major "$java")
  local out="$results/before-after-jdk-$major.txt"
  local work="$results/before-after-jdk-$major"
  rm -rf "$work"
  mkdir -p "$work"
  local pass side tree
  for pass in 1 2; do
    for side in before after; do
      tree=$([ "$side" = before ] && echo "$before" || echo .)
      echo "::: JDK $major, JMH pass $pass, $side"
      "$java" -cp "$(classpath_of "$tree")" dev.asyncwith.benchmarks.RunBenchmarks \
        --summary "$work/summary-$side-$pass.txt" --table "$work/table-$side-$pass.tsv" \
        "$cycles" "${jmh_options[@]}" > "$work/jmh-$side-$pass.log" 2>&1 \
        || { tail -n 40 "$work/jmh-$side-$pass.log"; return 1; }
    done
  done
  for side in before after; do
    tree=$([ "$side" = before ] && echo "$before" || echo .)
    echo "::: JDK $major, CPU time and open contexts, $side"
    "$java" -Xbatch -cp "$(classpath_of "$tree")" dev.asyncwith.benchmarks.CycleCpuTime \
      "${cpu_options[@]}" --out "$work/cpu-time-$side.txt" > /dev/null
    "$java" -Xms$heap -Xmx$heap -XX:+AlwaysPreTouch -cp "$(classpath_of "$tree")" \
      dev.asyncwith.benchmarks.OpenContexts "${open_options[@]}" --out "$work/open-contexts-$side.txt" \
      > /dev/null
  done
  {
    echo "asyncwith before ($rev, $(git rev-parse --short "$rev")) and after ($(git rev-parse --short HEAD)$(git diff --quiet HEAD -- runtime || echo ', with uncommitted changes')), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    "$java" -version 2>&1 | head -n 1
    echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "JMH: $cycles ${jmh_options[*]}; 4 passes, before/after alternating; best iteration of each side's 2 passes"
    echo
    # Each table line: name, mode, best, mean, bytes per operation.
    awk -F'\t' '
      FNR == 1 { side = (FILENAME ~ /table-before-/) ? "before" : "after" }
      {
        name = $1; sub(/.*\./, "", name)
        key = side SUBSEP name
        if (!(key in best) || $3 + 0 < best[key]) best[key] = $3 + 0
        bytes[key] = $5
        names[name] = 1
      }
      END {
        printf "%-18s %12s %9s %10s %12s %9s %10s %9s\n", "benchmark", "before ns", "x floor", "before B", "after ns", "x floor", "after B", "after/before"
        for (name in names) {
          b = best["before" SUBSEP name]; a = best["after" SUBSEP name]
          fb = best["before" SUBSEP "floor"]; fa = best["after" SUBSEP "floor"]
          printf "%-18s %12.1f %8.2fx %10s %12.1f %8.2fx %10s %8.2fx\n", name, b, b / fb, bytes["before" SUBSEP name], a, a / fa, bytes["after" SUBSEP name], a / b
        }
      }' "$work"/table-*.tsv | { read -r header; echo "$header"; sort; }
    for side in before after; do
      echo
      echo "--- CPU time, $side"
      cat "$work/cpu-time-$side.txt"
      echo
      echo "--- open contexts, $side"
      cat "$work/open-contexts-$side.txt"
    done
  } > "$out"
  cat "$out"
}

compare_on java
if [ "$other_jdks" = 1 ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  compare_on /usr/lib/jvm/temurin-25-jdk-amd64/bin/java
fi
git worktree remove --force "$before"
echo "::: results in $results/before-after-jdk-*.txt"
