package dev.asyncwith.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import javax.annotation.processing.Processor;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The processor beside Lombok, which a large share of Java builds run: Lombok changes classes in
 * place (adding constructors, accessors, builder types) while the rounds run, so a method the
 * processor deferred must be found again by what it is, never by where it stood. Both orders on the
 * processor path, since users do not choose it.
 */
class LombokTest {
  /** Which processor javac runs first. */
  enum Order {
    ASYNCWITH_FIRST,
    LOMBOK_FIRST
  }

  private static final JavaFileObject CONFIG =
      Compilations.sourceFile(
          "test.Cfg",
          """
          package test;

          /** A configuration built by Lombok's builder, which exists only once Lombok has run. */
          @lombok.Builder
          public final class Cfg {
            final String url;
          }
          """);

  private static final JavaFileObject SERVICE =
      Compilations.sourceFile(
          "test.Svc",
          """
          package test;

          import dev.asyncwith.AsyncYield;
          import dev.asyncwith.annotations.AsyncContextManager;
          import java.util.concurrent.CompletionStage;

          /** A service whose constructor and accessor Lombok writes. */
          @lombok.RequiredArgsConstructor
          public final class Svc {
            @lombok.Getter private final String name;

            /**
             * Opens a session from a builder type Lombok generates.
             *
             * @param config the configuration's builder
             * @param yield receives the session's name
             * @return completes after the session is closed
             */
            @AsyncContextManager
            public CompletionStage<Void> session(Cfg.CfgBuilder config, AsyncYield<String> yield) {
              return yield.yield(getName() + "@" + config.build().url);
            }

            /**
             * Opens a session using only the Lombok-written accessor.
             *
             * @param yield receives the name
             * @return completes after the session is closed
             */
            @AsyncContextManager
            public CompletionStage<Void> named(AsyncYield<String> yield) {
              return yield.yield(getName());
            }
          }
          """);

  @ParameterizedTest
  @EnumSource(Order.class)
  void deferredBuilderTypeAndGeneratedAccessorCompileWarningFree(Order order) {
    Compilation compilation = compile(order, CONFIG, SERVICE);

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("test.SvcSession");
    assertThat(compilation).generatedSourceFile("test.SvcNamed");
  }

  @ParameterizedTest
  @EnumSource(Order.class)
  void methodDeferredInAClassLombokChangedIsStillReportedOnItsLine(Order order) {
    JavaFileObject broken =
        Compilations.sourceFile(
            "test.Broken",
            """
            package test;

            import dev.asyncwith.AsyncYield;
            import dev.asyncwith.annotations.AsyncContextManager;
            import java.util.concurrent.CompletionStage;

            @lombok.RequiredArgsConstructor
            final class Broken {
              private final String name;

              @AsyncContextManager
              CompletionStage<Void> open(Cfg.CfgBuilder config, AsyncYield<String> yield) {
                return yield.yield(name);
              }

              @AsyncContextManager
              CompletionStage<Void> missing(NoSuchType type, AsyncYield<String> yield) {
                return yield.yield(name);
              }
            }
            """);
    Compilation compilation = compile(order, CONFIG, broken);

    assertThat(compilation).failed();
    List<String> ours =
        compilation.errors().stream()
            .map(d -> d.getMessage(null))
            .filter(m -> m.contains("[AsyncWith/"))
            .toList();
    // Only the method whose type never appears is reported, on its own line; the one deferred
    // for Lombok's builder is found again, not mistaken for the constructor Lombok inserted.
    assertThat(ours).hasSize(1);
    assertThat(compilation)
        .hadErrorContaining("[AsyncWith/UnresolvedType]")
        .inFile(broken)
        .onLineContaining("missing(");
  }

  private static Compilation compile(Order order, JavaFileObject... sources) {
    List<Processor> processors = new ArrayList<>();
    processors.add(lombok());
    if (order == Order.LOMBOK_FIRST) {
      return Compilations.compile(processors, List.of(), sources);
    }
    return Compilations.compileBefore(processors, sources);
  }

  private static Processor lombok() {
    for (Processor processor : ServiceLoader.load(Processor.class)) {
      if (processor.getClass().getName().startsWith("lombok.")) {
        return processor;
      }
    }
    throw new AssertionError("Lombok's processor is not on the test class path");
  }
}
