package dev.asyncwith.processor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.IntersectionType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;

/**
 * What a method's signature refers to: every declared type (with the types enclosing it), every
 * type that does not exist (yet), and whether a raw type appears. Type variables are not followed;
 * their bounds are walked from their declarations.
 */
final class TypeUsage {
  private final Set<TypeElement> declaredTypes = new LinkedHashSet<>();
  private final List<String> missingTypes = new ArrayList<>();
  private boolean usesRawType;

  /**
   * What the signature of {@code method} refers to: its enclosing type, the bounds of the type
   * parameters in scope, its parameters, return type and throws clause.
   *
   * @param method an annotated method
   * @param typeParametersInScope the enclosing types' type parameters the method can use
   * @return the signature's types
   */
  static TypeUsage ofSignature(
      ExecutableElement method, List<? extends TypeParameterElement> typeParametersInScope) {
    TypeUsage usage = new TypeUsage();
    usage.add(method.getEnclosingElement().asType());
    for (TypeParameterElement parameter : typeParametersInScope) {
      parameter.getBounds().forEach(usage::add);
    }
    for (TypeParameterElement parameter : method.getTypeParameters()) {
      parameter.getBounds().forEach(usage::add);
    }
    for (VariableElement parameter : method.getParameters()) {
      usage.add(parameter.asType());
    }
    usage.add(method.getReturnType());
    method.getThrownTypes().forEach(usage::add);
    return usage;
  }

  /**
   * The type parameters an instance method of {@code type} can use: those of {@code type} and, for
   * an inner class, of each enclosing instance's type, outermost first.
   *
   * @param method a method
   * @return none for a static method
   */
  static List<TypeParameterElement> typeParametersInScope(ExecutableElement method) {
    if (method.getModifiers().contains(Modifier.STATIC)) {
      return List.of();
    }
    TypeElement type = (TypeElement) method.getEnclosingElement();
    List<TypeParameterElement> result = new ArrayList<>(type.getTypeParameters());
    TypeElement current = type;
    while (current.getNestingKind() == NestingKind.MEMBER
        && current.getKind() == ElementKind.CLASS
        && !current.getModifiers().contains(Modifier.STATIC)
        && current.getEnclosingElement() instanceof TypeElement outer) {
      result.addAll(0, outer.getTypeParameters());
      current = outer;
    }
    return result;
  }

  /**
   * Records everything {@code type} refers to.
   *
   * @param type a type from the signature
   */
  void add(TypeMirror type) {
    switch (type.getKind()) {
      case DECLARED -> addDeclared((DeclaredType) type);
      case ERROR -> {
        String name = type.toString();
        if (!missingTypes.contains(name)) {
          missingTypes.add(name);
        }
      }
      case ARRAY -> add(((ArrayType) type).getComponentType());
      case WILDCARD -> {
        WildcardType wildcard = (WildcardType) type;
        if (wildcard.getExtendsBound() != null) {
          add(wildcard.getExtendsBound());
        }
        if (wildcard.getSuperBound() != null) {
          add(wildcard.getSuperBound());
        }
      }
      case INTERSECTION -> ((IntersectionType) type).getBounds().forEach(this::add);
      default -> {
        // Primitives, void and type variables refer to nothing that needs checking.
      }
    }
  }

  private void addDeclared(DeclaredType type) {
    TypeElement element = (TypeElement) type.asElement();
    if (type.getTypeArguments().isEmpty() && !element.getTypeParameters().isEmpty()) {
      usesRawType = true;
    }
    for (Element e = element; e instanceof TypeElement t; e = e.getEnclosingElement()) {
      declaredTypes.add(t);
    }
    type.getTypeArguments().forEach(this::add);
    if (type.getEnclosingType().getKind() == TypeKind.DECLARED) {
      add(type.getEnclosingType());
    }
  }

  /**
   * The declared types referred to, each with the types enclosing it, in order of appearance.
   *
   * @return the types
   */
  Set<TypeElement> declaredTypes() {
    return declaredTypes;
  }

  /**
   * The types that could not be resolved, as written.
   *
   * @return their names, in order of appearance
   */
  List<String> missingTypes() {
    return missingTypes;
  }

  /**
   * Whether a generic type appears without type arguments.
   *
   * @return true when a raw type appears
   */
  boolean usesRawType() {
    return usesRawType;
  }
}
