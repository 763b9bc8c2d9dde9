package dev.asyncwith.processor;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import com.palantir.javapoet.WildcardTypeName;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
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
final class ManagerGenerator {
  private static final String PROCESSOR = "dev.asyncwith.processor.AsyncContextManagerProcessor";
  private static final String YIELD = "yield";
  private static final ClassName SUPPLIER = ClassName.get("java.util.function", "Supplier");
  // Where javadoc text starts: after " * " on the class, after "   * " on a member.
  private static final int CLASS_JAVADOC_MARGIN = 3;
  private static final int MEMBER_JAVADOC_MARGIN = 5;
  private static final String JAVA_LANG = "java.lang";
  private static final Pattern JAVA_LANG_IMPORT =
      Pattern.compile("^import java\\.lang\\.(\\w+);$", Pattern.MULTILINE);

  private final Elements elements;
  private final Types types;
  private final PackageTypes packageTypes;
  private final GeneratedClassFacts facts;
  private final Map<GeneratorStyle, Set<String>> inheritedFieldNames =
      new EnumMap<>(GeneratorStyle.class);
  private final Map<GeneratorStyle, String[]> engineNestedClassNames =
      new EnumMap<>(GeneratorStyle.class);
  // The engines are class files of the runtime, the same in every round: looked up once each,
  // since getTypeElement searches every module of the compilation.
  private final Map<GeneratorStyle, Optional<TypeElement>> engineElements =
      new EnumMap<>(GeneratorStyle.class);

  /**
   * Creates a generator.
   *
   * @param environment the processing environment
   * @param packageTypes the types each package has this round, for the {@code java.lang} imports
   */
  ManagerGenerator(ProcessingEnvironment environment, PackageTypes packageTypes) {
    this.elements = environment.getElementUtils();
    this.types = environment.getTypeUtils();
    this.packageTypes = packageTypes;
    this.facts = new GeneratedClassFacts(elements);
  }

  /**
   * Generates the source file for {@code model}.
   *
   * @param model a valid method
   * @return the file's class name and text, to be written with the method as its only originating
   *     element
   */
  GeneratedSource generate(ManagerModel model) {
    TypeName valueType = TypeName.get(model.yieldedType());
    List<TypeVariableName> typeVariables =
        model.typeParameters().stream().map(TypeVariableName::get).toList();
    TypeName self =
        typeVariables.isEmpty()
            ? model.generatedClass()
            : ParameterizedTypeName.get(
                model.generatedClass(), typeVariables.toArray(TypeName[]::new));
    Naming naming = new Naming(model, typeVariables);
    DocComment doc = DocComment.parse(facts.javadoc(model.method()));
    MethodLink methodLink = methodLink(model);

    TypeSpec.Builder type =
        TypeSpec.classBuilder(model.generatedClass())
            .addOriginatingElement(model.method())
            .addJavadoc(classJavadoc(doc, methodLink, typeParameterDocs(model, doc)))
            .addTypeVariables(typeVariables)
            // The engine implements AsyncResource<T>: repeating it here would be redundant (Eclipse's
            // compiler warns so).
            .superclass(ParameterizedTypeName.get(model.style().engineType(), valueType));
    addClassAnnotations(type, model);
    if ((model.visibility() == ManagerModel.Visibility.PUBLIC)) {
      type.addModifiers(Modifier.PUBLIC);
    }
    type.addModifiers(Modifier.FINAL);
    type.alwaysQualify(engineNestedClassNames(model.style()));
    // javac resolves the class's annotations where its type parameters are in scope, so an
    // imported type (such as Generated) must be qualified when a type parameter shares its name.
    type.alwaysQualify(typeVariables.stream().map(TypeVariableName::name).toArray(String[]::new));

    List<ParameterSpec> parameters = new ArrayList<>();
    if (!model.isStatic()) {
      TypeName receiverType = TypeName.get(model.enclosingType().asType());
      type.addField(
          FieldSpec.builder(receiverType, naming.receiver(), Modifier.PRIVATE, Modifier.FINAL)
              .addJavadoc("The object whose method is called.\n")
              .build());
      parameters.add(ParameterSpec.builder(receiverType, naming.receiver()).build());
    }
    for (VariableElement parameter : model.parameters()) {
      TypeName parameterType = TypeName.get(parameter.asType());
      type.addField(
          FieldSpec.builder(
                  parameterType, naming.field(parameter), Modifier.PRIVATE, Modifier.FINAL)
              .addJavadoc("The method's {@code $L} argument.\n", parameter.getSimpleName())
              .build());
      parameters.add(
          ParameterSpec.builder(parameterType, parameter.getSimpleName().toString()).build());
    }

    type.addMethod(constructor(model, constructorParameters(model, parameters), naming, doc));
    type.addMethod(factory(model, parameters, typeVariables, self, doc, methodLink));
    type.addMethod(generateMethod(model, valueType, naming));

    TypeSpec typeSpec = type.build();
    return new GeneratedSource(
        model.generatedClass(),
        SourceLayout.apply(render(model.generatedClass().packageName(), typeSpec)));
  }

  /**
   * The file's text, with {@code java.lang} imports only when the package has a type named like one
   * of them. Nearly always the package has no type named like any {@code java.lang} type, which one
   * look at the package settles before rendering, so the file is rendered once.
   */
  private String render(String packageName, TypeSpec typeSpec) {
    if (!packageTypes.sharesNames(packageName, JAVA_LANG)) {
      return render(packageName, typeSpec, true);
    }
    String withImports = render(packageName, typeSpec, false);
    return clashesWithJavaLang(packageName, withImports)
        ? withImports
        : render(packageName, typeSpec, true);
  }

  private static String render(String packageName, TypeSpec type, boolean skipJavaLangImports) {
    return JavaFile.builder(packageName, type)
        .indent("  ")
        .skipJavaLangImports(skipJavaLangImports)
        .build()
        .toString();
  }

  /**
   * Whether the package has a type with the simple name of a {@code java.lang} type that {@code
   * source} imports. Such a type would win over {@code java.lang}'s implicit import, so only an
   * explicit import keeps the name meaning the {@code java.lang} type.
   */
  private boolean clashesWithJavaLang(String packageName, String source) {
    Matcher imported = JAVA_LANG_IMPORT.matcher(source);
    while (imported.find()) {
      if (packageTypes.contains(packageName, imported.group(1))) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code @Generated} (when the compilation can see it), our coverage marker, the method's
   * {@code @Deprecated}, and the warnings the signature's raw or deprecated types would raise.
   */
  private void addClassAnnotations(TypeSpec.Builder type, ManagerModel model) {
    Set<String> suppressedWarnings = facts.suppressedWarnings(model);
    facts
        .generatedAnnotation(model.method())
        .ifPresent(
            generated ->
                type.addAnnotation(
                    AnnotationSpec.builder(generated).addMember("value", "$S", PROCESSOR).build()));
    type.addAnnotation(
        AnnotationSpec.builder(RuntimeTypes.ASYNC_WITH_GENERATED)
            .addMember("from", "$S", model.sourceName())
            .build());
    GeneratedClassFacts.deprecated(model.method()).ifPresent(mirror -> type.addAnnotation(AnnotationSpec.get(mirror)));
    if (!suppressedWarnings.isEmpty()) {
      AnnotationSpec.Builder suppress = AnnotationSpec.builder(SuppressWarnings.class);
      suppressedWarnings.stream()
          .sorted()
          .forEach(warning -> suppress.addMember("value", "$S", warning));
      type.addAnnotation(suppress.build());
    }
  }

  private static CodeBlock classJavadoc(
      DocComment doc, MethodLink methodLink, CodeBlock typeParameterDocs) {
    CodeBlock.Builder javadoc = CodeBlock.builder();
    String paragraph = "";
    if (!doc.description().isEmpty()) {
      javadoc.add("$L\n\n", doc.description());
      paragraph = "<p>";
    }
    String lead = paragraph + "Asynchronous context manager generated from";
    javadoc.add("$L$L.\n", methodLink.after(lead, CLASS_JAVADOC_MARGIN, 1), methodLink.code());
    if (!typeParameterDocs.isEmpty()) {
      javadoc.add("\n").add(typeParameterDocs);
    }
    doc.deprecated().ifPresent(text -> javadoc.add("\n@deprecated $L\n", text));
    return javadoc.build();
  }

  private MethodLink methodLink(ManagerModel model) {
    List<TypeName> parameterTypes =
        model.method().getParameters().stream().map(p -> erasure(p.asType())).toList();
    ClassName enclosing = ClassName.get(model.enclosingType());
    CodeBlock code =
        CodeBlock.of(
            "{@link $T#$L($L)}",
            enclosing,
            model.method().getSimpleName(),
            parameterTypes.stream()
                .map(type -> CodeBlock.of("$T", type))
                .collect(CodeBlock.joining(", ")));
    // As JavaPoet usually writes it, with imported (simple) names; a name it must qualify makes the
    // line longer than this estimate, which only decides where a line breaks.
    int width =
        String.format(
                "{@link %s#%s(%s)}",
                simpleForm(enclosing),
                model.method().getSimpleName(),
                parameterTypes.stream()
                    .map(ManagerGenerator::simpleForm)
                    .collect(Collectors.joining(", ")))
            .length();
    return new MethodLink(code, width);
  }

  private static String simpleForm(TypeName type) {
    if (type instanceof ArrayTypeName array) {
      return simpleForm(array.componentType()) + "[]";
    }
    return type instanceof ClassName name ? String.join(".", name.simpleNames()) : type.toString();
  }

  /**
   * The javadoc link to the source method, and how wide it is likely to be written.
   *
   * @param code the link
   * @param width its estimated width in columns
   */
  private record MethodLink(CodeBlock code, int width) {
    /**
     * {@code lead}, then a space if the link and {@code trailing} more columns fit after it on a
     * javadoc line whose text starts at column {@code margin}, else a line break.
     */
    String after(String lead, int margin, int trailing) {
      boolean fits = margin + lead.length() + 1 + width + trailing <= SourceLayout.WIDTH;
      return lead + (fits ? " " : "\n");
    }
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

  /** The {@code @param} tags for the type parameters, of the class and of {@code of}. */
  private CodeBlock typeParameterDocs(ManagerModel model, DocComment doc) {
    CodeBlock.Builder javadoc = CodeBlock.builder();
    for (TypeParameterElement typeParameter : model.typeParameters()) {
      javadoc.add("@param <$L> $L\n", typeParameter, typeParameterDoc(typeParameter, model, doc));
    }
    return javadoc.build();
  }

  /** The {@code @param} tags of {@code of} and the constructor: the receiver, then the method's. */
  private static CodeBlock parameterDocs(
      ManagerModel model, List<ParameterSpec> parameters, DocComment doc) {
    CodeBlock.Builder javadoc = CodeBlock.builder();
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
    return javadoc.build();
  }

  private static MethodSpec constructor(
      ManagerModel model, List<ParameterSpec> parameters, Naming naming, DocComment doc) {
    CodeBlock javadoc =
        parameters.isEmpty()
            ? CodeBlock.of("Creates the manager; {@code of} is the only caller.\n")
            : CodeBlock.builder()
                .add("Stores the arguments until {@code generate} calls the method.\n\n")
                .add(parameterDocs(model, parameters, doc))
                .build();
    MethodSpec.Builder constructor =
        MethodSpec.constructorBuilder()
            .addJavadoc(javadoc)
            .addModifiers(Modifier.PRIVATE)
            .addParameters(parameters)
            .addStatement("super($S)", model.sourceName());
    if (!model.isStatic()) {
      constructor.addStatement("this.$N = $N", naming.receiver(), naming.receiver());
    }
    for (VariableElement parameter : model.parameters()) {
      boolean passedThrough = needsSafeVarargs(model) && isLast(model, parameter);
      constructor.addStatement(
          passedThrough ? "this.$N = $N.get()" : "this.$N = $N",
          naming.field(parameter),
          parameter.getSimpleName().toString());
    }
    return constructor.build();
  }

  /**
   * The constructor's parameters: those of {@code of}, except that a non-reifiable varargs array
   * arrives through a {@code Supplier}. Inside a {@code @SafeVarargs} method javac's [varargs] lint
   * flags every use of the whole array (storing it, passing it on), and Eclipse's compiler does not
   * know the {@code "varargs"} token that would suppress it; a lambda is a body of its own, so
   * handing the array over through one needs no suppression in either compiler. {@code of} still
   * only stores the array for the method, which receives it as its own varargs array, so {@code
   * of} adds no heap pollution of its own (as {@code java.util.List.of}).
   */
  private static List<ParameterSpec> constructorParameters(
      ManagerModel model, List<ParameterSpec> parameters) {
    if (!needsSafeVarargs(model)) {
      return parameters;
    }
    List<ParameterSpec> result = new ArrayList<>(parameters);
    ParameterSpec array = result.remove(result.size() - 1);
    result.add(
        ParameterSpec.builder(ParameterizedTypeName.get(SUPPLIER, array.type()), array.name())
            .build());
    return result;
  }

  private static boolean isLast(ManagerModel model, VariableElement parameter) {
    return model.parameters().get(model.parameters().size() - 1).equals(parameter);
  }

  private MethodSpec factory(
      ManagerModel model,
      List<ParameterSpec> parameters,
      List<TypeVariableName> typeVariables,
      TypeName self,
      DocComment doc,
      MethodLink methodLink) {
    CodeBlock.Builder javadoc =
        CodeBlock.builder()
            .add(
                "$L$L\n",
                methodLink.after("Returns a new manager that runs", MEMBER_JAVADOC_MARGIN, 0),
                methodLink.code())
            .add(parameters.isEmpty() ? "once entered." : "with these arguments once entered.")
            .add(" An instance is single-use.\n\n");
    javadoc.add(typeParameterDocs(model, doc));
    javadoc.add(parameterDocs(model, parameters, doc));
    javadoc.add("@return a new manager, not yet entered\n");

    List<CodeBlock> passed = new ArrayList<>();
    for (ParameterSpec parameter : parameters) {
      passed.add(CodeBlock.of("$N", parameter.name()));
    }
    if (needsSafeVarargs(model)) {
      String array = parameters.get(parameters.size() - 1).name();
      passed.set(passed.size() - 1, CodeBlock.of("() -> $N", array));
    }
    CodeBlock arguments = CodeBlock.join(passed, ", ");
    MethodSpec.Builder factory =
        MethodSpec.methodBuilder("of")
            .addJavadoc(javadoc.build())
            .addModifiers(
                (model.visibility() == ManagerModel.Visibility.PUBLIC)
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
    // Members of a deprecated class are deprecated too, as Eclipse's compiler expects them to say.
    GeneratedClassFacts.deprecated(model.method()).ifPresent(mirror -> factory.addAnnotation(AnnotationSpec.get(mirror)));
    if (needsSafeVarargs(model)) {
      // See constructorParameters for how the array reaches the constructor.
      factory.addAnnotation(SafeVarargs.class);
    }
    return factory.build();
  }

  /**
   * The description of a type parameter of {@code of}: the one its declaration's javadoc gives (the
   * method's, or for an instance method the enclosing type's), else a plain one.
   */
  private String typeParameterDoc(
      TypeParameterElement typeParameter, ManagerModel model, DocComment methodDoc) {
    Element declaration = typeParameter.getGenericElement();
    String tag = "<" + typeParameter.getSimpleName() + ">";
    if (declaration.equals(model.method())) {
      return methodDoc
          .parameters()
          .getOrDefault(
              tag, "the method's type parameter {@code " + typeParameter.getSimpleName() + "}");
    }
    return DocComment.parse(Optional.ofNullable(elements.getDocComment(declaration)))
        .parameters()
        .getOrDefault(
            tag,
            "the type parameter {@code "
                + typeParameter.getSimpleName()
                + "} of {@code "
                + declaration.getSimpleName()
                + "}");
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
        model.method().getTypeParameters().isEmpty()
            ? CodeBlock.of("")
            : CodeBlock.of(
                "<$L>",
                model.method().getTypeParameters().stream()
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
    GeneratedClassFacts.deprecated(model.method()).ifPresent(mirror -> generate.addAnnotation(AnnotationSpec.get(mirror)));
    model.method().getThrownTypes().forEach(thrown -> generate.addException(TypeName.get(thrown)));
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
    return engineElements.computeIfAbsent(
        style, s -> Optional.ofNullable(elements.getTypeElement(s.engineType().canonicalName())));
  }

  /**
   * The simple names JavaPoet must qualify so that no nested class of the engine (or of its
   * supertypes) captures them, as its {@code avoidClashesWithNestedClasses} works them out: once
   * per style rather than once per generated class, since that walk of the engine's hierarchy was
   * a visible share of the processor's own time.
   */
  private String[] engineNestedClassNames(GeneratorStyle style) {
    return engineNestedClassNames.computeIfAbsent(
        style,
        s ->
            engineElement(s)
                .map(
                    engine ->
                        TypeSpec.classBuilder("EngineNestedClassNames")
                            .avoidClashesWithNestedClasses(engine)
                            .build()
                            .alwaysQualifiedNames()
                            .toArray(String[]::new))
                .orElse(new String[0]));
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
