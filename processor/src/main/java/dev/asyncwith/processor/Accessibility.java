package dev.asyncwith.processor;

import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Whether the generated class, a top-level class in the method's package, can name a type, and
 * whether everything it names is public (which decides whether it is public itself).
 */
final class Accessibility {
  private final Elements elements;

  Accessibility(Elements elements) {
    this.elements = elements;
  }

  /**
   * Why a top-level class in {@code packageName} cannot name {@code type}.
   *
   * @param type a type in the signature, or a type enclosing one
   * @param packageName the generated class's package
   * @return the reason, or empty when the type can be named
   */
  Optional<String> inaccessibleBecause(TypeElement type, String packageName) {
    if (type.getModifiers().contains(Modifier.PRIVATE)) {
      return Optional.of("private");
    }
    boolean samePackage = elements.getPackageOf(type).getQualifiedName().contentEquals(packageName);
    if (!samePackage && !isPublic(type)) {
      return Optional.of(
          type.getModifiers().contains(Modifier.PROTECTED)
              ? "protected in another package"
              : "package-private in another package");
    }
    return Optional.empty();
  }

  /**
   * Whether {@code element} is public, explicitly or as a member of an interface.
   *
   * @param element a method or type
   * @return true when public
   */
  boolean isPublic(Element element) {
    if (element.getModifiers().contains(Modifier.PUBLIC)) {
      return true;
    }
    Element enclosing = element.getEnclosingElement();
    boolean interfaceMember =
        enclosing != null
            && (enclosing.getKind() == ElementKind.INTERFACE
                || enclosing.getKind() == ElementKind.ANNOTATION_TYPE);
    return interfaceMember && !element.getModifiers().contains(Modifier.PRIVATE);
  }
}
