package dev.asyncwith.processor;

import dev.asyncwith.processor.model.MethodNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Methods whose signature used types that did not exist yet, kept by name (the enclosing type's
 * qualified name and the method's position in it) rather than as elements, because elements from an
 * earlier round must not be reused in a later one.
 */
final class DeferredMethods {

  /** One deferred method, and the types it was waiting for. */
  record Entry(String typeName, int index, String sourceName, List<String> missingTypes) {}

  private final Map<String, Entry> entries = new LinkedHashMap<>();

  /**
   * Defers {@code method} to the next round.
   *
   * @param method an annotated method of a type with a qualified name
   * @param missingTypes the types it waits for
   */
  void defer(ExecutableElement method, List<String> missingTypes) {
    TypeElement type = (TypeElement) method.getEnclosingElement();
    int index = type.getEnclosedElements().indexOf(method);
    String typeName = type.getQualifiedName().toString();
    entries.put(
        typeName + "#" + index,
        new Entry(typeName, index, MethodNames.sourceName(method), List.copyOf(missingTypes)));
  }

  /**
   * Removes every deferred method and finds it again in this round.
   *
   * @param elements this round's element utilities
   * @return the methods found, in the order they were deferred
   */
  List<ExecutableElement> takeAll(Elements elements) {
    List<ExecutableElement> methods = new ArrayList<>();
    for (Entry entry : entries.values()) {
      find(elements, entry).ifPresent(methods::add);
    }
    entries.clear();
    return methods;
  }

  /**
   * The methods still deferred, for the final report.
   *
   * @return the entries, in the order they were deferred
   */
  List<Entry> remaining() {
    return List.copyOf(entries.values());
  }

  /**
   * Finds a deferred method again.
   *
   * @param elements this round's element utilities
   * @param entry a deferred method
   * @return the method, or empty when its type is gone
   */
  static Optional<ExecutableElement> find(Elements elements, Entry entry) {
    TypeElement type = elements.getTypeElement(entry.typeName());
    if (type == null || entry.index() >= type.getEnclosedElements().size()) {
      return Optional.empty();
    }
    Element element = type.getEnclosedElements().get(entry.index());
    return element instanceof ExecutableElement method ? Optional.of(method) : Optional.empty();
  }
}
