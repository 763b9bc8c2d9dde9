package dev.asyncwith.processor;

import com.palantir.javapoet.ClassName;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/**
 * What validation decided about one valid {@code @AsyncContextManager} method: built only by
 * validation, by name through {@link #builder()}, and only for a method that passed every check,
 * so generation never has to report a problem. It holds decisions, not copies: what can be read
 * off the method (its parameters, throws clause, modifiers) is read off the method. Facts that only
 * the generated file needs (its annotations, javadoc, suppressed warnings) are worked out by
 * generation.
 */
final class ManagerModel {
  /** Who may use the generated class. */
  enum Visibility {
    /** The method and every type the class names are public: so is the class. */
    PUBLIC,
    /** Otherwise: the class is visible in its package, like the method. */
    PACKAGE
  }

  private final ExecutableElement method;
  private final AnnotationMirror annotation;
  private final Optional<AnnotationValue> explicitName;
  private final GeneratorStyle style;
  private final ClassName generatedClass;
  private final Visibility visibility;
  private final List<TypeParameterElement> typeParameters;
  private final VariableElement yieldParameter;
  private final TypeMirror yieldedType;

  private ManagerModel(Builder builder) {
    this.method = Objects.requireNonNull(builder.method, "method");
    this.annotation = Objects.requireNonNull(builder.annotation, "annotation");
    this.explicitName = Objects.requireNonNull(builder.explicitName, "explicitName");
    this.style = Objects.requireNonNull(builder.style, "style");
    this.generatedClass = Objects.requireNonNull(builder.generatedClass, "generatedClass");
    this.visibility = Objects.requireNonNull(builder.visibility, "visibility");
    this.typeParameters = List.copyOf(builder.typeParameters);
    this.yieldParameter = Objects.requireNonNull(builder.yieldParameter, "yieldParameter");
    this.yieldedType = Objects.requireNonNull(builder.yieldedType, "yieldedType");
  }

  /**
   * A builder with nothing set; every property must be set before {@link Builder#build()}.
   *
   * @return a new builder
   */
  static Builder builder() {
    return new Builder();
  }

  /** The annotated method, also the generated file's originating element. */
  ExecutableElement method() {
    return method;
  }

  /** The method's {@code @AsyncContextManager}. */
  AnnotationMirror annotation() {
    return annotation;
  }

  /** The annotation's {@code name} value, when written and not empty. */
  Optional<AnnotationValue> explicitName() {
    return explicitName;
  }

  /** Blocking or non-blocking. */
  GeneratorStyle style() {
    return style;
  }

  /** The generated class's name. */
  ClassName generatedClass() {
    return generatedClass;
  }

  /** Who may use the generated class. */
  Visibility visibility() {
    return visibility;
  }

  /**
   * The generated class's type parameters: for an instance method, those of the enclosing types in
   * scope (outermost first), then the method's.
   */
  List<TypeParameterElement> typeParameters() {
    return typeParameters;
  }

  /** {@code T} of the yield parameter: the type of the value yielded. */
  TypeMirror yieldedType() {
    return yieldedType;
  }

  /** The type declaring the method. */
  TypeElement enclosingType() {
    return (TypeElement) method.getEnclosingElement();
  }

  /** The method as {@code Outer.Inner.method}, passed to the engine and used in messages. */
  String sourceName() {
    return MethodNames.sourceName(method);
  }

  /** Whether the method is static (else it is called on a receiver). */
  boolean isStatic() {
    return method.getModifiers().contains(Modifier.STATIC);
  }

  /** The method's parameters other than the yield parameter, in order. */
  List<VariableElement> parameters() {
    List<VariableElement> parameters = new ArrayList<>(method.getParameters());
    parameters.remove(yieldParameter);
    return parameters;
  }

  /** The yield parameter's position among all the method's parameters. */
  int yieldIndex() {
    return method.getParameters().indexOf(yieldParameter);
  }

  /** Whether the method, and so {@code of}, is variable-arity. */
  boolean isVarargs() {
    return method.isVarArgs();
  }

  /** Builds a {@link ManagerModel} property by property. */
  static final class Builder {
    private ExecutableElement method;
    private AnnotationMirror annotation;
    private Optional<AnnotationValue> explicitName;
    private GeneratorStyle style;
    private ClassName generatedClass;
    private Visibility visibility;
    private List<TypeParameterElement> typeParameters;
    private VariableElement yieldParameter;
    private TypeMirror yieldedType;

    private Builder() {}

    Builder method(ExecutableElement method) {
      this.method = method;
      return this;
    }

    Builder annotation(AnnotationMirror annotation) {
      this.annotation = annotation;
      return this;
    }

    Builder explicitName(Optional<AnnotationValue> explicitName) {
      this.explicitName = explicitName;
      return this;
    }

    Builder style(GeneratorStyle style) {
      this.style = style;
      return this;
    }

    Builder generatedClass(ClassName generatedClass) {
      this.generatedClass = generatedClass;
      return this;
    }

    Builder visibility(Visibility visibility) {
      this.visibility = visibility;
      return this;
    }

    Builder typeParameters(List<? extends TypeParameterElement> typeParameters) {
      this.typeParameters = List.copyOf(typeParameters);
      return this;
    }

    Builder yieldParameter(VariableElement yieldParameter) {
      this.yieldParameter = yieldParameter;
      return this;
    }

    Builder yieldedType(TypeMirror yieldedType) {
      this.yieldedType = yieldedType;
      return this;
    }

    ManagerModel build() {
      Objects.requireNonNull(typeParameters, "typeParameters");
      return new ManagerModel(this);
    }
  }
}
