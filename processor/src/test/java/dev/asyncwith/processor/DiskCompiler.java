package dev.asyncwith.processor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles through the processor into a directory, so that a test can see what was generated even
 * when the compilation failed (compile-testing hides generated files then).
 */
final class DiskCompiler {
  /** What one compilation produced. */
  record Result(
      boolean succeeded, List<Diagnostic<? extends JavaFileObject>> diagnostics, Path sources) {
    /** Whether the processor wrote the source of {@code qualifiedName}. */
    boolean generated(String qualifiedName) {
      return Files.exists(sources.resolve(qualifiedName.replace('.', '/') + ".java"));
    }

    /** The error messages, in order. */
    List<String> errors() {
      return diagnostics.stream()
          .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
          .map(d -> d.getMessage(Locale.ROOT))
          .toList();
    }
  }

  private DiskCompiler() {}

  static Result compile(
      Path directory, List<String> options, List<Processor> processors, JavaFileObject... sources)
      throws IOException {
    Path generated = Files.createDirectories(directory.resolve("generated"));
    Path classes = Files.createDirectories(directory.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      List<String> arguments = new ArrayList<>(Compilations.STRICT);
      arguments.addAll(
          List.of(
              "-s",
              generated.toString(),
              "-d",
              classes.toString(),
              "-classpath",
              System.getProperty("java.class.path")));
      arguments.addAll(options);
      JavaCompiler.CompilationTask task =
          javac.getTask(null, files, diagnostics, arguments, null, List.of(sources));
      task.setProcessors(processors);
      boolean succeeded = task.call();
      return new Result(succeeded, diagnostics.getDiagnostics(), generated);
    }
  }
}
