package dev.asyncwith.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole generated classes, compared with the golden files under {@code golden/expected}, one for
 * each shape of method; the sources under {@code golden/input} compile with the generated code
 * under {@code -Xlint:all,-processing -Werror}.
 */
class GoldenFilesTest {
  private static Compilation compilation;

  @BeforeAll
  static void compileInputs() {
    compilation =
        Compilations.compile(
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
   * PoolsLease: non-blocking, with the method's javadoc; PoolsTx: blocking; PoolsFirstOf: generic
   * with a bound, varargs; Checkout: the name override; PoolsInternal: package-private; BoxOpen:
   * instance method of a generic type, the type's and the method's type parameters with bounds;
   * OuterInnerRun: nested type; FactoryMake: an interface's static method; LegacyOld: a deprecated
   * method.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "PoolsLease",
        "PoolsTx",
        "PoolsFirstOf",
        "Checkout",
        "PoolsInternal",
        "BoxOpen",
        "OuterInnerRun",
        "FactoryMake",
        "LegacyOld"
      })
  void generatedClassMatchesItsGoldenFile(String simpleName) {
    assertThat(compilation)
        .generatedSourceFile("com.example." + simpleName)
        .hasSourceEquivalentTo(
            JavaFileObjects.forResource("golden/expected/com/example/" + simpleName + ".java"));
  }
}
