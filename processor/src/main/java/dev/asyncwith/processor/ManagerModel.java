package dev.asyncwith.processor;

import com.palantir.javapoet.ClassName;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/**
 * Everything the generator needs about one valid {@code @AsyncContextManager} method. Built only by
 * validation, and only for a method that passed every check, so generation never has to report a
 * problem.
 *
 * @param method the annotated method, also the generated file's originating element
 * @param annotation the method's {@code @AsyncContextManager}
 * @param nameValue the annotation's {@code name} value, when set explicitly
 * @param enclosingType the type declaring the method
 * @param style blocking or non-blocking
 * @param generatedClass the generated class's name
 * @param sourceName the method as {@code Outer.Inner.method}, passed to the engine
 * @param isPublic whether the generated class is public (the method and every type it needs are
 *     public)
 * @param typeParameters the generated class's type parameters: for an instance method, those of the
 *     enclosing types in scope (outermost first), then the method's
 * @param methodTypeParameters the method's own type parameters, passed explicitly in the call
 * @param isStatic whether the method is static (else it is called on a receiver)
 * @param parameters the method's parameters other than the yield parameter, in order
 * @param yieldIndex the yield parameter's position among all the method's parameters
 * @param yieldTypeArgument {@code T} of the yield parameter: the type of the value yielded
 * @param isVarargs whether the method, and so {@code of}, is variable-arity
 * @param thrownTypes the method's throws clause, carried over to {@code generate}
 * @param javadoc the method's doc comment, if any
 * @param deprecated the method's {@code @Deprecated}, carried over to the generated class
 * @param suppressedWarnings lint categories the generated class must suppress because the signature
 *     uses raw or deprecated types, sorted
 * @param generatedAnnotation {@code javax.annotation.processing.Generated} when the compilation can
 *     see it
 */
record ManagerModel(
    ExecutableElement method,
    AnnotationMirror annotation,
    Optional<AnnotationValue> nameValue,
    TypeElement enclosingType,
    GeneratorStyle style,
    ClassName generatedClass,
    String sourceName,
    boolean isPublic,
    List<TypeParameterElement> typeParameters,
    List<TypeParameterElement> methodTypeParameters,
    boolean isStatic,
    List<VariableElement> parameters,
    int yieldIndex,
    TypeMirror yieldTypeArgument,
    boolean isVarargs,
    List<TypeMirror> thrownTypes,
    Optional<String> javadoc,
    Optional<AnnotationMirror> deprecated,
    Set<String> suppressedWarnings,
    Optional<ClassName> generatedAnnotation) {

  /**
   * Copies the lists and sets, so the model is immutable.
   *
   * @param method the annotated method, also the generated file's originating element
   * @param annotation the method's {@code @AsyncContextManager}
   * @param nameValue the annotation's {@code name} value, when set explicitly
   * @param enclosingType the type declaring the method
   * @param style blocking or non-blocking
   * @param generatedClass the generated class's name
   * @param sourceName the method as {@code Outer.Inner.method}, passed to the engine
   * @param isPublic whether the generated class is public (the method and every type it needs are
   *     public)
   * @param typeParameters the generated class's type parameters: for an instance method, those of the
   *     enclosing types in scope (outermost first), then the method's
   * @param methodTypeParameters the method's own type parameters, passed explicitly in the call
   * @param isStatic whether the method is static (else it is called on a receiver)
   * @param parameters the method's parameters other than the yield parameter, in order
   * @param yieldIndex the yield parameter's position among all the method's parameters
   * @param yieldTypeArgument {@code T} of the yield parameter: the type of the value yielded
   * @param isVarargs whether the method, and so {@code of}, is variable-arity
   * @param thrownTypes the method's throws clause, carried over to {@code generate}
   * @param javadoc the method's doc comment, if any
   * @param deprecated the method's {@code @Deprecated}, carried over to the generated class
   * @param suppressedWarnings lint categories the generated class must suppress because the signature
   *     uses raw or deprecated types, sorted
   * @param generatedAnnotation {@code javax.annotation.processing.Generated} when the compilation can
   *     see it
   */
  public ManagerModel {
    typeParameters = List.copyOf(typeParameters);
    methodTypeParameters = List.copyOf(methodTypeParameters);
    parameters = List.copyOf(parameters);
    thrownTypes = List.copyOf(thrownTypes);
    suppressedWarnings = Set.copyOf(suppressedWarnings);
  }
}
