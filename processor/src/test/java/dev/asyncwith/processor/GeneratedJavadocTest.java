package dev.asyncwith.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.asyncwith.processor.Compilations.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated javadoc passes {@code -Xdoclint:all} whatever the method's own javadoc lacks (the
 * golden files cover methods documented in full).
 */
class GeneratedJavadocTest {

  @TempDir Path directory;

  @Test
  void generatedJavadocPassesDoclintWhenTheMethodHasNone() throws IOException {
    JavaFileObject undocumented =
        source(
            "Box",
            """
            public class Box<T extends Comparable<T>> {
              @AsyncContextManager
              @SafeVarargs
              public final <R extends T> CompletionStage<Void> open(
                  AsyncYield<R> yield, R first, R... rest) {
                return yield.yield(rest.length > 0 ? rest[0] : first);
              }

              @AsyncContextManager
              public static void run(Yield<String> yield, String name) throws Exception {
                yield.yield(name);
              }
            }
            """);
    // The compilation fails, on the undocumented input; DiskCompiler keeps what was generated.
    DiskCompiler.Result result =
        DiskCompiler.compile(
            directory,
            List.of("-Xdoclint:all"),
            List.of(new AsyncContextManagerProcessor()),
            undocumented);

    assertThat(result.generated("test.BoxOpen")).isTrue();
    assertThat(result.generated("test.BoxRun")).isTrue();
    List<String> inGenerated =
        result.diagnostics().stream()
            .filter(d -> d.getSource() != null)
            .filter(d -> !d.getSource().toUri().equals(undocumented.toUri()))
            .map(GeneratedJavadocTest::describe)
            .toList();
    assertWithMessage("doclint's findings in generated files").that(inGenerated).isEmpty();
    // doclint did run: it reported on the undocumented input.
    assertThat(
            result.diagnostics().stream()
                .filter(d -> d.getSource() != null)
                .map(d -> d.getMessage(Locale.ROOT)))
        .contains("no comment");
  }

  private static String describe(Diagnostic<? extends JavaFileObject> diagnostic) {
    return diagnostic.getSource().getName()
        + ":"
        + diagnostic.getLineNumber()
        + ": "
        + diagnostic.getMessage(Locale.ROOT);
  }
}
