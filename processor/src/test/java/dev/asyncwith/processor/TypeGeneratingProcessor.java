package dev.asyncwith.processor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;

/**
 * Stands for another annotation processor in the same build: in the first round it generates {@code
 * test.gen.Ticket}, a type that an annotated method's signature uses, so the asyncwith processor
 * sees it missing in that round and must defer the method.
 */
final class TypeGeneratingProcessor extends AbstractProcessor {
  private boolean done;

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of("*");
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (!done) {
      done = true;
      try (Writer writer =
          processingEnv.getFiler().createSourceFile("test.gen.Ticket").openWriter()) {
        writer.write("package test.gen;\n\npublic final class Ticket {\n  public Ticket() {}\n}\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return false;
  }
}
