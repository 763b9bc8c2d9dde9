package dev.asyncwith.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.asyncwith.AsyncResource;
import dev.asyncwith.processor.AnnotatedSource.Container;
import dev.asyncwith.processor.AnnotatedSource.Expectation;
import dev.asyncwith.processor.AnnotatedSource.MethodKind;
import dev.asyncwith.processor.AnnotatedSource.Placement;
import dev.asyncwith.processor.AnnotatedSource.YieldShape;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Random annotated sources, well-formed and malformed (modifiers, parameter shapes, generics and
 * bounds, nested, inner, local and anonymous types, records, interfaces, enums, missing types,
 * the annotation on the wrong kind of element, bad and colliding names), compiled with the
 * processor. For each:
 *
 * <ul>
 *   <li>javac never reports a processor crash, and no error names the processor (its own
 *       "unexpected error" fallback);
 *   <li>a rejection is reported by the processor as an error positioned inside the offending
 *       element and naming the method, and never as an error in generated code;
 *   <li>an acceptance compiles warning-free under {@code -Xlint:all,-processing}, produces the
 *       class docs/RULES.md's name template gives, final, without a public constructor, public
 *       exactly when the method and its enclosing types are; and, where a receiver can be made,
 *       the compiled manager is loaded and its {@code use} runs and yields the method's value;
 *   <li>what docs/RULES.md says must be rejected is rejected, and what it says is valid is accepted.
 * </ul>
 *
 * <p>Tries default to this module's {@code junit-platform.properties}; raise them with {@code
 * -Djqwik.tries.default=N}.
 */
class ProcessorRobustnessPropertiesTest {
  /** A diagnostic code javac gives every error or warning a processor reports. */
  private static final String PROCESSOR_ERROR = "compiler.err.proc.messager";
  /** Lint codes a raw yield type legitimately produces in the user's own source. */
  private static final Set<String> RAW_SOURCE_WARNINGS =
      Set.of("compiler.warn.raw.class.use", "compiler.warn.unchecked.call.mbr.of.raw.type");

  @Property
  void anySourceIsHandledCleanly(@ForAll("anything") AnnotatedSource source) {
    assertNoProblems(source);
  }

  @Property
  void wellFormedSourcesAreAcceptedAndRun(@ForAll("wellFormed") AnnotatedSource source) {
    assertNoProblems(source);
  }

  @Provide
  Arbitrary<AnnotatedSource> anything() {
    return AnnotatedSources.anything();
  }

  @Provide
  Arbitrary<AnnotatedSource> wellFormed() {
    return AnnotatedSources.wellFormed();
  }

  /** Fails with every problem found, and the source. */
  static void assertNoProblems(AnnotatedSource source) {
    AnnotatedSource.Rendered rendered = source.render();
    List<String> outcome = new ArrayList<>();
    List<String> problems = problems(source, rendered, outcome);
    Statistics.label("docs/RULES.md expects").collect(source.expectation());
    Statistics.label("outcome").collect(outcome.isEmpty() ? "none" : outcome.get(0));
    assertEquals(List.of(), problems,
        () -> source + "\n" + rendered.text() + "\n  " + String.join("\n  ", problems));
  }

  /** Compiles {@code source} with the processor and lists every broken invariant. */
  static List<String> problems(
      AnnotatedSource source, AnnotatedSource.Rendered rendered, List<String> outcome) {
    List<String> problems = new ArrayList<>();
    JavaFileObject file = Compilations.sourceFile("test.Subject", rendered.text());
    Compilation compilation;
    try {
      compilation = Compilations.compileLinted(file);
    } catch (RuntimeException | Error crash) {
      problems.add("javac crashed: " + crash);
      return problems;
    }
    for (Diagnostic<? extends JavaFileObject> diagnostic : compilation.diagnostics()) {
      String message = diagnostic.getMessage(Locale.ROOT);
      if (message.contains("An exception has occurred")
          || message.contains("threw an uncaught exception")
          || (diagnostic.getKind() == Diagnostic.Kind.ERROR
              && message.contains("AsyncContextManagerProcessor"))) {
        problems.add("processor crash reported: " + message);
      }
    }
    Expectation expectation = source.expectation();
    if (!compilation.errors().isEmpty()) {
      outcome.add("rejected");
      if (expectation == Expectation.ACCEPT) {
        problems.add("rejected a source docs/RULES.md says is valid: " + describe(compilation));
      }
      for (Diagnostic<? extends JavaFileObject> error : compilation.errors()) {
        boolean inInput = error.getSource() != null
            && error.getSource().toUri().equals(file.toUri());
        String message = error.getMessage(Locale.ROOT);
        if (!inInput) {
          problems.add("an error outside the user's source (generated code that does not "
              + "compile?): " + describe(error));
          continue;
        }
        if (PROCESSOR_ERROR.equals(error.getCode())) {
          long position = error.getPosition();
          if (position == Diagnostic.NOPOS
              || position < rendered.elementStart()
              || position >= rendered.elementEnd()) {
            problems.add("a processor error is not positioned inside the offending element ["
                + rendered.elementStart() + ", " + rendered.elementEnd() + "): "
                + describe(error));
          }
          if (source.placement() == Placement.METHOD && !message.contains(source.methodName())) {
            problems.add("a processor error does not name the method " + source.methodName()
                + ": " + message);
          }
        }
      }
      return problems;
    }

    outcome.add("accepted");
    if (expectation == Expectation.REJECT) {
      problems.add("accepted a source docs/RULES.md says must be rejected");
      return problems;
    }
    for (Diagnostic<? extends JavaFileObject> warning : compilation.warnings()) {
      boolean inInput = warning.getSource() != null
          && warning.getSource().toUri().equals(file.toUri());
      boolean expectedRaw = inInput && source.yieldShape() == YieldShape.RAW
          && RAW_SOURCE_WARNINGS.contains(warning.getCode());
      if (!expectedRaw) {
        problems.add("an accepted source compiled with a warning: " + describe(warning));
      }
    }
    if (source.placement() != Placement.METHOD
        || source.container() == Container.LOCAL
        || source.container() == Container.ANONYMOUS) {
      return problems; // nothing to generate, or nothing the processor can see
    }
    CompiledClasses classes = new CompiledClasses(compilation);
    String generated = AnnotatedSource.PACKAGE + "." + source.generatedSimpleName();
    if (!classes.has(generated)) {
      problems.add("no class " + generated + " was generated (the rules' name template)");
      return problems;
    }
    try {
      checkGeneratedClass(source, classes, generated, problems, outcome);
    } catch (ReflectiveOperationException | RuntimeException e) {
      problems.add("loading or running " + generated + " failed: " + e);
    }
    return problems;
  }

  private static void checkGeneratedClass(
      AnnotatedSource source,
      CompiledClasses classes,
      String generated,
      List<String> problems,
      List<String> outcome)
      throws ReflectiveOperationException {
    Class<?> manager = classes.loadClass(generated);
    if (!AsyncResource.class.isAssignableFrom(manager)) {
      problems.add(generated + " does not implement AsyncResource");
    }
    if (!Modifier.isFinal(manager.getModifiers())) {
      problems.add(generated + " is not final");
    }
    if (manager.getConstructors().length != 0) {
      problems.add(generated + " has a public constructor; of(...) must be the only way in");
    }
    boolean expectPublic = source.methodPublic() && source.enclosingPublic();
    if (Modifier.isPublic(manager.getModifiers()) != expectPublic) {
      problems.add(generated + " is " + (expectPublic ? "not " : "") + "public; expected "
          + (expectPublic ? "public" : "package-private") + " (method public: "
          + source.methodPublic() + ", enclosing types public: " + source.enclosingPublic()
          + ")");
    }
    List<Method> factories = new ArrayList<>();
    for (Method method : manager.getDeclaredMethods()) {
      if (method.getName().equals("of") && Modifier.isStatic(method.getModifiers())) {
        factories.add(method);
      }
    }
    if (factories.size() != 1) {
      problems.add(generated + " has " + factories.size() + " static of(...) methods");
      return;
    }
    Method of = factories.get(0);
    if (!manager.isAssignableFrom(of.getReturnType())) {
      problems.add("of(...) returns " + of.getReturnType().getName() + ", not " + generated);
    }
    if (!source.runnable() || source.methodKind() == MethodKind.ABSTRACT) {
      return;
    }
    Object[] arguments = arguments(source, classes, of.getParameterTypes());
    of.setAccessible(true);
    Object instance;
    try {
      instance = of.invoke(null, arguments);
    } catch (InvocationTargetException e) {
      problems.add("of(...) threw " + e.getCause());
      return;
    }
    @SuppressWarnings("unchecked")
    AsyncResource<Object> resource = (AsyncResource<Object>) instance;
    CompletableFuture<Object> result = resource.use(CompletableFuture::completedFuture);
    Object value;
    try {
      value = result.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      problems.add("use(...) of the generated manager did not complete normally: " + e);
      return;
    }
    outcome.set(0, "accepted and ran");
    if (source.yieldedString() != null && !Objects.equals(source.yieldedString(), value)) {
      problems.add("the block received " + value + ", not the yielded " + source.yieldedString());
    }
  }

  /** Arguments for {@code of}: the receiver first for instance methods, then defaults. */
  private static Object[] arguments(
      AnnotatedSource source, CompiledClasses classes, Class<?>[] types)
      throws ReflectiveOperationException {
    Object[] arguments = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Class<?> type = types[i];
      if (i == 0 && source.instanceMethod()) {
        arguments[i] = receiver(source, classes);
      } else if (type == int.class) {
        arguments[i] = 0;
      } else if (type == long.class) {
        arguments[i] = 0L;
      } else if (type == boolean.class) {
        arguments[i] = false;
      } else if (type == String.class) {
        arguments[i] = "argument";
      } else if (type.isArray()) {
        arguments[i] = Array.newInstance(type.getComponentType(), 0);
      } else if (type == List.class) {
        arguments[i] = List.of();
      } else {
        arguments[i] = null;
      }
    }
    return arguments;
  }

  private static Object receiver(AnnotatedSource source, CompiledClasses classes)
      throws ReflectiveOperationException {
    Class<?> subject = classes.loadClass(AnnotatedSource.PACKAGE + "." + AnnotatedSource.SUBJECT);
    switch (source.container()) {
      case TOP_ENUM:
        return subject.getEnumConstants()[0];
      case STATIC_NESTED:
        return newInstance(classes.loadClass(subject.getName() + "$Inner"));
      case INNER:
        {
          Object outer = newInstance(subject);
          Constructor<?> constructor =
              classes.loadClass(subject.getName() + "$Inner").getDeclaredConstructor(subject);
          constructor.setAccessible(true);
          return constructor.newInstance(outer);
        }
      default:
        return newInstance(subject);
    }
  }

  private static Object newInstance(Class<?> type) throws ReflectiveOperationException {
    Constructor<?> constructor = type.getDeclaredConstructor();
    constructor.setAccessible(true);
    return constructor.newInstance();
  }

  private static String describe(Compilation compilation) {
    List<String> lines = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> diagnostic : compilation.diagnostics()) {
      lines.add(describe(diagnostic));
    }
    return String.join(" | ", lines);
  }

  private static String describe(Diagnostic<? extends JavaFileObject> diagnostic) {
    String where = diagnostic.getSource() == null
        ? "(no source)"
        : diagnostic.getSource().getName() + ":" + diagnostic.getLineNumber();
    return diagnostic.getKind() + " " + diagnostic.getCode() + " at " + where + " (pos "
        + diagnostic.getPosition() + "): " + diagnostic.getMessage(Locale.ROOT);
  }
}
