package dev.asyncwith.processor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Methods whose signature used types that did not exist yet, kept by a stable key rather than as
 * elements, because elements from an earlier round must not be reused in a later one.
 *
 * <p>The key is what the method is: its enclosing type's qualified name, its name and its
 * parameter types' erasures. Never its position: other processors change classes between rounds
 * (Lombok adds constructors, accessors and builder types), so the n-th member of a type in one
 * round may be another member in the next. A parameter type that did not exist when the method was
 * deferred is kept as written in the source ({@code Cfg.CfgBuilder}) and matches the type of that
 * name once it exists ({@code test.Cfg.CfgBuilder}).
 */
final class DeferredMethods {

  /**
   * One deferred method, and the types it was waiting for.
   *
   * @param key what identifies the method from one round to the next
   * @param sourceName the method as {@code Enclosing.method}, for messages
   * @param missingTypes the types it waits for
   */
  record Entry(Key key, String sourceName, List<String> missingTypes) {}

  /**
   * A method's identity across rounds.
   *
   * @param typeName the enclosing type's qualified name
   * @param methodName the method's simple name
   * @param parameterTypes each parameter type's erasure, or its name as written when unresolved
   */
  record Key(String typeName, String methodName, List<ParameterType> parameterTypes) {}

  /**
   * One parameter's type in a {@link Key}.
   *
   * @param name the erasure's canonical form, or the name as written (type arguments dropped)
   * @param resolved whether the type existed when the key was taken
   */
  record ParameterType(String name, boolean resolved) {
    boolean matches(String erasure) {
      return resolved
          ? name.equals(erasure)
          : name.equals(erasure) || erasure.endsWith("." + name);
    }
  }

  private final Elements elements;
  private final Types types;
  private final Map<Key, Entry> entries = new LinkedHashMap<>();

  /**
   * Creates an empty set of deferred methods.
   *
   * @param elements the compilation's element utilities
   * @param types the compilation's type utilities
   */
  DeferredMethods(Elements elements, Types types) {
    this.elements = elements;
    this.types = types;
  }

  /**
   * Defers {@code method} to the next round.
   *
   * @param method an annotated method of a type with a qualified name
   * @param missingTypes the types it waits for
   */
  void defer(ExecutableElement method, List<String> missingTypes) {
    Key key = keyOf(method);
    entries.put(key, new Entry(key, MethodNames.sourceName(method), List.copyOf(missingTypes)));
  }

  /**
   * Removes every deferred method and finds it again in this round.
   *
   * @return the methods found, in the order they were deferred
   */
  List<ExecutableElement> takeAll() {
    List<ExecutableElement> methods = new ArrayList<>();
    for (Entry entry : entries.values()) {
      find(entry).ifPresent(methods::add);
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
   * Finds a deferred method again: the first annotated method of its type that matches its key.
   *
   * @param entry a deferred method
   * @return the method, or empty when its type or the method is gone
   */
  Optional<ExecutableElement> find(Entry entry) {
    Key key = entry.key();
    TypeElement type = elements.getTypeElement(key.typeName());
    if (type == null) {
      return Optional.empty();
    }
    for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
      if (method.getSimpleName().contentEquals(key.methodName())
          && isAnnotated(method)
          && parametersMatch(key.parameterTypes(), method.getParameters())) {
        return Optional.of(method);
      }
    }
    return Optional.empty();
  }

  private Key keyOf(ExecutableElement method) {
    TypeElement type = (TypeElement) method.getEnclosingElement();
    List<ParameterType> parameterTypes = new ArrayList<>();
    for (VariableElement parameter : method.getParameters()) {
      TypeMirror erasure = types.erasure(parameter.asType());
      boolean resolved = !containsError(erasure);
      parameterTypes.add(new ParameterType(withoutTypeArguments(erasure.toString()), resolved));
    }
    return new Key(
        type.getQualifiedName().toString(),
        method.getSimpleName().toString(),
        List.copyOf(parameterTypes));
  }

  private boolean parametersMatch(
      List<ParameterType> expected, List<? extends VariableElement> parameters) {
    if (expected.size() != parameters.size()) {
      return false;
    }
    for (int i = 0; i < expected.size(); i++) {
      String erasure = withoutTypeArguments(types.erasure(parameters.get(i).asType()).toString());
      if (!expected.get(i).matches(erasure)) {
        return false;
      }
    }
    return true;
  }

  private static boolean containsError(TypeMirror type) {
    TypeMirror current = type;
    while (current.getKind() == TypeKind.ARRAY) {
      current = ((ArrayType) current).getComponentType();
    }
    return current.getKind() == TypeKind.ERROR;
  }

  private static boolean isAnnotated(ExecutableElement method) {
    return Annotations.find(method, RuntimeTypes.ASYNC_CONTEXT_MANAGER).isPresent();
  }

  /** Drops type arguments, which an unresolved type's name as written may still carry. */
  private static String withoutTypeArguments(String typeName) {
    StringBuilder result = new StringBuilder(typeName.length());
    int depth = 0;
    for (int i = 0; i < typeName.length(); i++) {
      char c = typeName.charAt(i);
      if (c == '<') {
        depth++;
      } else if (c == '>') {
        depth--;
      } else if (depth == 0) {
        result.append(c);
      }
    }
    return result.toString();
  }
}
