package dev.asyncwith.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.Processor;
import javax.tools.JavaFileObject;

/**
 * The one compile fixture of the processor's tests: sources in package {@code test}, compiling them
 * through the processor (alone, beside other processors, or instrumented), with the warning-free
 * standard generated code must meet, or without the processor; and the usual assertion on a
 * rejected method.
 */
final class Compilations {
  private static final String HEADER =
      """
      package test;

      import dev.asyncwith.AsyncYield;
      import dev.asyncwith.Yield;
      import dev.asyncwith.annotations.AsyncContextManager;
      import java.util.concurrent.CompletableFuture;
      import java.util.concurrent.CompletionStage;

      """;

  /**
   * The standard generated code must meet: no warning at all, except about unclaimed annotations.
   */
  static final List<String> STRICT = List.of("-Xlint:all,-processing", "-Werror");

  /** Every warning on, none an error: for sources whose own code may draw warnings. */
  static final List<String> LINT = List.of("-Xlint:all,-processing");

  private Compilations() {}

  /** Compiles {@code sources} with the processor, under {@link #STRICT}. */
  static Compilation compile(JavaFileObject... sources) {
    return compile(List.of(), List.of(), sources);
  }

  /**
   * Compiles with the processor, extra processors first, and extra options after the strict ones.
   */
  static Compilation compile(
      List<Processor> extraProcessors, List<String> extraOptions, JavaFileObject... sources) {
    List<Processor> processors = new ArrayList<>(extraProcessors);
    processors.add(new AsyncContextManagerProcessor());
    List<String> options = new ArrayList<>(STRICT);
    options.addAll(extraOptions);
    return Compiler.javac().withProcessors(processors).withOptions(options).compile(sources);
  }

  /** Compiles {@code sources} with {@code processor} (an instrumented one), under {@link #STRICT}. */
  static Compilation compileWith(Processor processor, List<String> extraOptions,
      JavaFileObject... sources) {
    List<String> options = new ArrayList<>(STRICT);
    options.addAll(extraOptions);
    return Compiler.javac().withProcessors(processor).withOptions(options).compile(sources);
  }

  /** Compiles {@code sources} with the processor under {@link #LINT}: warnings stay warnings. */
  static Compilation compileLinted(JavaFileObject... sources) {
    return Compiler.javac()
        .withProcessors(new AsyncContextManagerProcessor())
        .withOptions(LINT)
        .compile(sources);
  }

  /** Compiles {@code sources} under {@link #LINT} with no processor at all. */
  static Compilation compileWithoutProcessor(JavaFileObject... sources) {
    return Compiler.javac().withOptions(LINT).withOptions("-proc:none").compile(sources);
  }

  /** Compiles with the processor first, then {@code laterProcessors}, under {@link #STRICT}. */
  static Compilation compileBefore(List<Processor> laterProcessors, JavaFileObject... sources) {
    List<Processor> processors = new ArrayList<>();
    processors.add(new AsyncContextManagerProcessor());
    processors.addAll(laterProcessors);
    return Compiler.javac().withProcessors(processors).withOptions(STRICT).compile(sources);
  }

  /** A source file named after its class, with {@code text} as its whole content. */
  static JavaFileObject sourceFile(String qualifiedName, String text) {
    return JavaFileObjects.forSourceString(qualifiedName, text);
  }

  /** A source file {@code test.<name>} with the usual imports and {@code body} as its text. */
  static JavaFileObject source(String name, String body) {
    return sourceFile("test." + name, HEADER + body);
  }

  /**
   * Asserts that {@code compilation} failed with exactly one error, which contains {@code
   * messagePart} and stands on the line of {@code source} containing {@code lineContaining}.
   *
   * @return {@code compilation}, for further assertions
   */
  static Compilation assertSingleError(
      Compilation compilation, JavaFileObject source, String messagePart, String lineContaining) {
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(messagePart)
        .inFile(source)
        .onLineContaining(lineContaining);
    return compilation;
  }

  /**
   * Compiles {@code source} and asserts its single error, as {@link #assertSingleError(Compilation,
   * JavaFileObject, String, String)}.
   *
   * @return the compilation, for further assertions
   */
  static Compilation assertSingleError(
      JavaFileObject source, String messagePart, String lineContaining) {
    return assertSingleError(compile(source), source, messagePart, lineContaining);
  }
}
