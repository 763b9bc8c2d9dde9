package dev.asyncwith.processor;

import com.palantir.javapoet.ClassName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Checks one {@code @AsyncContextManager} method against every rule and, when it passes, builds its
 * {@link ManagerModel}. Every problem found is reported, not only the first, so one compile shows
 * them all. Nothing is generated here.
 */
final class MethodValidator {
  private static final String GENERATED_MODULE = "java.compiler";

  private final Elements elements;
  private final Types types;
  private final Reporter reporter;
  private final YieldUsage yieldUsage;
  private final Accessibility accessibility;
  private final PackageTypes packageTypes;
  private Boolean generatedAnnotationExists;

  /**
   * Creates an analyzer.
   *
   * @param environment the processing environment
   * @param reporter where problems go
   * @param trees javac's optional Tree API, for the unused-yield check
   * @param packageTypes the types each package has this round, for the name collision check
   */
  public MethodValidator(
      ProcessingEnvironment environment,
      Reporter reporter,
      CompilerTrees trees,
      PackageTypes packageTypes) {
    this.elements = environment.getElementUtils();
    this.types = environment.getTypeUtils();
    this.reporter = reporter;
    this.yieldUsage = new YieldUsage(trees);
    this.accessibility = new Accessibility(elements);
    this.packageTypes = packageTypes;
  }

  /**
   * Checks {@code method}, reporting every problem on it.
   *
   * @param method a method annotated {@code @AsyncContextManager}
   * @return the model, or invalid, or deferred when a type in the signature does not exist yet
   */
  public Validation analyze(ExecutableElement method) {
    String sourceName = MethodNames.sourceName(method);
    TypeElement enclosingType = (TypeElement) method.getEnclosingElement();
    for (TypeElement type : enclosingTypes(method)) {
      if (type.getNestingKind() == NestingKind.LOCAL
          || type.getNestingKind() == NestingKind.ANONYMOUS) {
        reporter.error(method, Message.LOCAL_CLASS, sourceName);
        return new Validation.Invalid();
      }
    }

    boolean isStatic = method.getModifiers().contains(Modifier.STATIC);
    List<TypeParameterElement> typeTypeParameters =
        isStatic ? List.of() : typeParametersInScope(enclosingType);
    TypeUsage usage = signatureUsage(method, enclosingType, typeTypeParameters);
    if (!usage.missingTypes().isEmpty()) {
      return new Validation.Deferred(usage.missingTypes());
    }

    AnnotationMirror annotation = annotationMirror(method);
    Optional<AnnotationValue> nameValue = explicitValue(annotation, "name");
    String simpleName =
        nameValue
            .map(value -> String.valueOf(value.getValue()))
            .filter(name -> !name.isEmpty())
            .orElseGet(() -> MethodNames.defaultGeneratedName(method));
    String packageName = elements.getPackageOf(method).getQualifiedName().toString();
    Subject subject = new Subject(method, sourceName, simpleName, packageName);
    List<TypeParameterElement> typeParameters = new ArrayList<>(typeTypeParameters);
    typeParameters.addAll(method.getTypeParameters());

    boolean valid = checkVisibility(subject);
    Optional<YieldParameter> yield = checkYieldParameter(subject);
    valid &= yield.isPresent();
    valid &= checkTypeParameterNames(subject, typeParameters);
    valid &= checkAccessibleTypes(subject, usage);
    valid &= checkName(subject, annotation, nameValue);
    // Last, and only for an otherwise valid method: it is the one check that reads the body.
    if (!valid || !checkYieldUsed(subject, yield.get().parameter())) {
      return new Validation.Invalid();
    }

    boolean isPublic =
        accessibility.isPublic(method)
            && usage.declaredTypes().stream().allMatch(accessibility::isPublic);
    List<VariableElement> parameters = new ArrayList<>(method.getParameters());
    int yieldIndex = parameters.indexOf(yield.get().parameter());
    parameters.remove(yieldIndex);
    return new Validation.Valid(
        new ManagerModel(
            method,
            annotation,
            nameValue,
            enclosingType,
            yield.get().style(),
            ClassName.get(packageName, simpleName),
            sourceName,
            isPublic,
            typeParameters,
            List.copyOf(method.getTypeParameters()),
            isStatic,
            parameters,
            yieldIndex,
            yield.get().valueType(),
            method.isVarArgs(),
            new ArrayList<>(method.getThrownTypes()),
            Optional.ofNullable(elements.getDocComment(method)),
            deprecatedAnnotation(method),
            suppressedWarnings(method, usage),
            generatedAnnotation(method)));
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
          yieldName,
          yieldName,
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
          yield.getSimpleName(),
          yield.getSimpleName());
      return false;
    }
    return true;
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
    TypeElement stage = elements.getTypeElement(RuntimeTypes.COMPLETION_STAGE.canonicalName());
    boolean isStage =
        (returnType.getKind() == TypeKind.DECLARED || returnType.getKind() == TypeKind.TYPEVAR)
            && types.isSubtype(types.erasure(returnType), types.erasure(stage.asType()));
    if (!isStage) {
      reporter.error(method, Message.NON_BLOCKING_RETURN_TYPE, sourceName, returnType);
    }
    return isStage;
  }

  private boolean checkName(
      Subject subject, AnnotationMirror annotation, Optional<AnnotationValue> nameValue) {
    ExecutableElement method = subject.method();
    String sourceName = subject.sourceName();
    String simpleName = subject.simpleName();
    String packageName = subject.packageName();
    boolean explicit =
        nameValue.isPresent() && !String.valueOf(nameValue.get().getValue()).isEmpty();
    if (!SourceVersion.isIdentifier(simpleName) || SourceVersion.isKeyword(simpleName)) {
      report(
          method,
          annotation,
          explicit ? nameValue : Optional.empty(),
          Message.INVALID_NAME,
          sourceName,
          simpleName,
          MethodNames.defaultGeneratedName(method));
      return false;
    }
    Optional<TypeElement> existing = packageTypes.find(packageName, simpleName);
    if (existing.isPresent()) {
      String qualifiedName = packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
      report(
          method,
          annotation,
          explicit ? nameValue : Optional.empty(),
          Message.NAME_COLLISION,
          sourceName,
          qualifiedName,
          describeExisting(existing.get()));
      return false;
    }
    return true;
  }

  private void report(
      ExecutableElement method,
      AnnotationMirror annotation,
      Optional<AnnotationValue> value,
      Message message,
      Object... arguments) {
    if (value.isPresent()) {
      reporter.error(method, annotation, value.get(), message, arguments);
    } else {
      reporter.error(method, message, arguments);
    }
  }

  private String describeExisting(TypeElement existing) {
    for (AnnotationMirror mirror : existing.getAnnotationMirrors()) {
      if (isAnnotation(mirror, RuntimeTypes.ASYNC_WITH_GENERATED)) {
        Optional<AnnotationValue> from = explicitValue(mirror, "from");
        if (from.isPresent()) {
          return "the class generated for " + from.get().getValue();
        }
      }
    }
    return "the existing type " + existing.getQualifiedName();
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

  /**
   * The type parameters an instance method of {@code type} can use: those of {@code type} and, for
   * an inner class, of each enclosing instance's type, outermost first.
   */
  private static List<TypeParameterElement> typeParametersInScope(TypeElement type) {
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

  private static TypeUsage signatureUsage(
      ExecutableElement method,
      TypeElement enclosingType,
      List<TypeParameterElement> typeTypeParameters) {
    TypeUsage usage = new TypeUsage();
    usage.add(enclosingType.asType());
    for (TypeParameterElement parameter : typeTypeParameters) {
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

  private Set<String> suppressedWarnings(ExecutableElement method, TypeUsage usage) {
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

  private static boolean isForRemoval(Element element) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      if (isAnnotation(mirror, ClassName.get(Deprecated.class))) {
        return explicitValue(mirror, "forRemoval")
            .map(value -> Boolean.TRUE.equals(value.getValue()))
            .orElse(false);
      }
    }
    return false;
  }

  private static Optional<AnnotationMirror> deprecatedAnnotation(ExecutableElement method) {
    return method.getAnnotationMirrors().stream()
        .filter(mirror -> isAnnotation(mirror, ClassName.get(Deprecated.class)))
        .map(mirror -> (AnnotationMirror) mirror)
        .findFirst();
  }

  private Optional<ClassName> generatedAnnotation(ExecutableElement method) {
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

  private static AnnotationMirror annotationMirror(ExecutableElement method) {
    for (AnnotationMirror mirror : method.getAnnotationMirrors()) {
      if (isAnnotation(mirror, RuntimeTypes.ASYNC_CONTEXT_MANAGER)) {
        return mirror;
      }
    }
    throw new IllegalStateException("no @AsyncContextManager on " + method);
  }

  private static boolean isAnnotation(AnnotationMirror mirror, ClassName name) {
    TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
    return type.getQualifiedName().contentEquals(name.canonicalName());
  }

  private static Optional<AnnotationValue> explicitValue(AnnotationMirror mirror, String name) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
        mirror.getElementValues().entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals(name)) {
        return Optional.of(entry.getValue());
      }
    }
    return Optional.empty();
  }
}
