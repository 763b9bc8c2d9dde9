package dev.asyncwith.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.Processor;
import javax.tools.JavaFileObject;

/** Compiles test sources through the processor, with the warning-free standard of DESIGN.md. */
final class Compilations {
  /**
   * The standard generated code must meet: no warning at all, except about unclaimed annotations.
   */
  static final List<String> STRICT = List.of("-Xlint:all,-processing", "-Werror");

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

  /** A source file named after its class, from lines joined with newlines. */
  static JavaFileObject source(String qualifiedName, String text) {
    return JavaFileObjects.forSourceString(qualifiedName, text);
  }
}
