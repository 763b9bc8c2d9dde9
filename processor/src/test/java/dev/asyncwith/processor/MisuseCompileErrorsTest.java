package dev.asyncwith.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.testing.compile.Compilation;
import dev.asyncwith.AsyncExitStack;
import dev.asyncwith.AsyncResource;
import dev.asyncwith.AsyncWith;
import java.lang.reflect.Method;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The Java edition of the tutorials' misuse cases. In Python, {@code async with} on a synchronous
 * context manager and {@code with} on an asynchronous one fail at run time with a {@code
 * TypeError}; in Java both are compile errors, because of the API's shape: a synchronous {@code
 * AutoCloseable} is not an {@code AsyncResource}, and an {@code AsyncResource} (hand-written, an
 * exit stack, or a generated manager) is not {@code AutoCloseable}. The shape is checked directly;
 * the generated manager, the one type the processor writes, is also tried in try-with-resources,
 * with a control that compiles, so the error is the misuse and nothing else.
 */
class MisuseCompileErrorsTest {

  /** The compile failed with an error containing {@code error} on the line with {@code line}. */
  private static void assertRejected(
      Compilation compilation, JavaFileObject source, String error, String line) {
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining(error).inFile(source).onLineContaining(line);
  }

  /**
   * The shape that makes the misuses compile errors, stated directly: no asynchronous resource is
   * {@code AutoCloseable}, no {@code AutoCloseable} is an asynchronous resource, and the statement's
   * entry points accept asynchronous resources only.
   */
  @Test
  void asynchronousAndSynchronousResourcesAreUnrelatedTypes() throws NoSuchMethodException {
    assertFalse(AutoCloseable.class.isAssignableFrom(AsyncResource.class));
    assertFalse(AutoCloseable.class.isAssignableFrom(AsyncExitStack.class));
    assertFalse(AsyncResource.class.isAssignableFrom(AutoCloseable.class));
    for (Method method : AsyncWith.class.getMethods()) {
      if (method.getName().equals("with")) {
        Class<?>[] parameters = method.getParameterTypes();
        for (int i = 0; i < parameters.length - 1; i++) {
          assertEquals(AsyncResource.class, parameters[i], method.toString());
        }
      }
    }
    assertEquals(
        AsyncResource.class,
        AsyncExitStack.class.getMethod("enterContext", AsyncResource.class).getParameterTypes()[0]);
    for (Method method : AsyncExitStack.class.getMethods()) {
      for (Class<?> parameter : method.getParameterTypes()) {
        assertFalse(AutoCloseable.class.isAssignableFrom(parameter), method.toString());
      }
    }
  }

  @Test
  void generatedManagerInTryWithResourcesIsACompileError() {
    JavaFileObject source = Compilations.sourceFile(
        "test.Holder",
        "package test;\n"
            + "\n"
            + "import dev.asyncwith.AsyncYield;\n"
            + "import dev.asyncwith.annotations.AsyncContextManager;\n"
            + "import java.util.concurrent.CompletionStage;\n"
            + "\n"
            + "public class Holder {\n"
            + "  @AsyncContextManager\n"
            + "  static CompletionStage<Void> open(AsyncYield<String> yield) {\n"
            + "    return yield.yield(\"value\");\n"
            + "  }\n"
            + "\n"
            + "  static void misuse() throws Exception {\n"
            + "    try (HolderOpen manager = HolderOpen.of()) {\n"
            + "    }\n"
            + "  }\n"
            + "}\n");
    assertRejected(
        Compilations.compile(source),
        source,
        "try-with-resources not applicable",
        "try (HolderOpen");
  }

  @Test
  void correctUseOfAGeneratedManagerCompiles() {
    JavaFileObject source = Compilations.sourceFile(
        "test.Holder",
        "package test;\n"
            + "\n"
            + "import dev.asyncwith.AsyncYield;\n"
            + "import dev.asyncwith.annotations.AsyncContextManager;\n"
            + "import java.util.concurrent.CompletableFuture;\n"
            + "import java.util.concurrent.CompletionStage;\n"
            + "\n"
            + "public class Holder {\n"
            + "  @AsyncContextManager\n"
            + "  static CompletionStage<Void> open(AsyncYield<String> yield) {\n"
            + "    return yield.yield(\"value\");\n"
            + "  }\n"
            + "\n"
            + "  static CompletableFuture<Integer> proper() {\n"
            + "    return HolderOpen.of()\n"
            + "        .use(value -> CompletableFuture.completedFuture(value.length()));\n"
            + "  }\n"
            + "}\n");
    Compilation compilation = Compilations.compile(source);
    assertThat(compilation).succeededWithoutWarnings();
  }
}
