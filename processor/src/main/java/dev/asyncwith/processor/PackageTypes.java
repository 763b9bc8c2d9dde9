package dev.asyncwith.processor;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Answers "does package P have a top-level type named N" from one listing of P per round.
 *
 * <p>{@link Elements#getTypeElement} on a name that does not exist is slow in javac (it tries to
 * find and load the missing class each time), and nearly every name the processor asks about is
 * one it is about to generate. Listing the package once answers all those questions for the
 * round. A new round must start with {@link #newRound()}: types generated in the previous round
 * (ours or another processor's) are members of their package only from the next round on, as with
 * {@code getTypeElement}.
 */
final class PackageTypes {
  private final Elements elements;
  private final Map<String, Map<String, TypeElement>> byPackage = new HashMap<>();

  /**
   * Creates the cache, empty.
   *
   * @param elements the compilation's element utilities
   */
  PackageTypes(Elements elements) {
    this.elements = elements;
  }

  /** Forgets every listing: the next round may have new types. */
  void newRound() {
    byPackage.clear();
  }

  /**
   * The top-level type {@code simpleName} of package {@code packageName}, if there is one.
   *
   * @param packageName a package's qualified name, empty for the unnamed package
   * @param simpleName a type's simple name
   * @return the type, as {@code getTypeElement} on the qualified name would find it
   */
  Optional<TypeElement> find(String packageName, String simpleName) {
    Map<String, TypeElement> listing = byPackage.computeIfAbsent(packageName, this::list);
    // A name with '$' may name a nested class by its binary name, which no listing shows; and
    // without a listing (the package is missing or ambiguous among modules) ask javac directly.
    if (listing == null || simpleName.indexOf('$') >= 0) {
      String qualified = packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
      return Optional.ofNullable(elements.getTypeElement(qualified));
    }
    return Optional.ofNullable(listing.get(simpleName));
  }

  /**
   * Whether package {@code packageName} has a top-level type named {@code simpleName}.
   *
   * @param packageName a package's qualified name, empty for the unnamed package
   * @param simpleName a type's simple name
   * @return whether the type exists
   */
  boolean contains(String packageName, String simpleName) {
    return find(packageName, simpleName).isPresent();
  }

  /**
   * Whether some top-level type of {@code packageName} has the simple name of a top-level type of
   * {@code otherPackage}: when not, no name imported from {@code otherPackage} can be shadowed by a
   * type of {@code packageName}. True when either package cannot be listed, so that the caller
   * checks name by name.
   *
   * @param packageName a package's qualified name, empty for the unnamed package
   * @param otherPackage another package's qualified name
   * @return whether the two packages may share a type name
   */
  boolean sharesNames(String packageName, String otherPackage) {
    Map<String, TypeElement> listing = byPackage.computeIfAbsent(packageName, this::list);
    Map<String, TypeElement> other = byPackage.computeIfAbsent(otherPackage, this::list);
    if (listing == null || other == null) {
      return true;
    }
    for (String simpleName : listing.keySet()) {
      if (other.containsKey(simpleName)) {
        return true;
      }
    }
    return false;
  }

  private Map<String, TypeElement> list(String packageName) {
    PackageElement found = elements.getPackageElement(packageName);
    if (found == null) {
      return null;
    }
    Map<String, TypeElement> types = new HashMap<>();
    for (TypeElement type : ElementFilter.typesIn(found.getEnclosedElements())) {
      types.put(type.getSimpleName().toString(), type);
    }
    return types;
  }
}
