package dev.asyncwith.processor;

import com.google.auto.service.AutoService;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.FilerException;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * The asyncwith annotation processor: compiles each method annotated
 * {@code @dev.asyncwith.annotations.AsyncContextManager} into a class implementing {@code
 * dev.asyncwith.AsyncResource}, as the project's DESIGN.md describes.
 *
 * <p>Each round it analyses every annotated method (reporting every problem found, one bad method
 * never stopping the others), defers methods whose signature uses types that another processor has
 * not generated yet, and then generates one file per valid method, with that method as the file's
 * only originating element (isolating, for Gradle's incremental builds). Any unexpected exception
 * becomes an error on the method, never a javac crash.
 *
 * <p>Option {@value #CRASH_ON_OPTION}: a method's {@code Enclosing.method} name, on which the
 * processor throws on purpose; for testing that failures inside the processor are contained.
 */
@AutoService(Processor.class)
public final class AsyncContextManagerProcessor extends AbstractProcessor {
  /** The processor option that makes it fail on purpose on one method, for tests. */
  public static final String CRASH_ON_OPTION = "asyncwith.testing.crashOn";

  private Reporter reporter;
  private MethodValidator analyzer;
  private ManagerGenerator generator;
  private LocalClassScanner localClassScanner;
  private NameCollisions nameCollisions;
  private PackageTypes packageTypes;
  private DeferredMethods deferred;

  /** Creates the processor; javac calls this through the service loader. */
  public AsyncContextManagerProcessor() {}

  @Override
  public synchronized void init(ProcessingEnvironment environment) {
    super.init(environment);
    reporter = new Reporter(environment.getMessager());
    CompilerTrees trees = new CompilerTrees(environment);
    packageTypes = new PackageTypes(environment.getElementUtils());
    analyzer = new MethodValidator(environment, reporter, trees, packageTypes);
    generator = new ManagerGenerator(environment, packageTypes);
    localClassScanner = new LocalClassScanner(trees);
    nameCollisions = new NameCollisions(reporter);
    deferred = new DeferredMethods(environment.getElementUtils(), environment.getTypeUtils());
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(RuntimeTypes.ASYNC_CONTEXT_MANAGER.canonicalName());
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(CRASH_ON_OPTION);
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (round.processingOver()) {
      reportStillDeferred();
      return true;
    }
    packageTypes.newRound();
    Set<ExecutableElement> methods =
        new LinkedHashSet<>(deferred.takeAll());
    TypeElement annotation =
        processingEnv
            .getElementUtils()
            .getTypeElement(RuntimeTypes.ASYNC_CONTEXT_MANAGER.canonicalName());
    if (annotation != null) {
      for (Element element : round.getElementsAnnotatedWith(annotation)) {
        if (element.getKind() == ElementKind.METHOD) {
          methods.add((ExecutableElement) element);
        }
      }
    }
    for (Element root : round.getRootElements()) {
      guard(root, () -> localClassScanner.scan(root));
    }

    List<ManagerModel> valid = new ArrayList<>();
    for (ExecutableElement method : methods) {
      guard(method, () -> analyze(method).ifPresent(valid::add));
    }
    for (ManagerModel model : nameCollisions.claim(valid)) {
      guard(model.method(), () -> write(model));
    }
    return true;
  }

  private Optional<ManagerModel> analyze(ExecutableElement method) {
    String crashOn = processingEnv.getOptions().get(CRASH_ON_OPTION);
    if (crashOn != null && crashOn.equals(MethodNames.sourceName(method))) {
      throw new IllegalStateException(
          "failure requested with -A" + CRASH_ON_OPTION + "=" + crashOn);
    }
    Validation analysis = analyzer.analyze(method);
    if (analysis instanceof Validation.Deferred waiting) {
      deferred.defer(method, waiting.missingTypes());
      return Optional.empty();
    }
    return analysis instanceof Validation.Valid v ? Optional.of(v.model()) : Optional.empty();
  }

  private void write(ManagerModel model) {
    GeneratedSource source = generator.generate(model);
    try {
      JavaFileObject file =
          processingEnv.getFiler().createSourceFile(source.name().canonicalName(), model.method());
      try (Writer writer = file.openWriter()) {
        writer.write(source.text());
      } catch (IOException | RuntimeException e) {
        file.delete();
        throw e;
      }
    } catch (FilerException alreadyCreated) {
      // Another processor created a file with this name during this compilation.
      reporter.error(
          model.method(),
          Message.NAME_COLLISION,
          model.sourceName(),
          model.generatedClass().canonicalName(),
          "a file already generated in this compilation (" + alreadyCreated.getMessage() + ")");
    } catch (IOException e) {
      reportFailure(model.method(), e);
    }
  }

  private void reportStillDeferred() {
    for (DeferredMethods.Entry entry : deferred.remaining()) {
      String text =
          Message.UNRESOLVED_TYPE.format(
              entry.sourceName(), String.join(", ", entry.missingTypes()));
      Optional<ExecutableElement> method = deferred.find(entry);
      if (method.isPresent()) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, text, method.get());
      } else {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, text);
      }
    }
  }

  /** Runs one element's work; whatever it throws becomes an error on that element. */
  private void guard(Element element, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
      reportFailure(element, e);
    }
  }

  private void reportFailure(Element element, Throwable failure) {
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    String name =
        element instanceof ExecutableElement method
            ? MethodNames.sourceName(method)
            : element.toString();
    processingEnv
        .getMessager()
        .printMessage(
            Diagnostic.Kind.ERROR,
            Message.PROCESSOR_ERROR.format(
                name, getClass().getName(), failure, trace.toString().strip()),
            element);
  }
}
