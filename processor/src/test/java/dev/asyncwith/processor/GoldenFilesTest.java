package dev.asyncwith.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.common.truth.Truth;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole generated classes, compared with the golden files under {@code golden/expected}, one for
 * each shape of method, to the character (the layout is part of what is tested); the sources under
 * {@code golden/input} compile with the generated code under {@code -Xlint:all,-processing
 * -Xdoclint:all -Werror}.
 */
class GoldenFilesTest {
  private static Compilation compilation;

  @BeforeAll
  static void compileInputs() {
    compilation =
        Compilations.compile(
            List.of(),
            List.of("-Xdoclint:all"),
            Stream.of("Pools", "ConnectionPool", "Connection", "Box", "Outer", "Factory", "Legacy")
                .map(
                    name ->
                        JavaFileObjects.forResource("golden/input/com/example/" + name + ".java"))
                .toArray(JavaFileObject[]::new));
  }

  @Test
  void everythingCompilesWithoutAWarning() {
    assertThat(compilation).succeededWithoutWarnings();
  }

  /**
   * PoolsLease: non-blocking, with the method's javadoc; PoolsTx: blocking, its javadoc with
   * {@code @} lines inside <code>{&#64;code}</code> in a {@code <pre>} block, then {@code @param}s;
   * PoolsFirstOf: generic with a bound, varargs, a javadoc link too long to share a line;
   * PoolsChannel: a throws clause on a long header; Checkout: the name override; PoolsInternal:
   * package-private; BoxOpen: instance method of a generic type, the type's and the method's type
   * parameters with bounds; OuterInnerRun: nested type; FactoryMake: an interface's static method;
   * LegacyOld: a deprecated method. None imports a {@code java.lang} type.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "PoolsLease",
        "PoolsTx",
        "PoolsFirstOf",
        "PoolsChannel",
        "Checkout",
        "PoolsInternal",
        "BoxOpen",
        "OuterInnerRun",
        "FactoryMake",
        "LegacyOld"
      })
  void generatedClassMatchesItsGoldenFile(String simpleName) throws IOException {
    JavaFileObject expected =
        JavaFileObjects.forResource("golden/expected/com/example/" + simpleName + ".java");
    assertThat(compilation)
        .generatedSourceFile("com.example." + simpleName)
        .contentsAsUtf8String()
        .isEqualTo(expected.getCharContent(true).toString());
  }

  /**
   * JavaPoet wraps at 100 columns where it can, and the processor's layout rules do the rest, for
   * every shape: long type parameters and signatures, a long javadoc link, a carried-over {@code
   * <pre>} block.
   */
  @Test
  void everyGeneratedLineFitsIn100Columns() throws IOException {
    for (JavaFileObject generated : compilation.generatedSourceFiles()) {
      for (String line : generated.getCharContent(true).toString().split("\n")) {
        Truth.assertWithMessage(generated.getName()).that(line.length()).isAtMost(100);
      }
    }
  }
}
