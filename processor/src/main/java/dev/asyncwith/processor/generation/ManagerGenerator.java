package dev.asyncwith.processor.generation;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import com.palantir.javapoet.WildcardTypeName;
import dev.asyncwith.processor.model.GeneratorStyle;
import dev.asyncwith.processor.model.ManagerModel;
import dev.asyncwith.processor.model.RuntimeTypes;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Writes the generated class for one valid method: a thin, readable adapter that stores the
 * method's arguments and calls the method from the runtime engine's {@code generate}. All the state
 * machine lives in the engine.
 *
 * <p>Generated names are never captured by the user's: fields are always read as {@code this.name},
 * the receiver's name avoids every parameter's, and the type named in the static call is qualified
 * (or, failing that, a field renamed) when a field would obscure it.
 */
public final class ManagerGenerator {
  private static final String PROCESSOR = "dev.asyncwith.processor.AsyncContextManagerProcessor";
  private static final String YIELD = "yield";

  private final Elements elements;
  private final Types types;
  private final Map<GeneratorStyle, Set<String>> inheritedFieldNames =
      new EnumMap<>(GeneratorStyle.class);

  /**
   * Creates a generator.
   *
   * @param environment the processing environment
   */
  public ManagerGenerator(ProcessingEnvironment environment) {
    this.elements = environment.getElementUtils();
    this.types = environment.getTypeUtils();
  }

  /**
   * Generates the source file for {@code model}.
   *
   * @param model a valid method
   * @return the file, with the method as its only originating element
   */
  public JavaFile generate(ManagerModel model) {
    TypeName valueType = TypeName.get(model.yieldTypeArgument());
    List<TypeVariableName> typeVariables =
        model.typeParameters().stream().map(TypeVariableName::get).toList();
    TypeName self =
        typeVariables.isEmpty()
            ? model.generatedClass()
            : ParameterizedTypeName.get(
                model.generatedClass(), typeVariables.toArray(TypeName[]::new));
    Naming naming = new Naming(model, typeVariables);
    DocComment doc = DocComment.parse(model.javadoc());
    CodeBlock methodLink = methodLink(model);

    TypeSpec.Builder type =
        TypeSpec.classBuilder(model.generatedClass())
            .addOriginatingElement(model.method())
            .addJavadoc(classJavadoc(doc, methodLink))
            .addTypeVariables(typeVariables)
            .superclass(ParameterizedTypeName.get(model.style().engineType(), valueType))
            .addSuperinterface(ParameterizedTypeName.get(RuntimeTypes.ASYNC_RESOURCE, valueType));
    addClassAnnotations(type, model);
    if (model.isPublic()) {
      type.addModifiers(Modifier.PUBLIC);
    }
    type.addModifiers(Modifier.FINAL);
    engineElement(model.style()).ifPresent(type::avoidClashesWithNestedClasses);
    // javac resolves the class's annotations where its type parameters are in scope, so an
    // imported type (such as Generated) must be qualified when a type parameter shares its name.
    type.alwaysQualify(typeVariables.stream().map(TypeVariableName::name).toArray(String[]::new));

    List<ParameterSpec> parameters = new ArrayList<>();
    if (!model.isStatic()) {
      TypeName receiverType = TypeName.get(model.enclosingType().asType());
      type.addField(receiverType, naming.receiver(), Modifier.PRIVATE, Modifier.FINAL);
      parameters.add(ParameterSpec.builder(receiverType, naming.receiver()).build());
    }
    for (VariableElement parameter : model.parameters()) {
      TypeName parameterType = TypeName.get(parameter.asType());
      type.addField(parameterType, naming.field(parameter), Modifier.PRIVATE, Modifier.FINAL);
      parameters.add(
          ParameterSpec.builder(parameterType, parameter.getSimpleName().toString()).build());
    }

    type.addMethod(constructor(model, parameters, naming));
    type.addMethod(factory(model, parameters, typeVariables, self, doc, methodLink));
    type.addMethod(generateMethod(model, valueType, naming));

    return JavaFile.builder(model.generatedClass().packageName(), type.build())
        .indent("  ")
        .build();
  }

  /**
   * {@code @Generated} (when the compilation can see it), our coverage marker, the method's
   * {@code @Deprecated}, and the warnings the signature's raw or deprecated types would raise.
   */
  private static void addClassAnnotations(TypeSpec.Builder type, ManagerModel model) {
    model
        .generatedAnnotation()
        .ifPresent(
            generated ->
                type.addAnnotation(
                    AnnotationSpec.builder(generated).addMember("value", "$S", PROCESSOR).build()));
    type.addAnnotation(
        AnnotationSpec.builder(RuntimeTypes.ASYNC_WITH_GENERATED)
            .addMember("from", "$S", model.sourceName())
            .build());
    model.deprecated().ifPresent(mirror -> type.addAnnotation(AnnotationSpec.get(mirror)));
    if (!model.suppressedWarnings().isEmpty()) {
      AnnotationSpec.Builder suppress = AnnotationSpec.builder(SuppressWarnings.class);
      model.suppressedWarnings().stream()
          .sorted()
          .forEach(warning -> suppress.addMember("value", "$S", warning));
      type.addAnnotation(suppress.build());
    }
  }

  private static CodeBlock classJavadoc(DocComment doc, CodeBlock methodLink) {
    CodeBlock.Builder javadoc = CodeBlock.builder();
    if (!doc.description().isEmpty()) {
      javadoc.add("$L\n\n<p>", doc.description());
    }
    javadoc.add("Asynchronous context manager generated from $L.\n", methodLink);
    doc.deprecated().ifPresent(text -> javadoc.add("\n@deprecated $L\n", text));
    return javadoc.build();
  }

  private CodeBlock methodLink(ManagerModel model) {
    CodeBlock parameterTypes =
        model.method().getParameters().stream()
            .map(parameter -> CodeBlock.of("$T", erasure(parameter.asType())))
            .collect(CodeBlock.joining(", "));
    return CodeBlock.of(
        "{@link $T#$L($L)}",
        ClassName.get(model.enclosingType()),
        model.method().getSimpleName(),
        parameterTypes);
  }

  private TypeName erasure(TypeMirror type) {
    TypeMirror erased = types.erasure(type);
    if (erased.getKind() == TypeKind.ARRAY) {
      return ArrayTypeName.of(erasure(((ArrayType) erased).getComponentType()));
    }
    if (erased.getKind() == TypeKind.DECLARED) {
      return ClassName.get((TypeElement) ((DeclaredType) erased).asElement());
    }
    return TypeName.get(erased);
  }

  private static MethodSpec constructor(
      ManagerModel model, List<ParameterSpec> parameters, Naming naming) {
    MethodSpec.Builder constructor =
        MethodSpec.constructorBuilder()
            .addModifiers(Modifier.PRIVATE)
            .addParameters(parameters)
            .addStatement("super($S)", model.sourceName());
    if (!model.isStatic()) {
      constructor.addStatement("this.$N = $N", naming.receiver(), naming.receiver());
    }
    for (VariableElement parameter : model.parameters()) {
      constructor.addStatement(
          "this.$N = $N", naming.field(parameter), parameter.getSimpleName().toString());
    }
    return constructor.build();
  }

  private MethodSpec factory(
      ManagerModel model,
      List<ParameterSpec> parameters,
      List<TypeVariableName> typeVariables,
      TypeName self,
      DocComment doc,
      CodeBlock methodLink) {
    CodeBlock.Builder javadoc =
        CodeBlock.builder()
            .add("Returns a new manager that runs $L\n", methodLink)
            .add(parameters.isEmpty() ? "once entered." : "with these arguments once entered.")
            .add(" An instance is single-use.\n\n");
    if (!model.isStatic()) {
      javadoc.add("@param $L the object whose method is called\n", parameters.get(0).name());
    }
    for (VariableElement parameter : model.parameters()) {
      String name = parameter.getSimpleName().toString();
      javadoc.add(
          "@param $L $L\n",
          name,
          doc.parameters().getOrDefault(name, "the method's {@code " + name + "} argument"));
    }
    javadoc.add("@return a new manager, not yet entered\n");

    CodeBlock arguments =
        parameters.stream().map(p -> CodeBlock.of("$N", p.name())).collect(CodeBlock.joining(", "));
    MethodSpec.Builder factory =
        MethodSpec.methodBuilder("of")
            .addJavadoc(javadoc.build())
            .addModifiers(
                model.isPublic()
                    ? List.of(Modifier.PUBLIC, Modifier.STATIC)
                    : List.of(Modifier.STATIC))
            .addTypeVariables(typeVariables)
            .returns(self)
            .addParameters(parameters)
            .varargs(model.isVarargs())
            .addStatement(
                "return new $T$L($L)",
                model.generatedClass(),
                typeVariables.isEmpty() ? "" : "<>",
                arguments);
    if (needsSafeVarargs(model)) {
      // As java.util.List.of does: `of` only stores the array, for the method to receive as its
      // own varargs array, so it adds no heap pollution of its own; storing it is the [varargs]
      // "unsafe use" that @SuppressWarnings("varargs") acknowledges.
      factory
          .addAnnotation(SafeVarargs.class)
          .addAnnotation(
              AnnotationSpec.builder(SuppressWarnings.class)
                  .addMember("value", "$S", "varargs")
                  .build());
    }
    return factory.build();
  }

  /** Whether a varargs method's element type is non-reifiable, so it needs {@code @SafeVarargs}. */
  private static boolean needsSafeVarargs(ManagerModel model) {
    if (!model.isVarargs()) {
      return false;
    }
    VariableElement last = model.parameters().get(model.parameters().size() - 1);
    return !isReifiable(((ArrayType) last.asType()).getComponentType());
  }

  /** Whether an array of {@code type} can be created without an unchecked warning (JLS 4.7). */
  private static boolean isReifiable(TypeMirror type) {
    return switch (type.getKind()) {
      case TYPEVAR, INTERSECTION, WILDCARD -> false;
      case ARRAY -> isReifiable(((ArrayType) type).getComponentType());
      case DECLARED -> {
        DeclaredType declared = (DeclaredType) type;
        boolean unboundedArguments =
            declared.getTypeArguments().stream()
                .allMatch(
                    argument ->
                        argument.getKind() == TypeKind.WILDCARD
                            && ((WildcardType) argument).getExtendsBound() == null
                            && ((WildcardType) argument).getSuperBound() == null);
        TypeMirror enclosing = declared.getEnclosingType();
        yield unboundedArguments
            && (enclosing.getKind() != TypeKind.DECLARED || isReifiable(enclosing));
      }
      default -> true;
    };
  }

  private static MethodSpec generateMethod(ManagerModel model, TypeName valueType, Naming naming) {
    CodeBlock target =
        !model.isStatic()
            ? CodeBlock.of("this.$N", naming.receiver())
            : naming.qualifyType()
                ? CodeBlock.of("$L", ClassName.get(model.enclosingType()).canonicalName())
                : CodeBlock.of("$T", ClassName.get(model.enclosingType()));
    CodeBlock typeArguments =
        model.methodTypeParameters().isEmpty()
            ? CodeBlock.of("")
            : CodeBlock.of(
                "<$L>",
                model.methodTypeParameters().stream()
                    .map(parameter -> CodeBlock.of("$T", TypeVariableName.get(parameter)))
                    .collect(CodeBlock.joining(", ")));
    List<CodeBlock> arguments = new ArrayList<>();
    for (VariableElement parameter : model.parameters()) {
      arguments.add(CodeBlock.of("this.$N", naming.field(parameter)));
    }
    arguments.add(model.yieldIndex(), CodeBlock.of("$N", YIELD));
    CodeBlock call =
        CodeBlock.of(
            "$L.$L$L($L)",
            target,
            typeArguments,
            model.method().getSimpleName(),
            CodeBlock.join(arguments, ", "));

    MethodSpec.Builder generate =
        MethodSpec.methodBuilder("generate")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PROTECTED)
            .addParameter(ParameterizedTypeName.get(model.style().yieldType(), valueType), YIELD);
    model.thrownTypes().forEach(thrown -> generate.addException(TypeName.get(thrown)));
    if (model.style() == GeneratorStyle.NON_BLOCKING) {
      generate
          .returns(
              ParameterizedTypeName.get(
                  RuntimeTypes.COMPLETION_STAGE, WildcardTypeName.subtypeOf(Object.class)))
          .addStatement("return $L", call);
    } else {
      generate.addStatement("$L", call);
    }
    return generate.build();
  }

  private Optional<TypeElement> engineElement(GeneratorStyle style) {
    return Optional.ofNullable(elements.getTypeElement(style.engineType().canonicalName()));
  }

  /** Names of the non-private fields a generated class inherits from its engine. */
  private Set<String> inheritedFields(GeneratorStyle style) {
    return inheritedFieldNames.computeIfAbsent(
        style,
        s ->
            engineElement(s)
                .map(
                    engine ->
                        ElementFilter.fieldsIn(elements.getAllMembers(engine)).stream()
                            .filter(field -> !field.getModifiers().contains(Modifier.PRIVATE))
                            .map(field -> field.getSimpleName().toString())
                            .collect(Collectors.toUnmodifiableSet()))
                .orElse(Set.of()));
  }

  /** The generated class's member names, chosen so that no user name captures or hides one. */
  private final class Naming {
    private final Map<VariableElement, String> fields = new HashMap<>();
    private final String receiver;
    private final boolean qualifyType;

    Naming(ManagerModel model, List<TypeVariableName> typeVariables) {
      Set<String> taken = new HashSet<>();
      model.parameters().forEach(p -> taken.add(p.getSimpleName().toString()));
      this.receiver = model.isStatic() ? null : unique(decapitalize(model.enclosingType()), taken);

      // The static call names the method's top-level type: `Pools.lease(...)` or, qualified,
      // `com.example.Pools.lease(...)`. A field (or inherited field, or the yield parameter)
      // with the name of its first segment would obscure it (JLS 6.4.2).
      Set<String> variablesInScope = new HashSet<>(inheritedFields(model.style()));
      variablesInScope.add(YIELD);
      Set<String> typeVariableNames =
          typeVariables.stream().map(TypeVariableName::name).collect(Collectors.toSet());
      String topLevel = topLevelType(model.enclosingType()).getSimpleName().toString();
      String packageName = model.generatedClass().packageName();
      String firstPackageSegment = packageName.isEmpty() ? null : packageName.split("\\.")[0];
      boolean qualify = false;
      String obscurable = null;
      if (model.isStatic() && taken.contains(topLevel)) {
        if (firstPackageSegment != null
            && !taken.contains(firstPackageSegment)
            && !variablesInScope.contains(firstPackageSegment)
            && !typeVariableNames.contains(firstPackageSegment)) {
          qualify = true;
        } else {
          obscurable = topLevel;
        }
      }
      this.qualifyType = qualify;
      Set<String> fieldNames = new HashSet<>(taken);
      if (receiver != null) {
        fieldNames.add(receiver);
      }
      for (VariableElement parameter : model.parameters()) {
        String name = parameter.getSimpleName().toString();
        fields.put(parameter, name.equals(obscurable) ? unique(name + "_", fieldNames) : name);
      }
    }

    String receiver() {
      return receiver;
    }

    String field(VariableElement parameter) {
      return fields.get(parameter);
    }

    /** Whether the static call must name the method's type by its qualified name. */
    boolean qualifyType() {
      return qualifyType;
    }

    private static String decapitalize(TypeElement type) {
      String name = type.getSimpleName().toString();
      int first = name.codePointAt(0);
      return new StringBuilder()
          .appendCodePoint(Character.toLowerCase(first))
          .append(name, Character.charCount(first), name.length())
          .toString();
    }

    /** {@code base}, or {@code base} with the smallest number appended that is free; claims it. */
    private static String unique(String base, Set<String> taken) {
      String candidate = base;
      for (int i = 2; taken.contains(candidate) || SourceVersion.isKeyword(candidate); i++) {
        candidate = base + i;
      }
      taken.add(candidate);
      return candidate;
    }

    private static TypeElement topLevelType(TypeElement type) {
      TypeElement current = type;
      for (Element e = type.getEnclosingElement();
          e instanceof TypeElement outer;
          e = e.getEnclosingElement()) {
        current = outer;
      }
      return current;
    }
  }
}
