package dev.asyncwith.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.asyncwith.AsyncResource;
import dev.asyncwith.annotations.AsyncContextManager;
import dev.asyncwith.processor.AsyncContextManagerProcessor;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleBinaryOperator;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The processor's cost: javac in-process (javax.tools), warm and repeated, on a synthetic project
 * of annotated methods ({@link SourceSet}), in four configurations measured in turn each round:
 *
 * <ol>
 *   <li><b>processor</b>: the annotated sources with the asyncwith processor;
 *   <li><b>floor processor</b>: the annotated sources with {@link FloorProcessor}, which writes the
 *       very files asyncwith generates, rendered beforehand, one per method through the {@code
 *       Filer} in the first round, and does nothing else;
 *   <li><b>written out</b>: the annotated sources plus the classes the processor generated,
 *       already written out as sources, with no processor ({@code -proc:none});
 *   <li><b>sources only</b>: the annotated sources alone, with no processor.
 * </ol>
 *
 * <p>The processor's overhead is (1) minus (3): what running it costs beyond compiling its output,
 * which javac would compile whoever wrote it; and (1) divided by (3), the ratio the processor's
 * target is set on. (2) divided by (3) is javac's own price for any processor that writes one file
 * per method through the {@code Filer} (its rounds, its {@code Filer}, entering the new files): no
 * such processor can do better. (1) divided by (2) is what asyncwith adds to that floor, the part
 * that is its own. (1) minus (4) is beside them: the processor plus compiling what it generates.
 *
 * <p>This is a careful main rather than JMH: each compilation takes seconds, so JMH's
 * per-invocation machinery buys nothing. It warms up for several rounds, then measures several
 * rounds with the configurations interleaved. Before each compilation it runs a full collection,
 * outside the time, so that no compilation pays for collecting the previous one's garbage (a whole
 * javac context, much of it promoted). Each compilation runs on a thread of its own, named {@code
 * javac: <configuration>}, which gives two things: the compiling thread's CPU time (javac compiles
 * on its caller's thread), which time lost to other processes on a busy machine inflates far less
 * than elapsed time; and a profiler's samples tell the interleaved configurations apart by thread
 * name. Every ratio and difference is the median over the rounds of that round's own ratio or
 * difference, so that a change of load between rounds touches both sides of it alike.
 *
 * <p>Usage: {@code ProcessorCost [--methods N] [--classes N] [--warmups N] [--runs N]
 * [--work DIR] [--out FILE] [--only PREFIX]}; {@code --only} measures only the configurations
 * whose name starts with {@code PREFIX} (to profile one alone; ratios that need another print
 * as NaN).
 */
public final class ProcessorCost {
  private static final Pattern GENERATED_FROM =
      Pattern.compile("@AsyncWithGenerated\\(from = \"([^\"]+)\"\\)");

  private ProcessorCost() {}

  /**
   * Generates the project, measures, and prints the table.
   *
   * @param args the options described on the class
   * @throws Exception if a compilation fails or the files cannot be written
   */
  public static void main(String[] args) throws Exception {
    int methods = 1000;
    int classes = 50;
    int warmups = 2;
    int runs = 7;
    Path work = Path.of("target", "processor-cost");
    Path outFile = null;
    String only = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--methods" -> methods = Integer.parseInt(args[++i]);
        case "--classes" -> classes = Integer.parseInt(args[++i]);
        case "--warmups" -> warmups = Integer.parseInt(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--work" -> work = Path.of(args[++i]);
        case "--out" -> outFile = Path.of(args[++i]);
        case "--only" -> only = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    deleteTree(work);
    List<Path> sources = SourceSet.write(work.resolve("src"), methods, classes);
    Compiler compiler = new Compiler(work);

    // Once, to write the generated classes out for configurations (2) and (3), and check them.
    Path generated = work.resolve("generated");
    Compilation first = compiler.compile("first, keeping its output", sources,
        AsyncContextManagerProcessor::new, generated);
    List<Path> generatedSources = javaFiles(generated);
    if (generatedSources.size() != methods) {
      throw new IllegalStateException("the processor generated " + generatedSources.size()
          + " classes for " + methods + " methods");
    }
    List<Path> writtenOut = new ArrayList<>(sources);
    writtenOut.addAll(generatedSources);
    Map<String, FloorProcessor.GeneratedFile> rendered = renderedFiles(generated, generatedSources);

    Supplier<Processor> asyncwith = AsyncContextManagerProcessor::new;
    Supplier<Processor> floor = () -> new FloorProcessor(rendered);
    List<Configuration> configurations = List.of(
        new Configuration("processor", sources, asyncwith),
        new Configuration("floor processor", sources, floor),
        new Configuration("written out, no processor", writtenOut, null),
        new Configuration("sources only, no processor", sources, null));
    Configuration processor = configurations.get(0);
    Configuration floorProcessor = configurations.get(1);
    Configuration written = configurations.get(2);
    Configuration sourcesOnly = configurations.get(3);
    for (int round = 0; round < warmups + runs; round++) {
      for (Configuration configuration : configurations) {
        if (only != null && !configuration.name().startsWith(only)) {
          continue;
        }
        Compilation compilation = compiler.compile(configuration.name(), configuration.files(),
            configuration.processor(), null);
        if (round >= warmups) {
          configuration.rounds().add(compilation);
        }
      }
    }

    StringBuilder out = new StringBuilder();
    out.append("asyncwith processor cost, ").append(Machine.now()).append('\n');
    out.append(Machine.jdk()).append('\n').append(Machine.host()).append('\n');
    out.append(String.format(Locale.ROOT,
        "javac in-process (javax.tools), --release 17 -Xlint:all,-processing; %d annotated methods"
            + " in %d classes; %d warm-up rounds, %d measured rounds, configurations interleaved;"
            + " a full GC before each compilation, outside its time; warnings in the first"
            + " compilation: %d%n%n",
        methods, classes, warmups, runs, first.warnings()));
    out.append(String.format(Locale.ROOT, "%-28s %6s %11s %9s %11s %9s %11s%n",
        "configuration", "files", "wall median", "wall min", "CPU median", "CPU min",
        "GC median"));
    for (Configuration c : configurations) {
      out.append(String.format(Locale.ROOT, "%-28s %6d %11.1f %9.1f %11.1f %9.1f %11.1f%n",
          c.name(), c.files().size(), median(c.values(Compilation::millis)),
          min(c.values(Compilation::millis)), median(c.values(Compilation::cpuMillis)),
          min(c.values(Compilation::cpuMillis)), median(c.values(Compilation::gcMillis))));
    }
    out.append("(ms; wall: the compilation's elapsed time; CPU: the compiling thread's CPU time,"
        + " which a busy machine inflates far less; GC: collection time during it)\n\n");
    out.append("ratios, each the median over the rounds of that round's ratio (both"
        + " compilations measured side by side), wall (CPU):\n");
    Ratio target = Ratio.of(processor, written);
    out.append(String.format(Locale.ROOT,
        "  processor / written out: %s (target <= 1.1x: %s)%n",
        target, target.wall() <= 1.1 ? "MET" : "MISSED"));
    Ratio floorRatio = Ratio.of(floorProcessor, written);
    out.append(String.format(Locale.ROOT,
        "  floor processor / written out: %s (the least any processor writing one file per"
            + " method through the Filer costs; 1.1x is %s for such a processor)%n",
        floorRatio, floorRatio.wall() <= 1.1 ? "within reach" : "out of reach"));
    Ratio own = Ratio.of(processor, floorProcessor);
    out.append(String.format(Locale.ROOT,
        "  processor / floor processor: %s (asyncwith's own share)%n", own));
    out.append(String.format(Locale.ROOT,
        "per annotated method, medians of per-round differences, wall (CPU):%n"
            + "  processor - written out (the processor's overhead): %s%n"
            + "  processor - floor processor (asyncwith's own work): %s%n"
            + "  floor processor - written out (javac's price for the rounds and the Filer): %s%n"
            + "  processor - sources only (the processor plus compiling its output): %s%n",
        Difference.of(processor, written, methods), Difference.of(processor, floorProcessor, methods),
        Difference.of(floorProcessor, written, methods),
        Difference.of(processor, sourcesOnly, methods)));
    appendRounds(out, "wall", configurations, Compilation::millis);
    appendRounds(out, "CPU", configurations, Compilation::cpuMillis);
    System.out.print(out);
    if (outFile != null) {
      Files.createDirectories(outFile.toAbsolutePath().getParent());
      Files.writeString(outFile, out);
    }
    deleteTree(work);
  }

  /** One line listing every configuration's rounds, in order, as {@code measure} reads them. */
  private static void appendRounds(StringBuilder out, String label,
      List<Configuration> configurations, ToDoubleFunction<Compilation> measure) {
    out.append("rounds, ").append(label).append(" ms:");
    String separator = " ";
    for (Configuration c : configurations) {
      out.append(separator).append(c.name()).append(' ').append(c.values(measure));
      separator = "; ";
    }
    out.append('\n');
  }

  /**
   * One compilation's outcome.
   *
   * @param millis its elapsed (wall-clock) time
   * @param cpuMillis the CPU time of the thread that ran javac (javac compiles on its caller's
   *     thread), which time lost to other processes on a busy machine does not inflate
   * @param gcMillis the time the collectors reported spending while it ran
   * @param warnings how many warnings javac reported
   */
  private record Compilation(double millis, double cpuMillis, double gcMillis, int warnings) {}

  /** One configuration of javac and the compilations measured for it, one per round. */
  private record Configuration(String name, List<Path> files, Supplier<Processor> processor,
      List<Compilation> rounds) {
    Configuration(String name, List<Path> files, Supplier<Processor> processor) {
      this(name, files, processor, new ArrayList<>());
    }

    List<Double> values(ToDoubleFunction<Compilation> measure) {
      return rounds.stream().map(measure::applyAsDouble).toList();
    }
  }

  /**
   * A ratio of two configurations, the median over the rounds of each round's ratio: the two
   * compilations of a round ran a few seconds apart, so a change of load between rounds touches
   * both, where a ratio of medians would mix rounds with different loads.
   */
  private record Ratio(double wall, double cpu) {
    static Ratio of(Configuration numerator, Configuration denominator) {
      return new Ratio(perRound(numerator, denominator, Compilation::millis, (a, b) -> a / b),
          perRound(numerator, denominator, Compilation::cpuMillis, (a, b) -> a / b));
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%.3fx (%.3fx)", wall, cpu);
    }
  }

  /** A difference of two configurations per annotated method, the median of per-round ones. */
  private record Difference(double wall, double cpu) {
    static Difference of(Configuration minuend, Configuration subtrahend, int methods) {
      return new Difference(
          perRound(minuend, subtrahend, Compilation::millis, (a, b) -> (a - b) / methods),
          perRound(minuend, subtrahend, Compilation::cpuMillis, (a, b) -> (a - b) / methods));
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%.3f ms (%.3f ms)", wall, cpu);
    }
  }

  private static double perRound(Configuration a, Configuration b,
      ToDoubleFunction<Compilation> measure, DoubleBinaryOperator combine) {
    List<Double> values = new ArrayList<>();
    for (int r = 0; r < Math.min(a.rounds().size(), b.rounds().size()); r++) {
      values.add(combine.applyAsDouble(measure.applyAsDouble(a.rounds().get(r)),
          measure.applyAsDouble(b.rounds().get(r))));
    }
    return median(values);
  }

  /** Runs javac in-process with fresh output folders each time. */
  private static final class Compiler {
    private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    // javac recurses over the trees: a thread of its own gets the stack a main thread has.
    private static final long COMPILER_STACK_BYTES = 8L << 20;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Path work;
    private final String classPath;
    private int count;

    Compiler(Path work) throws URISyntaxException {
      if (javac == null) {
        throw new IllegalStateException("no system Java compiler: run on a JDK");
      }
      this.work = work;
      this.classPath = location(AsyncResource.class) + File.pathSeparator
          + location(AsyncContextManager.class);
    }

    /**
     * Compiles {@code sources} on a thread named after {@code label}; with a fresh processor from
     * {@code processor} when given (else with none), writing its sources to {@code keepGenerated}
     * when given (else to a folder deleted afterwards).
     */
    Compilation compile(String label, List<Path> sources, Supplier<Processor> processor,
        Path keepGenerated) throws IOException {
      Path classes = work.resolve("classes-" + count);
      Path generated = keepGenerated != null ? keepGenerated : work.resolve("generated-" + count);
      count++;
      Files.createDirectories(classes);
      Files.createDirectories(generated);
      List<String> options = new ArrayList<>(Arrays.asList(
          "--release", "17", "-Xlint:all,-processing", "-encoding", "UTF-8",
          "-d", classes.toString(), "-cp", classPath, "-s", generated.toString()));
      if (processor == null) {
        options.add("-proc:none");
      } else if (Runtime.version().feature() >= 21) {
        options.add("-proc:full");
      }
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      // The previous compilation's garbage (a whole javac context, much of it promoted) is
      // collected here, outside the time, rather than charged to whichever compilation comes
      // next.
      System.gc();
      Timed timed = onThreadOfItsOwn(label, () -> {
        try (StandardJavaFileManager files =
            javac.getStandardFileManager(diagnostics, Locale.ROOT, UTF_8)) {
          JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics, options,
              null, files.getJavaFileObjectsFromPaths(sources));
          if (processor != null) {
            // A fresh instance per compilation (processors keep state), from a class loaded once.
            task.setProcessors(List.of(processor.get()));
          }
          return task.call();
        }
      });
      boolean ok = timed.ok();
      int warnings = 0;
      for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
        if (diagnostic.getKind() == Diagnostic.Kind.WARNING
            || diagnostic.getKind() == Diagnostic.Kind.MANDATORY_WARNING) {
          warnings++;
        }
      }
      if (!ok) {
        throw new IllegalStateException("compilation failed: " + diagnostics.getDiagnostics());
      }
      deleteTree(classes);
      if (keepGenerated == null) {
        deleteTree(generated);
      }
      return new Compilation(timed.millis(), timed.cpuMillis(), timed.gcMillis(), warnings);
    }

    /** A compilation's outcome and times, measured on the thread that ran it. */
    private record Timed(boolean ok, double millis, double cpuMillis, double gcMillis) {}

    /**
     * Runs {@code compilation} on a new thread named after {@code label} and waits for it: its
     * CPU time is then that thread's alone, and a profiler's samples (JFR's, for one) tell the
     * configurations apart by thread name even though they are interleaved.
     */
    private Timed onThreadOfItsOwn(String label, Callable<Boolean> compilation)
        throws IOException {
      AtomicReference<Object> outcome = new AtomicReference<>();
      Thread thread = new Thread(null, () -> {
        long gcStart = gcMillis();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        try {
          boolean ok = compilation.call();
          outcome.set(new Timed(ok, (System.nanoTime() - start) / 1e6,
              (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6, gcMillis() - gcStart));
        } catch (Exception | Error e) {
          outcome.set(e);
        }
      }, "javac: " + label, COMPILER_STACK_BYTES);
      thread.start();
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while " + label + " compiled", e);
      }
      Object result = outcome.get();
      if (result instanceof IOException e) {
        throw e;
      }
      if (result instanceof Throwable t) {
        throw new IllegalStateException(label + ": javac failed", t);
      }
      return (Timed) result;
    }

    private static long gcMillis() {
      long total = 0;
      for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
        total += Math.max(0, collector.getCollectionTime());
      }
      return total;
    }

    private static String location(Class<?> type) throws URISyntaxException {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
  }

  /**
   * The generated files, by the method each was generated from ({@code Enclosing.method}, as its
   * {@code @AsyncWithGenerated(from = ...)} says), for the floor processor to write again.
   */
  private static Map<String, FloorProcessor.GeneratedFile> renderedFiles(
      Path root, List<Path> files) throws IOException {
    Map<String, FloorProcessor.GeneratedFile> byMethod = new HashMap<>();
    for (Path file : files) {
      String text = Files.readString(file);
      Matcher from = GENERATED_FROM.matcher(text);
      if (!from.find()) {
        throw new IllegalStateException("no @AsyncWithGenerated(from = ...) in " + file);
      }
      String relative = root.relativize(file).toString().replace(File.separatorChar, '.');
      String className = relative.substring(0, relative.length() - ".java".length());
      byMethod.put(from.group(1), new FloorProcessor.GeneratedFile(className, text));
    }
    return byMethod;
  }

  private static List<Path> javaFiles(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  private static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
