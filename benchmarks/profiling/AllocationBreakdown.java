import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import dev.asyncwith.benchmarks.CycleBenchmark;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Breaks one {@code CycleBenchmark} cycle's allocation down by class and by the first allocating
 * frame outside the JDK: a profiling aid for BENCHMARKS.md's "Where the cost goes", not part of
 * the run. Run it from the repository root after {@code benchmarks/run.sh} (or a package build of
 * the module), with TLABs off so that JFR records every allocation:
 *
 * <pre>
 * java -XX:-UseTLAB -Xbatch -Xmx1g \
 *     -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *     benchmarks/profiling/AllocationBreakdown.java generatedUse 3000000 200000
 * </pre>
 *
 * Arguments: the benchmark method (floor, handWrittenUse, generatedUse, generatedBlocking or
 * handOffBaseline), warm-up cycles, measured cycles. Escape analysis stays on, so
 * what the compiled cycle scalar-replaces is not counted, as in JMH's {@code gc.alloc.rate.norm}.
 * Every thread's allocations are counted except JFR's own, so a blocking cycle's generator
 * threads are included.
 */
public final class AllocationBreakdown {
  private AllocationBreakdown() {}

  /** One cycle of a benchmark, returning the block's value. */
  private interface Cycle {
    int run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    String benchmark = args.length > 0 ? args[0] : "generatedUse";
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3_000_000;
    int cycles = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
    CycleBenchmark bench = new CycleBenchmark();
    // A direct call, not reflection: a reflective call changes what C2 inlines and so what escapes.
    Cycle cycle = switch (benchmark) {
      case "floor" -> bench::floor;
      case "handWrittenUse" -> bench::handWrittenUse;
      case "generatedUse" -> bench::generatedUse;
      case "generatedBlocking" -> bench::generatedBlocking;
      case "handOffBaseline" -> bench::handOffBaseline;
      default -> throw new IllegalArgumentException("not a cycle measured here: " + benchmark);
    };
    long checksum = 0;
    for (int i = 0; i < warmup; i++) {
      checksum += cycle.run();
    }
    Path file = Files.createTempFile("allocation-breakdown", ".jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace();
      recording.start();
      for (int i = 0; i < cycles; i++) {
        checksum += cycle.run();
      }
      recording.stop();
      recording.dump(file);
    }
    Map<String, long[]> byClassAndFrame = new TreeMap<>();
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      if (event.getThread() == null
          || String.valueOf(event.getThread().getJavaName()).startsWith("JFR")) {
        continue;
      }
      String where = "?";
      if (event.getStackTrace() != null) {
        for (RecordedFrame frame : event.getStackTrace().getFrames()) {
          String method = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
          if (!method.startsWith("java.") && !method.startsWith("jdk.")
              && !method.startsWith("AllocationBreakdown.")) {
            where = method;
            break;
          }
        }
      }
      long[] countAndBytes = byClassAndFrame.computeIfAbsent(
          event.getClass("objectClass").getName() + " @ " + where, key -> new long[2]);
      countAndBytes[0]++;
      countAndBytes[1] += event.getLong("allocationSize");
    }
    Files.delete(file);
    System.out.printf("%s on JDK %s: %,d cycles after %,d warm-up cycles%n",
        benchmark, Runtime.version(), cycles, warmup);
    long total = 0;
    for (Map.Entry<String, long[]> entry : byClassAndFrame.entrySet()) {
      total += entry.getValue()[1];
      double bytesPerCycle = (double) entry.getValue()[1] / cycles;
      if (bytesPerCycle >= 0.5) {
        System.out.printf("%8.1f B/cycle %6.2f objects/cycle  %s%n",
            bytesPerCycle, (double) entry.getValue()[0] / cycles, entry.getKey());
      }
    }
    System.out.printf("total %.1f B/cycle (checksum %d)%n", (double) total / cycles, checksum);
  }
}
