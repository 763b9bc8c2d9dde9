package dev.asyncwith.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.asyncwith.processor.DiagnosticsTest.source;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Names that clash with the generated class's own: each still compiles without a warning. */
class EdgeNamesTest {

  @Test
  void typeParameterNamedLikeTheGeneratedClass() {
    JavaFileObject source =
        source(
            "Pools",
            """
            public class Pools {
              @AsyncContextManager
              public static <PoolsLease> CompletionStage<Void> lease(
                  PoolsLease seed, AsyncYield<PoolsLease> yield) {
                return yield.yield(seed);
              }
            }
            """);
    Compilation compilation = Compilations.compile(source);
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void enclosingTypeNamedLikeTheEngineAndMethodsNamedLikeItsMembers() {
    JavaFileObject source =
        source(
            "AsyncGenerator",
            """
            public class AsyncGenerator {
              @AsyncContextManager
              public static CompletionStage<Void> generate(AsyncYield<String> yield) {
                return yield.yield("g");
              }

              @AsyncContextManager
              public CompletionStage<Void> enter(AsyncYield<AsyncGenerator> yield) {
                return yield.yield(this);
              }

              @AsyncContextManager
              public static CompletionStage<Void> of(AsyncYield<String> yield) {
                return yield.yield("o");
              }
            }
            """);
    Compilation compilation = Compilations.compile(source);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation)
        .generatedSourceFile("test.AsyncGeneratorEnter")
        .contentsAsUtf8String()
        .contains("extends dev.asyncwith.AsyncGenerator<AsyncGenerator>");
  }

  @Test
  void genericVarargsAndUnusualIdentifiers() {
    JavaFileObject source =
        source(
            "Pools",
            """
            public class Pools {
              @AsyncContextManager
              @SafeVarargs
              public static CompletionStage<Void> _über$(
                  AsyncYield<String> yield, java.util.List<String>... lists) {
                return yield.yield(lists[0].get(0));
              }
            }
            """);
    Compilation compilation = Compilations.compile(source);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation)
        .generatedSourceFile("test.Pools_über$")
        .contentsAsUtf8String()
        .contains("@SafeVarargs");
  }
}
