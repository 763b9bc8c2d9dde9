package dev.asyncwith.processor;

import com.google.auto.service.AutoService;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
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
import javax.tools.JavaFileObject;

/**
 * The asyncwith annotation processor: compiles each method annotated
 * {@code @dev.asyncwith.annotations.AsyncContextManager} into a class implementing {@code
 * dev.asyncwith.AsyncResource}, as {@code docs/RULES.md} describes.
 *
 * <p>Each round it validates every annotated method (reporting every problem found, one bad method
 * never stopping the others), defers methods whose signature uses types that another processor has
 * not generated yet, and then generates one file per valid method, with that method as the file's
 * only originating element (isolating, for Gradle's incremental builds). Any unexpected exception
 * becomes an error on the method, never a javac crash.
 */
@AutoService(Processor.class)
public final class AsyncContextManagerProcessor extends AbstractProcessor {
  private final Consumer<ExecutableElement> beforeEachMethod;
  private Reporter reporter;
  private MethodValidator validator;
  private ManagerGenerator generator;
  private LocalClassScanner localClassScanner;
  private NameCollisions nameCollisions;
  private PackageTypes packageTypes;
  private DeferredMethods deferred;
  // The classes this processor has written: later rounds hand them back as root elements, and
  // they need no scan for local classes (they have none).
  private final Set<String> written = new HashSet<>();

  /** Creates the processor; javac calls this through the service loader. */
  public AsyncContextManagerProcessor() {
    this(method -> {});
  }

  /**
   * Creates the processor with a hook run on each method before it is validated, inside the guard
   * that turns failures into errors: for tests of that guard.
   *
   * @param beforeEachMethod the hook
   */
  AsyncContextManagerProcessor(Consumer<ExecutableElement> beforeEachMethod) {
    this.beforeEachMethod = Objects.requireNonNull(beforeEachMethod, "beforeEachMethod");
  }

  @Override
  public synchronized void init(ProcessingEnvironment environment) {
    super.init(environment);
    reporter = new Reporter(environment.getMessager());
    CompilerTrees trees = new CompilerTrees(environment);
    packageTypes = new PackageTypes(environment.getElementUtils());
    localClassScanner = new LocalClassScanner(trees, reporter);
    nameCollisions = new NameCollisions(reporter, packageTypes);
    validator =
        new MethodValidator(environment, reporter, trees, nameCollisions, localClassScanner);
    generator = new ManagerGenerator(environment, packageTypes);
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
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (round.processingOver()) {
      reportStillDeferred();
      return true;
    }
    packageTypes.newRound();
    Set<ExecutableElement> methods = new LinkedHashSet<>(deferred.takeAll());
    for (TypeElement annotation : annotations) {
      for (Element element : round.getElementsAnnotatedWith(annotation)) {
        if (element.getKind() == ElementKind.METHOD) {
          methods.add((ExecutableElement) element);
        }
      }
    }
    for (Element root : round.getRootElements()) {
      if (!isWrittenHere(root)) {
        guard(root, () -> localClassScanner.scan(root));
      }
    }

    List<ManagerModel> valid = new ArrayList<>();
    for (ExecutableElement method : methods) {
      guard(method, () -> validate(method).ifPresent(valid::add));
    }
    for (ManagerModel model : nameCollisions.claim(valid)) {
      guard(model.method(), () -> write(model));
    }
    return true;
  }

  private Optional<ManagerModel> validate(ExecutableElement method) {
    beforeEachMethod.accept(method);
    Validation validation = validator.validate(method);
    if (validation instanceof Validation.Deferred waiting) {
      deferred.defer(method, waiting.missingTypes());
      return Optional.empty();
    }
    return validation instanceof Validation.Valid v ? Optional.of(v.model()) : Optional.empty();
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
      written.add(source.name().canonicalName());
    } catch (FilerException alreadyCreated) {
      // Another processor created a file with this name during this compilation.
      nameCollisions.alreadyWritten(model, alreadyCreated);
    } catch (IOException e) {
      reporter.failure(model.method(), getClass().getName(), e);
    }
  }

  /** Whether {@code root} is a class this processor wrote in an earlier round. */
  private boolean isWrittenHere(Element root) {
    return root instanceof TypeElement type
        && written.contains(type.getQualifiedName().toString());
  }

  private void reportStillDeferred() {
    for (DeferredMethods.Entry entry : deferred.remaining()) {
      String missing = String.join(", ", entry.missingTypes());
      Optional<ExecutableElement> method = deferred.find(entry);
      if (method.isPresent()) {
        reporter.error(method.get(), Message.UNRESOLVED_TYPE, entry.sourceName(), missing);
      } else {
        reporter.error(Message.UNRESOLVED_TYPE, entry.sourceName(), missing);
      }
    }
  }

  /** Runs one element's work; whatever it throws becomes an error on that element. */
  private void guard(Element element, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
      reporter.failure(element, getClass().getName(), e);
    }
  }
}
