package dev.asyncwith.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.asyncwith.processor.Compilations.assertSingleError;
import static dev.asyncwith.processor.Compilations.source;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Each diagnostic of the catalogue, pinned to its file and line. */
class DiagnosticsTest {

  @Test
  void privateMethod() {
    JavaFileObject source =
        source(
            "Pools",
            """
            class Pools {
              @AsyncContextManager
              private static CompletionStage<Void> hidden(AsyncYield<String> yield) {
                return yield.yield("x");
              }
            }
            """);
    Compilation compilation = assertSingleError(source, "[AsyncWith/PrivateMethod]", "hidden(");
    assertThat(compilation)
        .hadErrorContaining("Pools.hidden must not be private")
        .inFile(source)
        .onLineContaining("hidden(");
    assertThat(compilation)
        .hadErrorContaining("Fix: make the method package-private, protected or public.");
  }

  @Test
  void privateEnclosingType() {
    JavaFileObject source =
        source(
            "Outer",
            """
            class Outer {
              private static class Secret {
                @AsyncContextManager
                static CompletionStage<Void> open(AsyncYield<String> yield) {
                  return yield.yield("x");
                }
              }
            }
            """);
    Compilation compilation =
        assertSingleError(source, "[AsyncWith/PrivateEnclosingType]", "open(");
    assertThat(compilation)
        .hadErrorContaining("Outer.Secret.open is declared in the private type test.Outer.Secret");
  }

  @Test
  void noYieldParameter() {
    JavaFileObject source =
        source(
            "Pools",
            """
            class Pools {
              @AsyncContextManager
              static CompletionStage<Void> lease(String name) {
                return CompletableFuture.completedFuture(null);
              }
            }
            """);
    Compilation compilation =
        assertSingleError(source, "[AsyncWith/NoYieldParameter]", "lease(String name)");
    assertThat(compilation)
        .hadErrorContaining("Pools.lease must have exactly one");
  }

  @Test
  void severalYieldParameters() {
    JavaFileObject source =
        source(
            "Pools",
            """
            class Pools {
              @AsyncContextManager
              static CompletionStage<Void> lease(
                  AsyncYield<String> first, AsyncYield<String> second) {
                return first.yield("x").thenCompose(v -> second.yield("y"));
              }
            }
            """);
    Compilation compilation =
        assertSingleError(source, "[AsyncWith/SeveralYieldParameters]", "lease(");
    assertThat(compilation).hadErrorContaining("it has 2 (first, second)");
  }

  @Test
  void rawYield() {
    JavaFileObject source =
        source(
            "Pools",
            """
            class Pools {
              @AsyncContextManager
              @SuppressWarnings({"rawtypes", "unchecked"})
              static CompletionStage<Void> lease(AsyncYield yield) {
                return yield.yield("x");
              }
            }
            """);
    Compilation compilation =
        assertSingleError(source, "[AsyncWith/RawYield]", "lease(AsyncYield yield)");
    assertThat(compilation).hadErrorContaining("Fix: write AsyncYield<T>");
  }

  @Test
  void wildcardYield() {
    JavaFileObject source =
        source(
            "Pools",
            """
            class Pools {
              @AsyncContextManager
              static CompletionStage<Void> lease(AsyncYield<? extends CharSequence> yield) {
                return yield.yield(null);
              }
            }
            """);
    Compilation compilation =
        assertSingleError(source, "[AsyncWith/WildcardYield]", "lease(AsyncYield<? extends");
    assertThat(compilation)
        .hadErrorContaining("Fix: write AsyncYield<java.lang.CharSequence>");
  }

  @Test
  void nonBlockingMethodMustReturnACompletionStage() {
    JavaFileObject source =
        source(
            "Pools",
            """
            class Pools {
              @AsyncContextManager
              static String lease(AsyncYield<String> yield) {
                yield.yield("x");
                return "done";
              }
            }
            """);
    Compilation compilation =
        assertSingleError(source, "[AsyncWith/ReturnType]", "static String lease(");
    assertThat(compilation)
        .hadErrorContaining("must return CompletionStage<?> or a subtype");
  }

  @Test
  void blockingMethodMustReturnVoid() {
    JavaFileObject source =
        source(
            "Pools",
            """
            class Pools {
              @AsyncContextManager
              static int transaction(Yield<String> yield) throws Exception {
                yield.yield("x");
                return 1;
              }
            }
            """);
    Compilation compilation =
        assertSingleError(source, "[AsyncWith/ReturnType]", "static int transaction(");
    assertThat(compilation).hadErrorContaining("blocking and must return void");
  }

  @Test
  void invalidNameIsReportedOnTheAnnotationValue() {
    JavaFileObject source =
        source(
            "Pools",
            """
            class Pools {
              @AsyncContextManager(
                  name = "not a name")
              static CompletionStage<Void> lease(AsyncYield<String> yield) {
                return yield.yield("x");
              }
            }
            """);
    Compilation compilation =
        assertSingleError(source, "[AsyncWith/InvalidName]", "name = \"not a name\"");
    assertThat(compilation).hadErrorContaining("such as \"PoolsLease\"");
  }

  @Test
  void nameCollidingWithAnExistingType() {
    JavaFileObject source =
        source(
            "Pools",
            """
            class Pools {
              @AsyncContextManager
              static CompletionStage<Void> lease(AsyncYield<String> yield) {
                return yield.yield("x");
              }
            }

            class PoolsLease {}
            """);
    Compilation compilation = assertSingleError(source, "[AsyncWith/NameCollision]", "lease(");
    assertThat(compilation)
        .hadErrorContaining("collides with the existing type test.PoolsLease");
    assertThat(compilation)
        .hadErrorContaining("Fix: choose another name with @AsyncContextManager(name = \"...\")");
  }

  @Test
  void overriddenNameCollidingIsReportedOnTheAnnotationValue() {
    JavaFileObject source =
        source(
            "Pools",
            """
            class Pools {
              @AsyncContextManager(
                  name = "Pools")
              static CompletionStage<Void> lease(AsyncYield<String> yield) {
                return yield.yield("x");
              }
            }
            """);
    assertSingleError(source, "[AsyncWith/NameCollision]", "name = \"Pools\"");
  }

  @Test
  void twoMethodsGeneratingOneNameAreBothReported() {
    JavaFileObject source =
        source(
            "Pools",
            """
            class Pools {
              @AsyncContextManager(name = "Lease") // first
              static CompletionStage<Void> first(AsyncYield<String> yield) {
                return yield.yield("x");
              }

              @AsyncContextManager(name = "Lease") // second
              static CompletionStage<Void> second(AsyncYield<String> yield) {
                return yield.yield("y");
              }
            }
            """);
    Compilation compilation = Compilations.compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining("the class generated for Pools.second")
        .inFile(source)
        .onLineContaining("// first");
    assertThat(compilation)
        .hadErrorContaining("the class generated for Pools.first")
        .inFile(source)
        .onLineContaining("// second");
  }

  @Test
  void inaccessibleType() {
    JavaFileObject source =
        source(
            "Pools",
            """
            class Pools {
              private static final class Token {}

              @AsyncContextManager
              static CompletionStage<Void> lease(Token token, AsyncYield<String> yield) {
                return yield.yield("x");
              }
            }
            """);
    Compilation compilation =
        assertSingleError(source, "[AsyncWith/InaccessibleType]", "lease(Token token");
    assertThat(compilation)
        .hadErrorContaining("uses the type test.Pools.Token, which is private");
  }

  @Test
  void shadowedTypeParameter() {
    JavaFileObject source =
        source(
            "Box",
            """
            class Box<T> {
              @AsyncContextManager
              <T> CompletionStage<Void> open(AsyncYield<T> yield) {
                return yield.yield(null);
              }
            }
            """);
    Compilation compilation =
        assertSingleError(source, "[AsyncWith/ShadowedTypeParameter]", "open(");
    assertThat(compilation).hadErrorContaining("two type parameters named T");
  }

  @Test
  void unusedYield() {
    JavaFileObject source =
        source(
            "Pools",
            """
            class Pools {
              @AsyncContextManager
              static CompletionStage<Void> lease(AsyncYield<String> yield) {
                return CompletableFuture.completedFuture(null);
              }
            }
            """);
    Compilation compilation = assertSingleError(source, "[AsyncWith/UnusedYield]", "lease(");
    assertThat(compilation)
        .hadErrorContaining("Fix: call yield.yield(value) exactly once");
  }

  @Test
  void localClass() {
    JavaFileObject source =
        source(
            "Pools",
            """
            class Pools {
              static Object make() {
                class Local {
                  @AsyncContextManager
                  CompletionStage<Void> inLocal(AsyncYield<String> yield) {
                    return yield.yield("x");
                  }
                }
                return new Local();
              }

              // javac runs the processor only when a visible method carries the annotation.
              @AsyncContextManager
              static CompletionStage<Void> visible(AsyncYield<String> yield) {
                return yield.yield("v");
              }
            }
            """);
    Compilation compilation = assertSingleError(source, "[AsyncWith/LocalClass]", "inLocal(");
    assertThat(compilation)
        .hadErrorContaining("Local.inLocal is declared in a local or anonymous class");
  }

  @Test
  void anonymousClass() {
    JavaFileObject source =
        source(
            "Pools",
            """
            class Pools {
              static final Object FIELD = new Object() {
                @AsyncContextManager
                CompletionStage<Void> inAnonymous(AsyncYield<String> yield) {
                  return yield.yield("x");
                }
              };

              // javac runs the processor only when a visible method carries the annotation.
              @AsyncContextManager
              static CompletionStage<Void> visible(AsyncYield<String> yield) {
                return yield.yield("v");
              }
            }
            """);
    assertSingleError(source, "[AsyncWith/LocalClass]", "inAnonymous(");
  }

  @Test
  void unresolvedTypeAfterTheLastRound() {
    JavaFileObject source =
        source(
            "Pools",
            """
            class Pools {
              @AsyncContextManager
              static CompletionStage<Void> lease(Missing missing, AsyncYield<String> yield) {
                return yield.yield("x");
              }
            }
            """);
    Compilation compilation = Compilations.compile(source);
    assertThat(compilation).failed();
    assertThat(compilation)
        .hadErrorContaining("[AsyncWith/UnresolvedType]")
        .inFile(source)
        .onLineContaining("lease(Missing missing");
    assertThat(compilation).hadErrorContaining("its signature uses Missing");
  }
}
