package dev.asyncwith.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.asyncwith.processor.Compilations.source;

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

  @Test
  void aPackageTypeNamedLikeAJavaLangTypeTheFileDoesNotUseAddsNoImports() {
    JavaFileObject thread =
        Compilations.sourceFile(
            "test.Thread", "package test;\n/** Not java.lang's. */\npublic final class Thread {}\n");
    JavaFileObject names =
        source(
            "Names",
            """
            public class Names {
              @AsyncContextManager
              public static CompletionStage<Void> named(
                  java.lang.String name, AsyncYield<java.lang.String> yield) {
                return yield.yield(name);
              }
            }
            """);
    Compilation compilation = Compilations.compile(thread, names);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation)
        .generatedSourceFile("test.NamesNamed")
        .contentsAsUtf8String()
        .doesNotContain("import java.lang.");
  }

  @Test
  void javaLangTypesAreImportedOnlyWhereThePackageHasATypeOfTheSameName() {
    JavaFileObject string =
        Compilations.sourceFile(
            "test.String",
            "package test;\n/** Not java.lang's. */\npublic final class String {}\n");
    JavaFileObject override =
        Compilations.sourceFile(
            "test.Override",
            "package test;\n/** Not java.lang's. */\npublic @interface Override {}\n");
    JavaFileObject clashing =
        source(
            "Names",
            """
            public class Names {
              @AsyncContextManager
              public static CompletionStage<Void> named(
                  java.lang.String name, AsyncYield<java.lang.String> yield) {
                return yield.yield(name);
              }
            }
            """);
    Compilation compilation = Compilations.compile(string, override, clashing);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation)
        .generatedSourceFile("test.NamesNamed")
        .contentsAsUtf8String()
        .contains("import java.lang.Override;\nimport java.lang.String;\n");

    Compilation elsewhere =
        Compilations.compile(
            Compilations.sourceFile(
                "other.Names",
                """
                package other;

                import dev.asyncwith.AsyncYield;
                import dev.asyncwith.annotations.AsyncContextManager;
                import java.util.concurrent.CompletionStage;

                public class Names {
                  @AsyncContextManager
                  public static CompletionStage<Void> named(String name, AsyncYield<String> yield) {
                    return yield.yield(name);
                  }
                }
                """));
    assertThat(elsewhere).succeededWithoutWarnings();
    assertThat(elsewhere)
        .generatedSourceFile("other.NamesNamed")
        .contentsAsUtf8String()
        .doesNotContain("import java.lang.");
  }
}
