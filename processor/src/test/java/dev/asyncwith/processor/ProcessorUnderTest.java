package dev.asyncwith.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.List;
import java.util.ServiceLoader;
import javax.annotation.processing.Processor;
import javax.tools.JavaFileObject;

/**
 * The asyncwith processor as javac finds it: through its service registration (so these tests
 * also prove that the processor is registered), run by compile-testing with the project's lint
 * settings.
 */
final class ProcessorUnderTest {
  /** The processor's class name, as DESIGN.md fixes it. */
  static final String PROCESSOR = "dev.asyncwith.processor.AsyncContextManagerProcessor";
  /** The warning-free standard for generated code (CRAFT.md). */
  static final List<String> LINT = List.of("-Xlint:all,-processing");

  private ProcessorUnderTest() {}

  /** A fresh instance of the registered asyncwith processor. */
  static Processor newProcessor() {
    for (Processor processor : ServiceLoader.load(Processor.class)) {
      if (processor.getClass().getName().equals(PROCESSOR)) {
        return processor;
      }
    }
    throw new AssertionError(PROCESSOR + " is not registered as a javax.annotation.processing"
        + ".Processor service");
  }

  /** Compiles {@code sources} with the processor and lint options. */
  static Compilation compile(JavaFileObject... sources) {
    return Compiler.javac().withProcessors(newProcessor()).withOptions(LINT).compile(sources);
  }

  /** Compiles {@code sources} with lint options and no processor at all. */
  static Compilation compileWithoutProcessor(JavaFileObject... sources) {
    return Compiler.javac().withOptions(LINT).withOptions("-proc:none").compile(sources);
  }

  /** A source file named after its top-level type. */
  static JavaFileObject source(String qualifiedName, String text) {
    return JavaFileObjects.forSourceString(qualifiedName, text);
  }
}
