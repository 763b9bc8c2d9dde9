package dev.asyncwith.processor;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.Trees;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;
import java.util.Optional;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.tools.Diagnostic;

/**
 * The one way the processor reports: {@link Message}s as compile errors, attached to the element at
 * fault (and to the annotation value, when an attribute is at fault) so that javac and IDEs point at
 * the right spot.
 */
final class Reporter {
  private final Messager messager;

  /**
   * Creates a reporter writing to {@code messager}.
   *
   * @param messager the processing environment's messager
   */
  Reporter(Messager messager) {
    this.messager = Objects.requireNonNull(messager, "messager");
  }

  /**
   * Reports an error on {@code element}.
   *
   * @param element the element at fault, usually the annotated method
   * @param message the catalogue entry
   * @param arguments the entry's arguments
   */
  void error(Element element, Message message, Object... arguments) {
    messager.printMessage(Diagnostic.Kind.ERROR, message.format(arguments), element);
  }

  /**
   * Reports an error on one value of an annotation on {@code element}, or on {@code element} when
   * there is no value to point at.
   *
   * @param element the annotated element
   * @param annotation the annotation whose attribute is at fault
   * @param value the attribute's value, when written explicitly
   * @param message the catalogue entry
   * @param arguments the entry's arguments
   */
  void error(
      Element element,
      AnnotationMirror annotation,
      Optional<AnnotationValue> value,
      Message message,
      Object... arguments) {
    if (value.isPresent()) {
      messager.printMessage(
          Diagnostic.Kind.ERROR, message.format(arguments), element, annotation, value.get());
    } else {
      error(element, message, arguments);
    }
  }

  /**
   * Reports an error that no element of this round can carry.
   *
   * @param message the catalogue entry
   * @param arguments the entry's arguments
   */
  void error(Message message, Object... arguments) {
    messager.printMessage(Diagnostic.Kind.ERROR, message.format(arguments));
  }

  /**
   * Reports an error on a syntax tree that has no element, through javac's Tree API.
   *
   * @param trees the Tree API
   * @param tree the tree at fault
   * @param unit its compilation unit
   * @param message the catalogue entry
   * @param arguments the entry's arguments
   */
  void error(
      Trees trees, Tree tree, CompilationUnitTree unit, Message message, Object... arguments) {
    trees.printMessage(Diagnostic.Kind.ERROR, message.format(arguments), tree, unit);
  }

  /**
   * Reports the processor's own failure on the element it was working on.
   *
   * @param element the element
   * @param processor the processor's class name
   * @param failure what was thrown
   */
  void failure(Element element, String processor, Throwable failure) {
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    String name =
        element instanceof ExecutableElement method
            ? MethodNames.sourceName(method)
            : element.toString();
    error(element, Message.PROCESSOR_ERROR, name, processor, failure, trace.toString().strip());
  }
}
