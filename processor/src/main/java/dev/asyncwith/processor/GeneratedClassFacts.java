package dev.asyncwith.processor;

import com.palantir.javapoet.ClassName;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * What only the generated file needs to know about a valid method, worked out at generation: the
 * annotations the class carries ({@code @Generated}, {@code @Deprecated}), the lint categories it
 * must suppress, and the method's doc comment.
 */
final class GeneratedClassFacts {
  private static final String GENERATED_MODULE = "java.compiler";
  private static final ClassName DEPRECATED = ClassName.get(Deprecated.class);

  private final Elements elements;
  private Boolean generatedAnnotationExists;

  /**
   * Creates the facts' source.
   *
   * @param elements the compilation's element utilities
   */
  GeneratedClassFacts(Elements elements) {
    this.elements = elements;
  }

  /** The method's doc comment, if any. */
  Optional<String> javadoc(ExecutableElement method) {
    return Optional.ofNullable(elements.getDocComment(method));
  }

  /** The method's {@code @Deprecated}, carried over to the generated class and its members. */
  static Optional<AnnotationMirror> deprecated(ExecutableElement method) {
    return Annotations.find(method, DEPRECATED);
  }

  /**
   * The lint categories the generated class must suppress because the signature uses raw or
   * deprecated types, sorted; each one a token that javac and Eclipse's compiler both know.
   */
  Set<String> suppressedWarnings(ManagerModel model) {
    ExecutableElement method = model.method();
    TypeUsage usage =
        TypeUsage.ofSignature(method, TypeUsage.typeParametersInScope(method));
    Set<String> warnings = new TreeSet<>();
    if (usage.usesRawType()) {
      warnings.add("rawtypes");
    }
    boolean methodDeprecated = elements.isDeprecated(method);
    if (methodDeprecated && isForRemoval(method)) {
      warnings.add("removal");
    }
    for (TypeElement type : usage.declaredTypes()) {
      if (elements.isDeprecated(type)) {
        if (isForRemoval(type)) {
          warnings.add("removal");
        } else if (!methodDeprecated) {
          // A deprecated class (the generated one, when the method is) may use deprecated code
          // without a warning; otherwise the use must be suppressed.
          warnings.add("deprecation");
        }
      }
    }
    return warnings;
  }

  /**
   * {@code javax.annotation.processing.Generated} when the compilation can see it from the
   * method's module.
   */
  Optional<ClassName> generatedAnnotation(ExecutableElement method) {
    if (generatedAnnotationExists == null) {
      generatedAnnotationExists =
          elements.getTypeElement(RuntimeTypes.GENERATED.canonicalName()) != null;
    }
    if (!generatedAnnotationExists) {
      return Optional.empty();
    }
    ModuleElement module = elements.getModuleOf(method);
    if (module == null || module.isUnnamed()) {
      return Optional.of(RuntimeTypes.GENERATED);
    }
    // A named module sees javax.annotation.processing only when it requires java.compiler.
    boolean readsCompiler =
        ElementFilter.requiresIn(module.getDirectives()).stream()
            .anyMatch(r -> r.getDependency().getQualifiedName().contentEquals(GENERATED_MODULE));
    return readsCompiler ? Optional.of(RuntimeTypes.GENERATED) : Optional.empty();
  }

  private static boolean isForRemoval(Element element) {
    return Annotations.find(element, DEPRECATED)
        .flatMap(mirror -> Annotations.explicitValue(mirror, "forRemoval"))
        .map(value -> Boolean.TRUE.equals(value.getValue()))
        .orElse(false);
  }
}
