package dev.asyncwith.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The processor under Eclipse's compiler (ecj, the compiler of Eclipse and of some builds), run as
 * a library through {@code javax.tools} with the processor found on the processor path, as a user's
 * build finds it: on the samples' annotated sources, the golden inputs and a file of invalid
 * methods. ecj has no {@code com.sun.source} Tree API, so the checks that read a method's body
 * ({@code UnusedYield}, {@code LocalClass}) are skipped there; everything else must match javac.
 *
 * <p>The class path comes before the processor path in the options: ecj otherwise loses the class
 * path for the processor (ECJ bug 573833).
 */
class EclipseCompilerTest {
  private static final String NLS = "Non-externalized string literal";
  private static final Pattern TAG = Pattern.compile("\\[AsyncWith/(\\w+)]");
  private static final Set<String> NEEDS_TREE_API = Set.of("UnusedYield", "LocalClass");

  @TempDir Path directory;

  @Test
  void goldenInputsGenerateTheGoldenFiles() throws Exception {
    Result ecj = compile(new EclipseCompiler(), "ecj", goldenInputs(), List.of());

    assertThat(ecj.errors()).isEmpty();
    Path expected = resource("golden/expected");
    for (Path golden : javaFiles(expected)) {
      Path generated = ecj.generated().resolve(expected.relativize(golden).toString());
      assertWithMessage(golden.getFileName().toString())
          .that(Files.readString(generated))
          .isEqualTo(Files.readString(golden));
    }
    assertThat(javaFiles(ecj.generated())).hasSize(javaFiles(expected).size());
  }

  @Test
  void samplesGenerateWhatJavacGenerates() throws Exception {
    List<Path> samples = javaFiles(Path.of("..", "samples", "src", "main", "java"));
    Result javac = compile(ToolProvider.getSystemJavaCompiler(), "javac", samples, List.of());
    Result ecj = compile(new EclipseCompiler(), "ecj", samples, List.of());

    assertThat(javac.errors()).isEmpty();
    assertThat(ecj.errors()).isEmpty();
    Map<String, String> fromJavac = contents(javac.generated());
    assertThat(fromJavac).isNotEmpty();
    assertThat(contents(ecj.generated())).isEqualTo(fromJavac);
  }

  /** Under ecj's defaults and with every warning on, nothing on generated code but NLS. */
  @ParameterizedTest
  @ValueSource(strings = {"defaults", "-warn:all"})
  void generatedCodeDrawsNoWarning(String warnings) throws Exception {
    List<String> options = warnings.equals("defaults") ? List.of() : List.of(warnings);
    List<Path> sources = new ArrayList<>(goldenInputs());
    sources.addAll(javaFiles(Path.of("..", "samples", "src", "main", "java")));
    Result ecj = compile(new EclipseCompiler(), "ecj", sources, options);

    assertThat(ecj.errors()).isEmpty();
    List<String> onGeneratedCode =
        ecj.diagnostics().stream()
            .filter(d -> d.getKind() != Diagnostic.Kind.NOTE && d.getKind() != Diagnostic.Kind.OTHER)
            .filter(d -> d.getSource() != null && isUnder(d.getSource(), ecj.generated()))
            .map(EclipseCompilerTest::describe)
            .filter(text -> !text.contains(NLS))
            .toList();
    assertThat(onGeneratedCode).isEmpty();
  }

  /**
   * Every diagnostic javac reports, ecj reports too, on the same line, except those that need
   * javac's Tree API; and never a failure of the processor.
   */
  @Test
  void invalidMethodsAreReportedOnTheirLinesAsUnderJavac() throws Exception {
    List<Path> sources = List.of(resource("invalid/test/Invalid.java"));
    Result javac = compile(ToolProvider.getSystemJavaCompiler(), "javac", sources, List.of());
    Result ecj = compile(new EclipseCompiler(), "ecj", sources, List.of());

    Set<String> underJavac = ours(javac);
    assertThat(underJavac)
        .containsAtLeast(
            "PrivateMethod:13",
            "PrivateEnclosingType:19",
            "NoYieldParameter:25",
            "SeveralYieldParameters:28",
            "RawYield:34",
            "WildcardYield:39",
            "ReturnType:44",
            "ReturnType:50",
            "InvalidName:55",
            "NameCollision:60",
            "InaccessibleType:68",
            "ShadowedTypeParameter:75",
            "UnusedYield:81",
            "LocalClass:93");
    Set<String> expected =
        underJavac.stream()
            .filter(found -> !NEEDS_TREE_API.contains(found.substring(0, found.indexOf(':'))))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(ours(ecj)).isEqualTo(expected);
    assertThat(ecj.errors().stream().filter(error -> error.contains("ProcessorError")).toList())
        .isEmpty();
    assertThat(javaFiles(ecj.generated()).stream().map(p -> p.getFileName().toString()))
        // Unchecked without the Tree API, the method that never yields is generated, and fails at
        // run time with "did not yield" as the engine guarantees.
        .containsExactly("InvalidUnused.java", "InvalidValid.java");
  }

  /** What one compilation reported and where it wrote the generated sources. */
  private record Result(List<Diagnostic<? extends JavaFileObject>> diagnostics, Path generated) {
    List<String> errors() {
      return diagnostics.stream()
          .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
          .map(EclipseCompilerTest::describe)
          .toList();
    }
  }

  private Result compile(
      JavaCompiler compiler, String name, List<Path> sources, List<String> extraOptions)
      throws IOException {
    Path generated = Files.createDirectories(directory.resolve(name + "-generated"));
    Path classes = Files.createDirectories(directory.resolve(name + "-classes"));
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files =
        compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      List<String> options = new ArrayList<>();
      options.addAll(List.of("--release", "17"));
      // The class path first: see the class comment.
      options.addAll(List.of("-classpath", classPath()));
      options.addAll(List.of("-processorpath", processorPath()));
      // Named, as javac 23 and later require for a processor on the processor path.
      options.addAll(List.of("-processor", AsyncContextManagerProcessor.class.getName()));
      options.addAll(List.of("-s", generated.toString(), "-d", classes.toString()));
      options.addAll(extraOptions);
      List<File> sourceFiles = sources.stream().map(Path::toFile).toList();
      compiler
          .getTask(
              // ecj prints every problem besides collecting it: the diagnostics are enough.
              new StringWriter(),
              files,
              diagnostics,
              options,
              null,
              files.getJavaFileObjectsFromFiles(sourceFiles))
          .call();
      return new Result(diagnostics.getDiagnostics(), generated);
    }
  }

  /** The diagnostics carrying one of our tags, as {@code Tag:line}. */
  private static Set<String> ours(Result result) {
    Set<String> found = new TreeSet<>();
    for (Diagnostic<? extends JavaFileObject> diagnostic : result.diagnostics()) {
      Matcher tag = TAG.matcher(diagnostic.getMessage(Locale.ROOT));
      if (tag.find()) {
        found.add(tag.group(1) + ":" + diagnostic.getLineNumber());
      }
    }
    return found;
  }

  private static String describe(Diagnostic<? extends JavaFileObject> diagnostic) {
    String file = diagnostic.getSource() == null ? "" : diagnostic.getSource().getName();
    return diagnostic.getKind()
        + " "
        + file
        + ":"
        + diagnostic.getLineNumber()
        + " "
        + diagnostic.getMessage(Locale.ROOT);
  }

  private static boolean isUnder(JavaFileObject file, Path directory) {
    return Path.of(file.toUri()).toAbsolutePath().normalize().startsWith(
        directory.toAbsolutePath().normalize());
  }

  /** The test's class path: the annotations and the runtime, which generated code needs. */
  private static String classPath() {
    return System.getProperty("java.class.path");
  }

  /** The processor and what it needs, as a build's processor path holds them; no Lombok. */
  private static String processorPath() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.contains("lombok"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static List<Path> goldenInputs() throws IOException, URISyntaxException {
    return javaFiles(resource("golden/input"));
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(
        Objects.requireNonNull(EclipseCompilerTest.class.getClassLoader().getResource(name), name)
            .toURI());
  }

  private static List<Path> javaFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  private static Map<String, String> contents(Path root) throws IOException {
    Map<String, String> result = new TreeMap<>();
    for (Path file : javaFiles(root)) {
      result.put(root.relativize(file).toString(), Files.readString(file));
    }
    return result;
  }
}
