package dev.asyncwith.processor;

import java.util.ArrayDeque;
import java.util.Deque;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/** How a method is named in messages, in the engine, and in the generated class's name. */
final class MethodNames {
  private MethodNames() {}

  /**
   * The method as {@code Enclosing.method}, nested types joined with dots ({@code
   * Outer.Inner.method}): the name the engine uses in messages and thread names.
   *
   * @param method an annotated method
   * @return its source name
   */
  static String sourceName(ExecutableElement method) {
    return String.join(".", enclosingSimpleNames(method)) + "." + method.getSimpleName();
  }

  /**
   * The generated class's default simple name: the enclosing types' simple names joined, then the
   * method's name with its first letter in upper case ({@code Outer.Inner.open} gives {@code
   * OuterInnerOpen}).
   *
   * @param method an annotated method
   * @return the default name
   */
  static String defaultGeneratedName(ExecutableElement method) {
    String name = method.getSimpleName().toString();
    String capitalized =
        name.isEmpty()
            ? name
            : new StringBuilder()
                .appendCodePoint(Character.toUpperCase(name.codePointAt(0)))
                .append(name, Character.charCount(name.codePointAt(0)), name.length())
                .toString();
    return String.join("", enclosingSimpleNames(method)) + capitalized;
  }

  private static Deque<String> enclosingSimpleNames(ExecutableElement method) {
    Deque<String> names = new ArrayDeque<>();
    for (Element e = method.getEnclosingElement();
        e instanceof TypeElement;
        e = e.getEnclosingElement()) {
      String simple = e.getSimpleName().toString();
      names.addFirst(simple.isEmpty() ? "<anonymous>" : simple);
    }
    return names;
  }
}
