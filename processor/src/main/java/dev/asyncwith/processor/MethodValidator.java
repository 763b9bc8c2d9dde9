package dev.asyncwith.processor;

import com.palantir.javapoet.ClassName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Checks one {@code @AsyncContextManager} method against every rule, reporting every problem found
 * (not only the first, so one compile shows them all), and for a method that passes, records what
 * it decided in a {@link ManagerModel}. It only checks and decides: nothing here is about how the
 * generated file looks.
 */
final class MethodValidator {
  private final Elements elements;
  private final Types types;
  private final Reporter reporter;
  private final YieldUsage yieldUsage;
  private final Accessibility accessibility;
  private final NameCollisions nameCollisions;
  private final LocalClassScanner localClasses;
  // CompletionStage's erasure, looked up once: getTypeElement searches every module.
  private TypeMirror completionStage;

  /**
   * Creates a validator.
   *
   * @param environment the processing environment
   * @param reporter where problems go
   * @param trees javac's optional Tree API, for the unused-yield check
   * @param nameCollisions the name collision checks
   * @param localClasses the local-class check
   */
  MethodValidator(
      ProcessingEnvironment environment,
      Reporter reporter,
      CompilerTrees trees,
      NameCollisions nameCollisions,
      LocalClassScanner localClasses) {
    this.elements = environment.getElementUtils();
    this.types = environment.getTypeUtils();
    this.reporter = reporter;
    this.yieldUsage = new YieldUsage(trees);
    this.accessibility = new Accessibility(elements);
    this.nameCollisions = nameCollisions;
    this.localClasses = localClasses;
  }

  /**
   * Checks {@code method}, reporting every problem on it.
   *
   * @param method a method annotated {@code @AsyncContextManager}
   * @return the model, or invalid, or deferred when a type in the signature does not exist yet
   */
  Validation validate(ExecutableElement method) {
    if (localClasses.isInLocalClass(method)) {
      return new Validation.Invalid();
    }
    List<TypeParameterElement> typeParametersInScope = TypeUsage.typeParametersInScope(method);
    TypeUsage usage = TypeUsage.ofSignature(method, typeParametersInScope);
    if (!usage.missingTypes().isEmpty()) {
      return new Validation.Deferred(usage.missingTypes());
    }

    AnnotationMirror annotation =
        Annotations.find(method, RuntimeTypes.ASYNC_CONTEXT_MANAGER).orElseThrow();
    Optional<AnnotationValue> explicitName =
        Annotations.explicitValue(annotation, "name")
            .filter(value -> !String.valueOf(value.getValue()).isEmpty());
    String simpleName =
        explicitName
            .map(value -> String.valueOf(value.getValue()))
            .orElseGet(() -> MethodNames.defaultGeneratedName(method));
    String packageName = elements.getPackageOf(method).getQualifiedName().toString();
    Subject subject =
        new Subject(method, MethodNames.sourceName(method), simpleName, packageName);
    List<TypeParameterElement> typeParameters = new ArrayList<>(typeParametersInScope);
    typeParameters.addAll(method.getTypeParameters());

    boolean valid = checkVisibility(subject);
    Optional<YieldParameter> yield = checkYieldParameter(subject);
    valid &= yield.isPresent();
    valid &= checkTypeParameterNames(subject, typeParameters);
    valid &= checkAccessibleTypes(subject, usage);
    valid &= checkName(subject, annotation, explicitName);
    // Last, and only for an otherwise valid method: it is the one check that reads the body.
    if (!valid || !checkYieldUsed(subject, yield.get().parameter())) {
      return new Validation.Invalid();
    }

    boolean isPublic =
        accessibility.isPublic(method)
            && usage.declaredTypes().stream().allMatch(accessibility::isPublic);
    return new Validation.Valid(
        ManagerModel.builder()
            .method(method)
            .annotation(annotation)
            .explicitName(explicitName)
            .style(yield.get().style())
            .generatedClass(ClassName.get(packageName, simpleName))
            .visibility(isPublic ? ManagerModel.Visibility.PUBLIC : ManagerModel.Visibility.PACKAGE)
            .typeParameters(typeParameters)
            .yieldParameter(yield.get().parameter())
            .yieldedType(yield.get().valueType())
            .build());
  }

  /** The method being checked, and the names its messages use. */
  private record Subject(
      ExecutableElement method, String sourceName, String simpleName, String packageName) {}

  /** A well-formed yield parameter: its style and the type of the value it yields. */
  private record YieldParameter(
      VariableElement parameter, GeneratorStyle style, TypeMirror valueType) {}

  /** The method and every type enclosing it must not be private. */
  private boolean checkVisibility(Subject subject) {
    ExecutableElement method = subject.method();
    boolean valid = true;
    if (method.getModifiers().contains(Modifier.PRIVATE)) {
      reporter.error(method, Message.PRIVATE_METHOD, subject.sourceName(), subject.simpleName());
      valid = false;
    }
    for (TypeElement type : enclosingTypes(method)) {
      if (type.getModifiers().contains(Modifier.PRIVATE)) {
        reporter.error(
            method,
            Message.PRIVATE_ENCLOSING_TYPE,
            subject.sourceName(),
            type.getQualifiedName(),
            subject.simpleName(),
            type.getSimpleName());
        valid = false;
      }
    }
    return valid;
  }

  /**
   * Exactly one {@code AsyncYield<T>} or {@code Yield<T>} parameter, neither raw nor with a
   * wildcard, and the return type its style requires.
   */
  private Optional<YieldParameter> checkYieldParameter(Subject subject) {
    ExecutableElement method = subject.method();
    String sourceName = subject.sourceName();
    List<VariableElement> yields =
        method.getParameters().stream()
            .filter(parameter -> yieldStyle(parameter.asType()).isPresent())
            .collect(Collectors.toList());
    if (yields.isEmpty()) {
      reporter.error(method, Message.NO_YIELD_PARAMETER, sourceName);
      return Optional.empty();
    }
    if (yields.size() > 1) {
      String names =
          yields.stream().map(p -> p.getSimpleName().toString()).collect(Collectors.joining(", "));
      reporter.error(method, Message.SEVERAL_YIELD_PARAMETERS, sourceName, yields.size(), names);
      return Optional.empty();
    }
    VariableElement yield = yields.get(0);
    DeclaredType yieldType = (DeclaredType) yield.asType();
    GeneratorStyle style = yieldStyle(yieldType).orElseThrow();
    String yieldName = style.yieldType().simpleName();
    boolean returnTypeValid = checkReturnType(method, sourceName, style);
    if (yieldType.getTypeArguments().isEmpty()) {
      reporter.error(
          method,
          Message.RAW_YIELD,
          sourceName,
          yield.getSimpleName(),
          yieldName);
      return Optional.empty();
    }
    TypeMirror valueType = yieldType.getTypeArguments().get(0);
    if (valueType.getKind() == TypeKind.WILDCARD) {
      TypeMirror bound = ((WildcardType) valueType).getExtendsBound();
      reporter.error(
          method,
          Message.WILDCARD_YIELD,
          sourceName,
          yield.getSimpleName(),
          yieldType,
          yieldName,
          bound == null ? "Object" : bound);
      return Optional.empty();
    }
    return returnTypeValid
        ? Optional.of(new YieldParameter(yield, style, valueType))
        : Optional.empty();
  }

  /** The generated class declares all these type parameters, so their names must differ. */
  private boolean checkTypeParameterNames(
      Subject subject, List<TypeParameterElement> typeParameters) {
    boolean valid = true;
    Set<String> seen = new HashSet<>();
    for (TypeParameterElement parameter : typeParameters) {
      if (!seen.add(parameter.getSimpleName().toString())) {
        reporter.error(
            subject.method(),
            Message.SHADOWED_TYPE_PARAMETER,
            subject.sourceName(),
            parameter.getSimpleName());
        valid = false;
      }
    }
    return valid;
  }

  /** Every type the generated class names must be accessible from its package. */
  private boolean checkAccessibleTypes(Subject subject, TypeUsage usage) {
    boolean valid = true;
    List<TypeElement> enclosingTypes = enclosingTypes(subject.method());
    for (TypeElement type : usage.declaredTypes()) {
      if (enclosingTypes.contains(type)) {
        continue; // checked by checkVisibility, with a message of its own
      }
      Optional<String> problem = accessibility.inaccessibleBecause(type, subject.packageName());
      if (problem.isPresent()) {
        reporter.error(
            subject.method(),
            Message.INACCESSIBLE_TYPE,
            subject.sourceName(),
            type.getQualifiedName(),
            problem.get(),
            subject.simpleName(),
            subject.packageName().isEmpty() ? "(unnamed)" : subject.packageName(),
            type.getSimpleName());
        valid = false;
      }
    }
    return valid;
  }

  /** Where the compiler exposes the body, the yield parameter must appear in it. */
  private boolean checkYieldUsed(Subject subject, VariableElement yield) {
    if (yieldUsage.isUsed(subject.method(), yield).filter(used -> !used).isPresent()) {
      reporter.error(
          subject.method(),
          Message.UNUSED_YIELD,
          subject.sourceName(),
          yield.getSimpleName());
      return false;
    }
    return true;
  }

  private TypeMirror completionStage() {
    if (completionStage == null) {
      TypeElement stage = elements.getTypeElement(RuntimeTypes.COMPLETION_STAGE.canonicalName());
      completionStage = types.erasure(stage.asType());
    }
    return completionStage;
  }

  private boolean checkReturnType(
      ExecutableElement method, String sourceName, GeneratorStyle style) {
    TypeMirror returnType = method.getReturnType();
    if (style == GeneratorStyle.BLOCKING) {
      if (returnType.getKind() != TypeKind.VOID) {
        reporter.error(method, Message.BLOCKING_RETURN_TYPE, sourceName, returnType);
        return false;
      }
      return true;
    }
    boolean isStage =
        (returnType.getKind() == TypeKind.DECLARED || returnType.getKind() == TypeKind.TYPEVAR)
            && types.isSubtype(types.erasure(returnType), completionStage());
    if (!isStage) {
      reporter.error(method, Message.NON_BLOCKING_RETURN_TYPE, sourceName, returnType);
    }
    return isStage;
  }

  private boolean checkName(
      Subject subject, AnnotationMirror annotation, Optional<AnnotationValue> explicitName) {
    ExecutableElement method = subject.method();
    String simpleName = subject.simpleName();
    if (!SourceVersion.isIdentifier(simpleName) || SourceVersion.isKeyword(simpleName)) {
      reporter.error(
          method,
          annotation,
          explicitName,
          Message.INVALID_NAME,
          subject.sourceName(),
          simpleName,
          MethodNames.defaultGeneratedName(method));
      return false;
    }
    return nameCollisions.isFree(
        new NameCollisions.Claim(
            method,
            annotation,
            explicitName,
            ClassName.get(subject.packageName(), simpleName)));
  }

  private Optional<GeneratorStyle> yieldStyle(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED) {
      return Optional.empty();
    }
    TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
    return GeneratorStyle.ofYieldType(element.getQualifiedName());
  }

  private static List<TypeElement> enclosingTypes(ExecutableElement method) {
    List<TypeElement> result = new ArrayList<>();
    for (Element e = method.getEnclosingElement();
        e instanceof TypeElement type;
        e = e.getEnclosingElement()) {
      result.add(type);
    }
    return result;
  }
}
