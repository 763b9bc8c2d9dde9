package dev.asyncwith.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;

/**
 * The floor of {@link ProcessorCost}: the least a processor can do that, like asyncwith's, writes
 * one source file per {@code @AsyncContextManager} method through the {@code Filer}, with that
 * method as the file's originating element. It writes the very text asyncwith generated, rendered
 * beforehand, in the first round, and does nothing else: no validation, no model, no rendering.
 *
 * <p>What javac spends on such a processor (discovering the annotated elements, creating each file
 * through its {@code Filer}, the extra rounds that parse and enter the new files) is the part of
 * asyncwith's cost that no processor of this shape can avoid; what asyncwith costs beyond it is
 * its own.
 *
 * <p>Test-only: it lives in the benchmarks module and is handed to javac in-process, never
 * registered as a service.
 */
final class FloorProcessor extends AbstractProcessor {
  private static final String ANNOTATION = "dev.asyncwith.annotations.AsyncContextManager";

  private final Map<String, GeneratedFile> filesByMethod;
  private boolean written;

  /**
   * A generated file, rendered beforehand.
   *
   * @param className the generated class's qualified name, also the file's
   * @param text the whole source file
   */
  record GeneratedFile(String className, String text) {}

  /**
   * Creates the processor.
   *
   * @param filesByMethod the file to write for each method, by {@code Enclosing.method} (the name
   *     the generated class's {@code @AsyncWithGenerated(from = ...)} carries)
   */
  FloorProcessor(Map<String, GeneratedFile> filesByMethod) {
    this.filesByMethod = filesByMethod;
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(ANNOTATION);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (written || round.processingOver()) {
      return true;
    }
    written = true;
    for (TypeElement annotation : annotations) {
      for (Element method : round.getElementsAnnotatedWith(annotation)) {
        String key = method.getEnclosingElement().getSimpleName() + "." + method.getSimpleName();
        GeneratedFile file = filesByMethod.get(key);
        if (file == null) {
          throw new IllegalStateException("no pre-rendered file for " + key);
        }
        try {
          JavaFileObject source = processingEnv.getFiler().createSourceFile(file.className(), method);
          try (Writer writer = source.openWriter()) {
            writer.write(file.text());
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return true;
  }
}
