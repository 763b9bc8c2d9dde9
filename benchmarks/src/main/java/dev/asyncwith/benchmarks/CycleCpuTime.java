package dev.asyncwith.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The non-blocking cycles of {@link CycleBenchmark}, and the synchronous cycles of {@link
 * CallBenchmark} (which run on the calling thread alone), again, timed in the calling thread's CPU time
 * instead of wall-clock time: a cross-check of JMH's ratios that holds up on a machine shared with
 * other work, because time the thread spends descheduled is not counted.
 *
 * <p>Each round runs every variant for a batch of cycles, in an order rotated from round to round,
 * and records CPU nanoseconds per cycle; the report gives each variant's best and median round and
 * its ratio to the floor's. CPU time leaves out what other threads do for the cycle (the garbage
 * collector, mainly), so the allocation figures of the JMH run stay the measure of that; the
 * blocking cycles, whose cost is mostly other threads and waiting, are left to JMH.
 *
 * <p>Usage: {@code CycleCpuTime [--rounds N] [--batch-millis N] [--python FILE] [--out FILE]};
 * {@code --python} names the JSON of {@code python/anchor.py}, whose CPU-time figure the report
 * then sets beside the generated cycle's. Run it with
 * {@code -Xbatch} on a busy machine (see the warm-up).
 */
public final class CycleCpuTime {
  private static final String[] VARIANTS = {
    "floor", "handWrittenUse", "generatedUse", "reactorUsingWhen", "withTwo", "exitStackOfTen",
    "call: tryFinally", "call: blocking", "call: nonBlocking", "call: useJoin",
  };

  /** The synchronous cycles of {@link CallBenchmark}, variants 6 to 9. */
  private static final CallBenchmark CALLS = new CallBenchmark();

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Keeps the cycles' values alive, so that no cycle can be optimised away. */
  private static long sink;

  private CycleCpuTime() {}

  /**
   * Measures and prints the table.
   *
   * @param args the options described on the class
   * @throws Exception if a cycle fails, or the report cannot be written
   */
  public static void main(String[] args) throws Exception {
    int rounds = 15;
    long batchMillis = 40;
    Path outFile = null;
    Path pythonFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--batch-millis" -> batchMillis = Long.parseLong(args[++i]);
        case "--out" -> outFile = Path.of(args[++i]);
        case "--python" -> pythonFile = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (!THREADS.isCurrentThreadCpuTimeSupported()) {
      throw new IllegalStateException("this JVM cannot read a thread's CPU time");
    }
    CycleBenchmark bench = new CycleBenchmark();
    int variants = VARIANTS.length;
    // Warm-up by count, not by time: on a busy machine the JIT compiler threads get little CPU, so
    // run.sh also starts this JVM with -Xbatch, which makes each compilation finish before the
    // code runs on. Then a batch size per variant that takes about batchMillis of CPU time.
    for (int v = 0; v < variants; v++) {
      cpuNanos(bench, v, 300_000);
    }
    int[] batch = new int[variants];
    for (int v = 0; v < variants; v++) {
      int cycles = 1_000;
      long spent;
      do {
        cycles *= 2;
        spent = cpuNanos(bench, v, cycles);
      } while (spent < batchMillis * 1_000_000L / 4);
      batch[v] = (int) Math.max(1_000, cycles * (batchMillis * 1_000_000L) / Math.max(1, spent));
      cpuNanos(bench, v, batch[v]);
    }
    List<double[]> perCycle = new ArrayList<>();
    for (int v = 0; v < variants; v++) {
      perCycle.add(new double[rounds]);
    }
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < variants; k++) {
        int v = (k + round) % variants;
        perCycle.get(v)[round] = (double) cpuNanos(bench, v, batch[v]) / batch[v];
      }
    }
    bench.checkReleased();
    CALLS.checkReleased();

    StringBuilder out = new StringBuilder();
    out.append("asyncwith cycles in CPU time, ").append(Machine.now()).append('\n');
    out.append(Machine.jdk()).append('\n').append(Machine.host()).append('\n');
    out.append(String.format(Locale.ROOT,
        "calling thread's CPU time per cycle; %d rounds, variants rotated each round, batches of"
            + " about %d ms of CPU%n%n", rounds, batchMillis));
    out.append(String.format(Locale.ROOT, "%-18s %9s %12s %9s %12s%n",
        "benchmark", "x floor", "best ns", "x floor", "median ns"));
    out.append(String.format(Locale.ROOT, "%-18s %9s %12s %9s %12s%n",
        "", "(best)", "", "(median)", ""));
    double floorBest = min(perCycle.get(0));
    double floorMedian = median(perCycle.get(0));
    for (int v = 0; v < variants; v++) {
      double best = min(perCycle.get(v));
      double median = median(perCycle.get(v));
      out.append(String.format(Locale.ROOT, "%-18s %8.2fx %12.1f %8.2fx %12.1f%n",
          VARIANTS[v], best / floorBest, best, median / floorMedian, median));
    }
    double generated = min(perCycle.get(2));
    double reactor = min(perCycle.get(3));
    out.append(String.format(Locale.ROOT,
        "%nIssue 5 and 13 targets in CPU time (best rounds):%n"
            + "  [%s] generated non-blocking cycle <= 1.25x the floor: %.2fx%n"
            + "  [%s] Reactor Mono.usingWhen at least 3x slower (issue 5: slower): %.1f vs %.1f"
            + " ns (%.2fx)%n",
        generated / floorBest <= 1.25 ? "MET   " : "MISSED", generated / floorBest,
        reactor / generated >= 3 ? "MET   " : "MISSED", generated, reactor, reactor / generated));
    Optional<PythonAnchor> python =
        pythonFile == null ? Optional.empty() : PythonAnchor.read(pythonFile);
    if (python.isPresent() && !Double.isNaN(python.get().asyncContextManagerCpuNanos())) {
      double acm = python.get().asyncContextManagerCpuNanos();
      out.append(String.format(Locale.ROOT,
          "  [%s] >= 10x faster than CPython's @asynccontextmanager (its CPU time, minimum of"
              + " the repeats): %.1fx (%.1f vs %.1f ns)%n",
          acm / generated >= 10 ? "MET   " : "MISSED", acm / generated, generated, acm));
    }
    double callFloor = min(perCycle.get(6));
    double blockingCall = min(perCycle.get(7));
    double nonBlockingCall = min(perCycle.get(8));
    double useJoin = min(perCycle.get(9));
    out.append(String.format(Locale.ROOT,
        "%nIssue 11 targets in CPU time (best rounds), the synchronous statement call:%n"
            + "  [%s] non-blocking call <= 1.25x its use(...).join(): %.2fx (%.1f vs %.1f ns)%n"
            + "  [info]   blocking call against the hand-written try/finally floor: %.2fx (%.1f vs"
            + " %.1f ns)%n",
        nonBlockingCall / useJoin <= 1.25 ? "MET   " : "MISSED", nonBlockingCall / useJoin,
        nonBlockingCall, useJoin, blockingCall / callFloor, blockingCall, callFloor));
    if (python.isPresent() && !Double.isNaN(python.get().contextManagerCpuNanos())) {
      double cm = python.get().contextManagerCpuNanos();
      out.append(String.format(Locale.ROOT,
          "  [%s] blocking call >= 50x faster than CPython's @contextmanager (its CPU time,"
              + " minimum of the repeats): %.1fx (%.1f vs %.1f ns)%n",
          cm / blockingCall >= 50 ? "MET   " : "MISSED", cm / blockingCall, blockingCall, cm));
    }
    out.append("(checksum ").append(sink).append(")\n");
    System.out.print(out);
    if (outFile != null) {
      Files.createDirectories(outFile.toAbsolutePath().getParent());
      Files.writeString(outFile, out);
    }
  }

  /** Runs {@code cycles} cycles of variant {@code v} and returns the CPU nanoseconds taken. */
  private static long cpuNanos(CycleBenchmark bench, int v, int cycles) throws Exception {
    long sum = 0;
    long start = THREADS.getCurrentThreadCpuTime();
    switch (v) {
      case 0 -> {
        for (int i = 0; i < cycles; i++) {
          sum += bench.floor();
        }
      }
      case 1 -> {
        for (int i = 0; i < cycles; i++) {
          sum += bench.handWrittenUse();
        }
      }
      case 2 -> {
        for (int i = 0; i < cycles; i++) {
          sum += bench.generatedUse();
        }
      }
      case 3 -> {
        for (int i = 0; i < cycles; i++) {
          sum += bench.reactorUsingWhen();
        }
      }
      case 4 -> {
        for (int i = 0; i < cycles; i++) {
          sum += bench.withTwo();
        }
      }
      case 5 -> {
        for (int i = 0; i < cycles; i++) {
          sum += bench.exitStackOfTen();
        }
      }
      case 6 -> {
        for (int i = 0; i < cycles; i++) {
          sum += CALLS.handWrittenTryFinally();
        }
      }
      case 7 -> {
        for (int i = 0; i < cycles; i++) {
          sum += CALLS.blockingCall();
        }
      }
      case 8 -> {
        for (int i = 0; i < cycles; i++) {
          sum += CALLS.nonBlockingCall();
        }
      }
      case 9 -> {
        for (int i = 0; i < cycles; i++) {
          sum += CALLS.nonBlockingUseJoin();
        }
      }
      default -> throw new IllegalArgumentException("variant " + v);
    }
    long spent = THREADS.getCurrentThreadCpuTime() - start;
    sink += sum;
    return spent;
  }

  private static double min(double[] values) {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
