package dev.asyncwith.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.asyncwith.processor.Compilations.source;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Less common declarations: each is either generated warning-free or rejected with a diagnostic.
 */
class UnusualShapesTest {

  @Test
  void unusualButValidShapesAreGeneratedWithoutAWarning() {
    JavaFileObject record =
        source(
            "Pair",
            """
            public record Pair(String left, String right) {
              @AsyncContextManager
              public CompletionStage<Void> both(AsyncYield<String> yield) {
                return yield.yield(left + right);
              }
            }
            """);
    JavaFileObject enumeration =
        source(
            "Mode",
            """
            public enum Mode {
              FAST;

              @AsyncContextManager
              public CompletionStage<Void> enter(AsyncYield<Mode> yield) {
                return yield.yield(this);
              }
            }
            """);
    JavaFileObject iface =
        source(
            "Source",
            """
            public interface Source {
              String name();

              @AsyncContextManager
              default CompletionStage<Void> open(AsyncYield<String> yield) {
                return yield.yield(name());
              }
            }
            """);
    JavaFileObject abstractClass =
        source(
            "Base",
            """
            public abstract class Base {
              @AsyncContextManager
              protected abstract CompletionStage<Void> open(AsyncYield<String> yield);
            }
            """);
    JavaFileObject inner =
        source(
            "Outer",
            """
            public class Outer<A> {
              public class Inner<B extends Comparable<B>> {
                @AsyncContextManager
                public <C extends Number & Comparable<C>> CompletionStage<Void> open(
                    A a, B b, AsyncYield<C> yield, C c) {
                  return yield.yield(c);
                }
              }
            }
            """);
    JavaFileObject odd =
        source(
            "Odd",
            """
            public class Odd {
              @AsyncContextManager
              public static <E extends Exception> void failing(Yield<int[]> yield, E failure)
                  throws E {
                try {
                  yield.yield(new int[0]);
                } catch (Exception e) {
                  throw failure;
                }
              }

              @AsyncContextManager
              public static <S extends CompletionStage<Void>> S typed(
                  AsyncYield<String> yield, S stage, long... numbers) {
                yield.yield("x");
                return stage;
              }

              @AsyncContextManager
              protected static CompletableFuture<Void> guarded(
                  AsyncYield<java.util.List<? extends Number>> yield) {
                return yield.yield(java.util.List.of(1)).toCompletableFuture();
              }
            }
            """);
    Compilation compilation =
        Compilations.compile(record, enumeration, iface, abstractClass, inner, odd);
    assertThat(compilation).succeededWithoutWarnings();
    for (String generated :
        new String[] {
          "PairBoth",
          "ModeEnter",
          "SourceOpen",
          "BaseOpen",
          "OuterInnerOpen",
          "OddFailing",
          "OddTyped",
          "OddGuarded"
        }) {
      assertThat(compilation).generatedSourceFile("test." + generated);
    }
    assertThat(compilation)
        .generatedSourceFile("test.OuterInnerOpen")
        .contentsAsUtf8String()
        .contains(
            "Outer<A>.Inner<B> inner, A a, B b, C c) {\n"
                + "    return new OuterInnerOpen<>(inner, a, b, c);");
    assertThat(compilation)
        .generatedSourceFile("test.OddFailing")
        .contentsAsUtf8String()
        .contains("protected void generate(Yield<int[]> yield) throws E {");
    assertThat(compilation)
        .generatedSourceFile("test.OddGuarded")
        .contentsAsUtf8String()
        .contains("final class OddGuarded");
  }

  @Test
  void methodInAnEnumConstantBodyIsRejected() {
    JavaFileObject source =
        source(
            "Mode",
            """
            public enum Mode {
              SLOW {
                @AsyncContextManager
                CompletionStage<Void> inConstant(AsyncYield<String> yield) {
                  return yield.yield("x");
                }
              };

              @AsyncContextManager
              public static CompletionStage<Void> visible(AsyncYield<String> yield) {
                return yield.yield("v");
              }
            }
            """);
    Compilations.assertSingleError(source, "[AsyncWith/LocalClass]", "inConstant(");
  }
}
