package dev.asyncwith.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.asyncwith.AsyncResource;
import dev.asyncwith.annotations.AsyncContextManager;
import dev.asyncwith.processor.AsyncContextManagerProcessor;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.function.Supplier;
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
 * This is a careful main rather than JMH: each compilation takes seconds, so JMH's per-invocation
 * machinery buys nothing; it warms up for several rounds, then measures several rounds with the
 * configurations interleaved, so drift on a shared machine touches each alike, and reports the
 * median and minimum.
 *
 * <p>Usage: {@code ProcessorCost [--methods N] [--classes N] [--warmups N] [--runs N]
 * [--work DIR] [--out FILE]}.
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
    int warmups = 3;
    int runs = 5;
    Path work = Path.of("target", "processor-cost");
    Path outFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--methods" -> methods = Integer.parseInt(args[++i]);
        case "--classes" -> classes = Integer.parseInt(args[++i]);
        case "--warmups" -> warmups = Integer.parseInt(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--work" -> work = Path.of(args[++i]);
        case "--out" -> outFile = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    deleteTree(work);
    List<Path> sources = SourceSet.write(work.resolve("src"), methods, classes);
    Compiler compiler = new Compiler(work);

    // Once, to write the generated classes out for configuration (2) and check the set.
    Path generated = work.resolve("generated");
    Compilation first = compiler.compile(sources, AsyncContextManagerProcessor::new, generated);
    List<Path> generatedSources = javaFiles(generated);
    if (generatedSources.size() != methods) {
      throw new IllegalStateException("the processor generated " + generatedSources.size()
          + " classes for " + methods + " methods");
    }
    List<Path> writtenOut = new ArrayList<>(sources);
    writtenOut.addAll(generatedSources);
    Map<String, FloorProcessor.GeneratedFile> rendered = renderedFiles(generated, generatedSources);

    String[] names = {
      "processor", "floor processor", "written out, no processor", "sources only, no processor"
    };
    List<List<Double>> millis = new ArrayList<>();
    for (int c = 0; c < names.length; c++) {
      millis.add(new ArrayList<>());
    }
    Supplier<Processor> asyncwith = AsyncContextManagerProcessor::new;
    Supplier<Processor> floor = () -> new FloorProcessor(rendered);
    for (int round = 0; round < warmups + runs; round++) {
      Compilation[] compilations = {
        compiler.compile(sources, asyncwith, null),
        compiler.compile(sources, floor, null),
        compiler.compile(writtenOut, null, null),
        compiler.compile(sources, null, null),
      };
      if (round >= warmups) {
        for (int c = 0; c < compilations.length; c++) {
          millis.get(c).add(compilations[c].millis());
        }
      }
    }

    StringBuilder out = new StringBuilder();
    out.append("asyncwith processor cost, ").append(Machine.now()).append('\n');
    out.append(Machine.jdk()).append('\n').append(Machine.host()).append('\n');
    out.append(String.format(Locale.ROOT,
        "javac in-process (javax.tools), --release 17 -Xlint:all,-processing; %d annotated methods"
            + " in %d classes; %d warm-up rounds, %d measured rounds, configurations interleaved;"
            + " warnings in the first compilation: %d%n%n",
        methods, classes, warmups, runs, first.warnings()));
    out.append(String.format(Locale.ROOT, "%-30s %8s %12s %10s%n",
        "configuration", "files", "median ms", "min ms"));
    int[] files = {sources.size(), sources.size(), writtenOut.size(), sources.size()};
    double[] medians = new double[names.length];
    for (int c = 0; c < names.length; c++) {
      medians[c] = median(millis.get(c));
      out.append(String.format(Locale.ROOT, "%-30s %8d %12.1f %10.1f%n",
          names[c], files[c], medians[c], min(millis.get(c))));
    }
    double overhead = (medians[0] - medians[2]) / methods;
    double withOutput = (medians[0] - medians[3]) / methods;
    out.append(String.format(Locale.ROOT,
        "%nprocessor overhead per annotated method (processor - written out, medians): %.3f ms"
            + " (target <= 1 ms: %s)%n",
        overhead, overhead <= 1.0 ? "MET" : "MISSED"));
    out.append(String.format(Locale.ROOT,
        "processor plus compiling its output, per method (processor - sources only): %.3f ms%n",
        withOutput));
    double ratio = medians[0] / medians[2];
    out.append(String.format(Locale.ROOT,
        "javac with the processor / javac on the sources with the generated classes written out"
            + " (medians): %.3fx (target <= 1.1x: %s)%n",
        ratio, ratio <= 1.1 ? "MET" : "MISSED"));
    double floorRatio = medians[1] / medians[2];
    out.append(String.format(Locale.ROOT,
        "javac with the floor processor / javac on the written-out sources (medians): %.3fx"
            + " (the least any processor writing one file per method through the Filer costs;"
            + " 1.1x is %s for such a processor)%n",
        floorRatio, floorRatio <= 1.1 ? "within reach" : "out of reach"));
    out.append(String.format(Locale.ROOT,
        "javac with the processor / javac with the floor processor (medians): %.3fx"
            + " (asyncwith's own share: %.3f ms per method)%n",
        medians[0] / medians[1], (medians[0] - medians[1]) / methods));
    out.append("rounds (ms): ");
    for (int c = 0; c < names.length; c++) {
      out.append(c == 0 ? "" : "; ").append(names[c]).append(' ').append(millis.get(c));
    }
    out.append('\n');
    System.out.print(out);
    if (outFile != null) {
      Files.createDirectories(outFile.toAbsolutePath().getParent());
      Files.writeString(outFile, out);
    }
    deleteTree(work);
  }

  /** One compilation's outcome. */
  private record Compilation(double millis, int warnings) {}

  /** Runs javac in-process with fresh output folders each time. */
  private static final class Compiler {
    private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
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
     * Compiles {@code sources}; with a fresh processor from {@code processor} when given (else
     * with none), writing its sources to {@code keepGenerated} when given (else to a folder
     * deleted afterwards).
     */
    Compilation compile(List<Path> sources, Supplier<Processor> processor, Path keepGenerated)
        throws IOException {
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
      long start = System.nanoTime();
      boolean ok;
      try (StandardJavaFileManager files =
          javac.getStandardFileManager(diagnostics, Locale.ROOT, UTF_8)) {
        JavaCompiler.CompilationTask task = javac.getTask(
            null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources));
        if (processor != null) {
          // A fresh instance per compilation (processors keep state), from a class loaded once.
          task.setProcessors(List.of(processor.get()));
        }
        ok = task.call();
      }
      double millis = (System.nanoTime() - start) / 1e6;
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
      return new Compilation(millis, warnings);
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
