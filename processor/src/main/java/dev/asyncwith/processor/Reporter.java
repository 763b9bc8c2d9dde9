package dev.asyncwith.processor;

import java.util.Objects;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Reports {@link Message}s as compile errors through the {@link Messager}, attached to the element
 * at fault (and to the annotation value, when an attribute is at fault) so that javac and IDEs
 * point at the right spot.
 */
final class Reporter {
  private final Messager messager;

  /**
   * Creates a reporter writing to {@code messager}.
   *
   * @param messager the processing environment's messager
   */
  public Reporter(Messager messager) {
    this.messager = Objects.requireNonNull(messager, "messager");
  }

  /**
   * Reports an error on {@code element}.
   *
   * @param element the element at fault, usually the annotated method
   * @param message the catalogue entry
   * @param arguments the entry's template arguments
   */
  public void error(Element element, Message message, Object... arguments) {
    messager.printMessage(Diagnostic.Kind.ERROR, message.format(arguments), element);
  }

  /**
   * Reports an error on one value of an annotation on {@code element}.
   *
   * @param element the annotated element
   * @param annotation the annotation whose attribute is at fault
   * @param value the attribute's value
   * @param message the catalogue entry
   * @param arguments the entry's template arguments
   */
  public void error(
      Element element,
      AnnotationMirror annotation,
      AnnotationValue value,
      Message message,
      Object... arguments) {
    messager.printMessage(
        Diagnostic.Kind.ERROR, message.format(arguments), element, annotation, value);
  }
}
