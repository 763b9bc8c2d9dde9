package dev.asyncwith.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The Java edition of the tutorials' misuse cases. In Python, {@code async with} on a
 * synchronous context manager and {@code with} on an asynchronous one fail at run time with a
 * {@code TypeError}; in Java both are compile errors: a synchronous {@code AutoCloseable} is not
 * an {@code AsyncResource}, and an {@code AsyncResource} (hand-written, an exit stack, or a
 * generated manager) is not {@code AutoCloseable}, so try-with-resources rejects it. Each case has
 * a control that compiles, so the error is the misuse and nothing else.
 */
class MisuseCompileErrorsTest {

  private static JavaFileObject misuse(String body) {
    return ProcessorUnderTest.source(
        "test.Misuse",
        "package test;\n"
            + "\n"
            + "import dev.asyncwith.AsyncExitStack;\n"
            + "import dev.asyncwith.AsyncResource;\n"
            + "import dev.asyncwith.AsyncWith;\n"
            + "import java.io.Reader;\n"
            + "import java.io.StringReader;\n"
            + "import java.util.concurrent.CompletableFuture;\n"
            + "import java.util.concurrent.CompletionStage;\n"
            + "\n"
            + "class Misuse {\n"
            + body
            + "}\n");
  }

  /** The compile failed with an error containing {@code error} on the line with {@code line}. */
  private static void assertRejected(
      Compilation compilation, JavaFileObject source, String error, String line) {
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining(error).inFile(source).onLineContaining(line);
  }

  @Test
  void synchronousCloseableAssignedToAsyncResourceIsACompileError() {
    JavaFileObject source = misuse(
        "  AsyncResource<String> resource = new StringReader(\"text\");\n");
    assertRejected(
        ProcessorUnderTest.compileWithoutProcessor(source),
        source,
        "incompatible types",
        "new StringReader");
  }

  @Test
  void synchronousCloseablePassedToWithIsACompileError() {
    JavaFileObject source = misuse(
        "  CompletableFuture<Integer> run(Reader reader, AsyncResource<String> other) {\n"
            + "    return AsyncWith.with(reader, other,\n"
            + "        (r, o) -> CompletableFuture.completedFuture(1));\n"
            + "  }\n");
    assertRejected(
        ProcessorUnderTest.compileWithoutProcessor(source),
        source,
        "with",
        "AsyncWith.with(reader");
  }

  @Test
  void synchronousCloseableEnteredOnAnExitStackIsACompileError() {
    JavaFileObject source = misuse(
        "  CompletionStage<?> run(AsyncExitStack stack, Reader reader) {\n"
            + "    return stack.enterContext(reader);\n"
            + "  }\n");
    assertRejected(
        ProcessorUnderTest.compileWithoutProcessor(source),
        source,
        "enterContext",
        "stack.enterContext(reader)");
  }

  @Test
  void asyncResourceInTryWithResourcesIsACompileError() {
    JavaFileObject source = misuse(
        "  void run(AsyncResource<String> resource) throws Exception {\n"
            + "    try (AsyncResource<String> r = resource) {\n"
            + "    }\n"
            + "  }\n");
    assertRejected(
        ProcessorUnderTest.compileWithoutProcessor(source),
        source,
        "try-with-resources not applicable",
        "try (AsyncResource");
  }

  @Test
  void asyncExitStackInTryWithResourcesIsACompileError() {
    JavaFileObject source = misuse(
        "  void run() throws Exception {\n"
            + "    try (AsyncExitStack stack = new AsyncExitStack()) {\n"
            + "    }\n"
            + "  }\n");
    assertRejected(
        ProcessorUnderTest.compileWithoutProcessor(source),
        source,
        "try-with-resources not applicable",
        "try (AsyncExitStack");
  }

  @Test
  void generatedManagerInTryWithResourcesIsACompileError() {
    JavaFileObject source = ProcessorUnderTest.source(
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
        ProcessorUnderTest.compile(source),
        source,
        "try-with-resources not applicable",
        "try (HolderOpen");
  }

  @Test
  void correctUseOfTheSameTypesCompiles() {
    JavaFileObject source = misuse(
        "  CompletableFuture<Integer> run(AsyncResource<String> resource, Reader reader) {\n"
            + "    AsyncExitStack stack = new AsyncExitStack();\n"
            + "    return resource\n"
            + "        .use(value -> stack.use(s -> CompletableFuture.completedFuture(1)))\n"
            + "        .whenComplete((v, failure) -> {\n"
            + "          try (Reader r = reader) {\n"
            + "            r.ready();\n"
            + "          } catch (java.io.IOException e) {\n"
            + "            throw new java.io.UncheckedIOException(e);\n"
            + "          }\n"
            + "        });\n"
            + "  }\n"
            + "\n"
            + "  CompletableFuture<Integer> both(\n"
            + "      AsyncResource<String> a, AsyncResource<String> b) {\n"
            + "    return AsyncWith.with(a, b, (x, y) -> CompletableFuture.completedFuture(2));\n"
            + "  }\n"
            + "\n"
            + "  CompletionStage<String> entered(AsyncExitStack stack, AsyncResource<String> a) {\n"
            + "    return stack.enterContext(a);\n"
            + "  }\n");
    Compilation compilation = ProcessorUnderTest.compileWithoutProcessor(source);
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void correctUseOfAGeneratedManagerCompiles() {
    JavaFileObject source = ProcessorUnderTest.source(
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
    Compilation compilation = ProcessorUnderTest.compile(source);
    assertThat(compilation).succeededWithoutWarnings();
  }
}
