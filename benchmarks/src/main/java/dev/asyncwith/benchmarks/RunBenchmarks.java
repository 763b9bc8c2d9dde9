package dev.asyncwith.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Runs the JMH benchmarks in one run, so their ratios hold on a noisy machine, then writes a
 * summary: ratios to the hand-written floor first, absolute figures beside, and each of issue 5's
 * targets marked met or missed; then the task group per child against {@code allOf} (and, on JDK 25,
 * {@code StructuredTaskScope}), with issue 12's target.
 *
 * <p>Usage: {@code RunBenchmarks [--summary FILE] [--table FILE] [--python FILE] [--passes N]
 * [JMH options...]}.
 * Every argument other than its own goes to JMH as on its command line (for example
 * {@code -prof gc -rf json -rff FILE}). {@code --passes N} runs the whole set N times, one after
 * the other, and pools each benchmark's iterations: a burst of other work on a shared machine
 * then disturbs one pass of a benchmark rather than all of it (each pass writes its own result
 * file, {@code FILE-passK.json}). {@code --python} names the JSON that
 * {@code python/anchor.py} wrote; without it, or where the file does not exist, the CPython rows
 * are left out. {@code --table} also writes every benchmark's figures as tab-separated lines
 * (name, JMH mode, best iteration, mean, bytes per operation or {@code -}), for {@link CycleChart}.
 */
public final class RunBenchmarks {
  private static final String CYCLE = CycleBenchmark.class.getName() + ".";
  private static final String THROUGHPUT = ThroughputBenchmark.class.getName() + ".";
  private static final String CALL = CallBenchmark.class.getName() + ".";
  private static final String ALLOCATION = "gc.alloc.rate.norm";
  private static final String TASK_GROUP = TaskGroupBenchmark.class.getName() + ".";
  /** Compiled and run on JDK 25 only (a preview API), so named rather than referred to. */
  private static final String STRUCTURED =
      "dev.asyncwith.benchmarks.structured.StructuredTaskScopeBenchmark.";
  /** The children counts the task-group benchmarks run with. */
  private static final List<String> CHILDREN = List.of("10", "1000");

  private RunBenchmarks() {}

  /**
   * Runs JMH and writes the summary.
   *
   * @param args the options described on the class
   * @throws Exception if JMH fails, or the summary cannot be written
   */
  public static void main(String[] args) throws Exception {
    Path summaryFile = null;
    Path tableFile = null;
    Path pythonFile = null;
    int passes = 1;
    List<String> jmhArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--summary") && i + 1 < args.length) {
        summaryFile = Path.of(args[++i]);
      } else if (args[i].equals("--table") && i + 1 < args.length) {
        tableFile = Path.of(args[++i]);
      } else if (args[i].equals("--python") && i + 1 < args.length) {
        pythonFile = Path.of(args[++i]);
      } else if (args[i].equals("--passes") && i + 1 < args.length) {
        passes = Integer.parseInt(args[++i]);
      } else {
        jmhArgs.add(args[i]);
      }
    }
    String loadBefore = Machine.load();
    Map<String, List<RunResult>> results = new LinkedHashMap<>();
    for (int pass = 1; pass <= passes; pass++) {
      List<String> passArgs = passes == 1 ? jmhArgs : withPassSuffix(jmhArgs, pass);
      Collection<RunResult> passResults =
          new Runner(new CommandLineOptions(passArgs.toArray(String[]::new))).run();
      for (RunResult result : passResults) {
        results.computeIfAbsent(key(result.getParams()), k -> new ArrayList<>()).add(result);
      }
    }
    Optional<PythonAnchor> python =
        pythonFile == null ? Optional.empty() : PythonAnchor.read(pythonFile);
    Map<String, Measurement> byName = new TreeMap<>();
    results.forEach((name, runs) -> byName.put(name, Measurement.of(runs)));
    String summary = summarise(byName, python, loadBefore, passes, String.join(" ", jmhArgs));
    System.out.println();
    System.out.println(summary);
    if (summaryFile != null) {
      Files.createDirectories(summaryFile.toAbsolutePath().getParent());
      Files.writeString(summaryFile, summary);
    }
    if (tableFile != null) {
      Files.createDirectories(tableFile.toAbsolutePath().getParent());
      Files.writeString(tableFile, table(byName));
    }
  }

  /** Every benchmark's figures, one tab-separated line each. */
  private static String table(Map<String, Measurement> byName) {
    StringBuilder out = new StringBuilder();
    byName.forEach((name, result) -> out.append(String.format(Locale.ROOT,
        "%s\t%s\t%.3f\t%.3f\t%s%n",
        name, result.params().getMode().shortLabel(), best(result), result.mean(),
        allocation(result).map(b -> String.format(Locale.ROOT, "%.1f", b)).orElse("-"))));
    return out.toString();
  }

  /**
   * A benchmark's name, followed by its parameters where it has any ({@code
   * ...TaskGroupBenchmark.groupDone:children=10}), so that each parameter set is measured apart.
   */
  private static String key(BenchmarkParams params) {
    StringBuilder key = new StringBuilder(params.getBenchmark());
    for (String param : params.getParamsKeys()) {
      key.append(':').append(param).append('=').append(params.getParam(param));
    }
    return key.toString();
  }

  /** Names each pass's result file apart: {@code -rff x.json} becomes {@code x-pass2.json}. */
  private static List<String> withPassSuffix(List<String> jmhArgs, int pass) {
    List<String> copy = new ArrayList<>(jmhArgs);
    int file = copy.indexOf("-rff") + 1;
    if (file > 0 && file < copy.size()) {
      String name = copy.get(file);
      int dot = name.lastIndexOf('.');
      copy.set(file, dot < 0 ? name + "-pass" + pass
          : name.substring(0, dot) + "-pass" + pass + name.substring(dot));
    }
    return copy;
  }

  private static String summarise(
      Map<String, Measurement> byName,
      Optional<PythonAnchor> python,
      String loadBefore,
      int passes,
      String jmhArgs) {
    StringBuilder out = new StringBuilder();
    out.append("asyncwith benchmarks, ").append(Machine.now()).append('\n');
    out.append(Machine.jdk()).append('\n');
    out.append(Machine.host()).append(" (at the end; at the start: ").append(loadBefore)
        .append(")\n");
    out.append("JMH options: ").append(jmhArgs.isEmpty() ? "(the annotations' defaults)" : jmhArgs)
        .append("; passes over the whole set: ").append(passes).append("\n\n");

    Measurement floor = byName.get(CYCLE + "floor");
    out.append("One cycle on one thread (enter, an already-complete block, exit); lower is better.\n"
        + "best = the fastest measured iteration of all passes (timeit's convention, robust to"
        + " other work on the machine);\nmean = over all measured iterations of all passes, with"
        + " its 99.9% confidence half-width.\n");
    out.append(String.format(Locale.ROOT, "%-18s %8s %11s %9s %11s %12s %8s %9s%n",
        "benchmark", "x floor", "best ns", "x floor", "mean ns", "+/- (99.9%)", "B/cycle",
        "x floor B"));
    out.append(String.format(Locale.ROOT, "%-18s %8s %11s %9s %11s %12s %8s %9s%n",
        "", "(best)", "", "(mean)", "", "", "", ""));
    for (Map.Entry<String, Measurement> entry : byName.entrySet()) {
      if (!entry.getKey().startsWith(CYCLE)) {
        continue;
      }
      Measurement result = entry.getValue();
      out.append(String.format(Locale.ROOT, "%-18s %8s %11.1f %9s %11.1f %12.1f %8s %9s%n",
          entry.getKey().substring(CYCLE.length()),
          ratio(best(result), floor == null ? Double.NaN : best(floor)),
          best(result),
          ratio(result.mean(), floor == null ? Double.NaN : floor.mean()),
          result.mean(),
          result.error(),
          bytes(result),
          ratio(allocation(result).orElse(Double.NaN),
              floor == null ? Double.NaN : allocation(floor).orElse(Double.NaN))));
    }
    perResource(out, byName);
    callCycles(out, byName);

    boolean anyThroughput = byName.keySet().stream().anyMatch(k -> k.startsWith(THROUGHPUT));
    if (anyThroughput) {
      out.append("\nThroughput with every core busy (cycles per ms, all threads together); higher is"
          + " better\n");
      out.append(String.format(Locale.ROOT, "%-26s %8s %12s %12s %12s %10s%n",
          "benchmark", "threads", "best/ms", "mean/ms", "+/- (99.9%)", "B/cycle"));
      for (Map.Entry<String, Measurement> entry : byName.entrySet()) {
        if (!entry.getKey().startsWith(THROUGHPUT)) {
          continue;
        }
        Measurement result = entry.getValue();
        out.append(String.format(Locale.ROOT, "%-26s %8d %12.1f %12.1f %12.1f %10s%n",
            entry.getKey().substring(THROUGHPUT.length()),
            result.params().getThreads(),
            best(result),
            result.mean(),
            result.error(),
            bytes(result)));
      }
    }
    python.ifPresent(anchor -> out.append(String.format(Locale.ROOT,
        "%n%s on this machine (python/anchor.py, minimum of the repeats, ns/cycle):%n"
            + "  floor (try/finally) %.1f, @asynccontextmanager %.1f, class-based %.1f%n",
        anchor.python(), anchor.floorNanos(), anchor.asyncContextManagerNanos(),
        anchor.classBasedNanos())));
    python.filter(anchor -> !Double.isNaN(anchor.contextManagerNanos())).ifPresent(anchor ->
        out.append(String.format(Locale.ROOT,
            "  synchronous: floor (try/finally) %.1f, @contextmanager %.1f%n",
            anchor.syncFloorNanos(), anchor.contextManagerNanos())));
    targets(out, byName, python);
    callTargets(out, byName, python);
    taskGroup(out, byName);
    if (Machine.feature() < 21) {
      out.append("\nNote: on JDK ").append(Machine.feature()).append(" JMH's gc profiler counts"
          + " only threads alive at the end of an iteration, so the blocking rows' B/cycle leave"
          + " out what the short-lived generator threads allocated.\n");
    }
    return out.toString();
  }

  private static void perResource(StringBuilder out, Map<String, Measurement> byName) {
    Measurement single = byName.get(CYCLE + "handWrittenUse");
    Measurement two = byName.get(CYCLE + "withTwo");
    Measurement ten = byName.get(CYCLE + "exitStackOfTen");
    if (single == null || (two == null && ten == null)) {
      return;
    }
    out.append("\nPer resource (best iterations), against one hand-written resource through use ("
        + String.format(Locale.ROOT, "%.1f", best(single)) + " ns):\n");
    if (two != null) {
      double perResource = best(two) / 2 / best(single);
      target(out, perResource <= 1.5, String.format(Locale.ROOT,
          "AsyncWith.with of 2 <= 1.5x per resource (issue 13): %.1f ns per resource (%.2fx)",
          best(two) / 2, perResource));
    }
    if (ten != null) {
      double perResource = best(ten) / CycleBenchmark.STACK_SIZE / best(single);
      target(out, perResource <= 1.5, String.format(Locale.ROOT,
          "AsyncExitStack of %d <= 1.5x per resource (issue 13): %.1f ns per resource (%.2fx),"
              + " the stack's own enter/exit included",
          CycleBenchmark.STACK_SIZE, best(ten) / CycleBenchmark.STACK_SIZE, perResource));
    }
  }

  private static void targets(
      StringBuilder out, Map<String, Measurement> byName, Optional<PythonAnchor> python) {
    Measurement floor = byName.get(CYCLE + "floor");
    Measurement generated = byName.get(CYCLE + "generatedUse");
    Measurement reactor = byName.get(CYCLE + "reactorUsingWhen");
    Measurement blocking = byName.get(CYCLE + "generatedBlocking");
    Measurement handOff = byName.get(CYCLE + "handOffBaseline");
    Measurement inFlight = byName.get(THROUGHPUT + "generatedBlockingInFlight");
    out.append("\nIssue 5 and 13 targets (this run; times are the best iterations, as for"
        + " CPython):\n");
    if (floor != null && generated != null) {
      double time = best(generated) / best(floor);
      target(out, time <= 1.25, String.format(Locale.ROOT,
          "generated non-blocking cycle <= 1.25x the floor: %.2fx (%.1f vs %.1f ns)",
          time, best(generated), best(floor)));
      Optional<Double> generatedBytes = allocation(generated);
      Optional<Double> floorBytes = allocation(floor);
      if (generatedBytes.isPresent() && floorBytes.isPresent()) {
        double bytes = generatedBytes.get() / floorBytes.get();
        target(out, bytes <= 2.0, String.format(Locale.ROOT,
            "its allocation <= 2x the floor's: %.2fx (%.0f vs %.0f B/cycle)",
            bytes, generatedBytes.get(), floorBytes.get()));
      } else {
        out.append("  [n/a]    allocation: run with -prof gc to measure it\n");
      }
    }
    if (generated != null && reactor != null) {
      target(out, best(reactor) / best(generated) >= 3, String.format(Locale.ROOT,
          "Reactor Mono.usingWhen at least 3x slower (issue 5: slower): %.1f vs %.1f ns (%.2fx)",
          best(generated), best(reactor), best(reactor) / best(generated)));
    }
    ruleMinimum(out, floor, generated, reactor, byName);
    if (python.isPresent() && generated != null) {
      double acm = python.get().asyncContextManagerNanos();
      target(out, acm / best(generated) >= 10, String.format(Locale.ROOT,
          ">= 10x faster than CPython's @asynccontextmanager: %.1fx (%.1f vs %.1f ns)",
          acm / best(generated), best(generated), acm));
    }
    if (python.isPresent() && blocking != null) {
      double acm = python.get().asyncContextManagerNanos();
      String threads = EngineThreads.kind();
      String suffix = threads.equals("virtual") ? "" : " [platform threads: the target is for"
          + " virtual threads, shown for reference]";
      target(out, best(blocking) <= acm, String.format(Locale.ROOT,
          "blocking style, one cycle at a time, no slower than CPython's @asynccontextmanager:"
              + " %.1f vs %.1f ns (%.2fx)%s",
          best(blocking), acm, best(blocking) / acm, suffix));
      if (inFlight != null) {
        double nanosPerCycle = 1e6 / best(inFlight);
        target(out, nanosPerCycle <= acm, String.format(Locale.ROOT,
            "blocking style, %d cycles in flight, no slower per cycle than CPython's"
                + " @asynccontextmanager: %.1f vs %.1f ns (%.2fx)%s",
            ThroughputBenchmark.IN_FLIGHT, nanosPerCycle, acm, nanosPerCycle / acm, suffix));
      }
    }
    if (blocking != null && handOff != null) {
      out.append(String.format(Locale.ROOT,
          "  [info]   blocking style against the hand-written hand-off: %.2fx (%.1f vs %.1f ns)%n",
          best(blocking) / best(handOff), best(blocking), best(handOff)));
    }
  }

  /**
   * How close to the floor any engine keeping the rules could come ({@link RuleMinimumLease}), and
   * the generated cycle and Reactor against that: the evidence for the issue 13 targets that no
   * engine can reach.
   */
  private static void ruleMinimum(
      StringBuilder out,
      Measurement floor,
      Measurement generated,
      Measurement reactor,
      Map<String, Measurement> byName) {
    Measurement minimum = byName.get(CYCLE + "ruleMinimum");
    Measurement plain = byName.get(CYCLE + "ruleMinimumPlain");
    if (floor == null || minimum == null || plain == null) {
      return;
    }
    out.append(String.format(Locale.ROOT,
        "  [info]   the rule minimum (RuleMinimumLease: only what the rules add to the floor):"
            + " %.2fx the floor (%.1f ns), %s B/cycle; with plain claims instead of atomic ones"
            + " (breaks single use and yield-once under races) %.2fx (%.1f ns), %s B/cycle%n",
        best(minimum) / best(floor), best(minimum), bytes(minimum),
        best(plain) / best(floor), best(plain), bytes(plain)));
    if (generated != null) {
      out.append(String.format(Locale.ROOT,
          "  [info]   generated non-blocking cycle against the rule minimum: %.2fx%n",
          best(generated) / best(minimum)));
    }
    if (reactor != null) {
      out.append(String.format(Locale.ROOT,
          "  [info]   Reactor Mono.usingWhen against the rule minimum: %.2fx (the most any engine"
              + " keeping the rules could be faster)%n",
          best(reactor) / best(minimum)));
    }
  }

  /** A measurement's bytes per operation, as the summary prints them, or "-" without -prof gc. */
  private static String bytes(Measurement measurement) {
    return allocation(measurement).map(b -> String.format(Locale.ROOT, "%.0f", b)).orElse("-");
  }

  /** The synchronous cycles ({@link CallBenchmark}), against their hand-written floor. */
  private static void callCycles(StringBuilder out, Map<String, Measurement> byName) {
    Measurement floor = byName.get(CALL + "handWrittenTryFinally");
    boolean any = byName.keySet().stream().anyMatch(k -> k.startsWith(CALL));
    if (!any) {
      return;
    }
    out.append("\nOne synchronous cycle through call (Python's with), against a hand-written"
        + " manager object with try/finally; lower is better\n");
    out.append(String.format(Locale.ROOT, "%-22s %8s %11s %11s %12s %8s%n",
        "benchmark", "x floor", "best ns", "mean ns", "+/- (99.9%)", "B/cycle"));
    for (Map.Entry<String, Measurement> entry : byName.entrySet()) {
      if (!entry.getKey().startsWith(CALL)) {
        continue;
      }
      Measurement result = entry.getValue();
      out.append(String.format(Locale.ROOT, "%-22s %8s %11.1f %11.1f %12.1f %8s%n",
          entry.getKey().substring(CALL.length()),
          ratio(best(result), floor == null ? Double.NaN : best(floor)),
          best(result),
          result.mean(),
          result.error(),
          bytes(result)));
    }
  }

  /** Issue 11's targets for the synchronous statement. */
  private static void callTargets(
      StringBuilder out, Map<String, Measurement> byName, Optional<PythonAnchor> python) {
    Measurement blocking = byName.get(CALL + "blockingCall");
    Measurement nonBlocking = byName.get(CALL + "nonBlockingCall");
    Measurement useJoin = byName.get(CALL + "nonBlockingUseJoin");
    Measurement floor = byName.get(CALL + "handWrittenTryFinally");
    if (blocking == null && nonBlocking == null) {
      return;
    }
    out.append("\nIssue 11 targets, the synchronous statement call (best iterations):\n");
    if (blocking != null && python.isPresent()
        && !Double.isNaN(python.get().contextManagerNanos())) {
      double cm = python.get().contextManagerNanos();
      target(out, cm / best(blocking) >= 50, String.format(Locale.ROOT,
          "blocking call >= 50x faster than CPython's @contextmanager cycle: %.1fx (%.1f vs %.1f"
              + " ns)",
          cm / best(blocking), best(blocking), cm));
    }
    if (blocking != null) {
      Optional<Double> bytes = allocation(blocking);
      if (bytes.isPresent()) {
        target(out, bytes.get() <= 64, String.format(Locale.ROOT,
            "blocking call allocates <= 64 B per cycle: %.0f B", bytes.get()));
      } else {
        out.append("  [n/a]    blocking call's allocation: run with -prof gc to measure it\n");
      }
    }
    if (nonBlocking != null && useJoin != null) {
      double time = best(nonBlocking) / best(useJoin);
      target(out, time <= 1.25, String.format(Locale.ROOT,
          "non-blocking call <= 1.25x its use(...).join(): %.2fx (%.1f vs %.1f ns)",
          time, best(nonBlocking), best(useJoin)));
    }
    if (blocking != null && floor != null) {
      out.append(String.format(Locale.ROOT,
          "  [info]   blocking call against the hand-written try/finally floor: %.2fx (%.1f vs"
              + " %.1f ns; %s vs %s B/cycle)%n",
          best(blocking) / best(floor), best(blocking), best(floor),
          bytes(blocking),
          bytes(floor)));
    }
  }

  /**
   * The task group against {@code allOf} over the same stages, and against {@code
   * StructuredTaskScope} where that ran (JDK 25), per child; with issue 12's target.
   */
  private static void taskGroup(StringBuilder out, Map<String, Measurement> byName) {
    if (byName.keySet().stream().noneMatch(k -> k.startsWith(TASK_GROUP) || k.startsWith(STRUCTURED))) {
      return;
    }
    out.append("\nTask group: spawning and joining N children, ns per child (best iterations);"
        + " lower is better\n");
    out.append(String.format(Locale.ROOT, "%-34s %14s %14s%n", "benchmark", "N = 10", "N = 1000"));
    List<String> rows = List.of(
        TASK_GROUP + "groupDone", TASK_GROUP + "allOfDone", TASK_GROUP + "groupLater",
        TASK_GROUP + "allOfLater", TASK_GROUP + "groupBlocking", STRUCTURED + "groupBlocking",
        STRUCTURED + "structuredTaskScope");
    for (String row : rows) {
      if (CHILDREN.stream().noneMatch(n -> byName.containsKey(row + ":children=" + n))) {
        continue;
      }
      String label = (row.startsWith(STRUCTURED) ? "(JDK 25 run) " : "")
          + row.substring(row.lastIndexOf('.') + 1);
      out.append(String.format(Locale.ROOT, "%-34s", label));
      for (String n : CHILDREN) {
        Measurement result = byName.get(row + ":children=" + n);
        out.append(result == null ? String.format(Locale.ROOT, " %14s", "-")
            : String.format(Locale.ROOT, " %14.1f", best(result) / Integer.parseInt(n)));
      }
      out.append('\n');
    }
    out.append("Issue 12 target (this run; best iterations):\n");
    for (String n : CHILDREN) {
      Measurement group = byName.get(TASK_GROUP + "groupDone:children=" + n);
      Measurement allOf = byName.get(TASK_GROUP + "allOfDone:children=" + n);
      if (group != null && allOf != null) {
        double ratio = best(group) / best(allOf);
        target(out, ratio <= 2.0, String.format(Locale.ROOT,
            "task group per child <= 2x CompletableFuture.allOf's, N = %s children completed at"
                + " once: %.2fx (%.1f vs %.1f ns per child)",
            n, ratio, best(group) / Integer.parseInt(n), best(allOf) / Integer.parseInt(n)));
      }
      Measurement later = byName.get(TASK_GROUP + "groupLater:children=" + n);
      Measurement allOfLater = byName.get(TASK_GROUP + "allOfLater:children=" + n);
      if (later != null && allOfLater != null) {
        out.append(String.format(Locale.ROOT,
            "  [info]   N = %s children pending when spawned: %.2fx allOf's%n",
            n, best(later) / best(allOfLater)));
      }
      Measurement blocking = byName.get(STRUCTURED + "groupBlocking:children=" + n);
      Measurement scope = byName.get(STRUCTURED + "structuredTaskScope:children=" + n);
      if (blocking != null && scope != null) {
        out.append(String.format(Locale.ROOT,
            "  [info]   N = %s blocking children: %.2fx StructuredTaskScope's%n",
            n, best(blocking) / best(scope)));
      }
    }
  }

  private static void target(StringBuilder out, boolean met, String what) {
    out.append(met ? "  [MET]    " : "  [MISSED] ").append(what).append('\n');
  }

  /**
   * The best measured iteration: the lowest time per cycle, or the highest throughput. On a
   * machine shared with other work, the iteration least disturbed by it.
   */
  private static double best(Measurement result) {
    return result.params().getMode() == Mode.Throughput
        ? result.iterations().getMax()
        : result.iterations().getMin();
  }

  private static Optional<Double> allocation(Measurement result) {
    return result.allocation();
  }

  /**
   * One benchmark over every pass: the iterations' scores pooled, and the allocation per
   * operation averaged over the passes.
   */
  private record Measurement(
      BenchmarkParams params, ListStatistics iterations, Optional<Double> allocation) {

    static Measurement of(List<RunResult> passes) {
      ListStatistics iterations = new ListStatistics();
      double bytes = 0;
      int withBytes = 0;
      for (RunResult pass : passes) {
        for (BenchmarkResult fork : pass.getBenchmarkResults()) {
          for (IterationResult iteration : fork.getIterationResults()) {
            iterations.addValue(iteration.getPrimaryResult().getScore());
          }
        }
        Result<?> allocated = pass.getSecondaryResults().get(ALLOCATION);
        if (allocated != null) {
          bytes += allocated.getScore();
          withBytes++;
        }
      }
      return new Measurement(passes.get(0).getParams(), iterations,
          withBytes == 0 ? Optional.empty() : Optional.of(bytes / withBytes));
    }

    double mean() {
      return iterations.getMean();
    }

    double error() {
      return iterations.getN() > 2 ? iterations.getMeanErrorAt(0.999) : Double.NaN;
    }
  }

  private static String ratio(double value, double floor) {
    if (Double.isNaN(value) || Double.isNaN(floor) || floor <= 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.2fx", value / floor);
  }
}
