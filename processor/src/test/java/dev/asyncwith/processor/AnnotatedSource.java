package dev.asyncwith.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One randomly shaped source file with an {@code @AsyncContextManager} somewhere in it, as data
 * (so jqwik can shrink and print it), with its rendering to Java and a prediction from docs/RULES.md
 * of whether the processor must accept it, must reject it, or may do either.
 *
 * <p>Every JDK and library type is written fully qualified, so that whatever names the scenario
 * gives type variables and parameters, the source itself stays valid; only the code the
 * processor generates is put to the test by them.
 */
record AnnotatedSource(
    Container container,
    boolean containerPublic,
    MethodKind methodKind,
    Visibility visibility,
    Style style,
    ReturnShape returnShape,
    YieldShape yieldShape,
    YieldArgument yieldArgument,
    List<Parameter> parameters,
    int yieldPosition,
    String typeVariable,
    Bound bound,
    boolean yieldUsed,
    String methodName,
    NameOverride nameOverride,
    Placement placement,
    Missing missing,
    boolean collidingType,
    boolean overloadedTwin,
    boolean finalMethod,
    boolean synchronizedMethod,
    boolean throwsClause) {

  /** The package every source is in. */
  static final String PACKAGE = "test";
  /** The top-level type's simple name. */
  static final String SUBJECT = "Subject";

  /** Where the annotated method lives. */
  enum Container {
    TOP_CLASS,
    TOP_INTERFACE,
    TOP_ENUM,
    TOP_RECORD,
    STATIC_NESTED,
    INNER,
    PRIVATE_NESTED,
    LOCAL,
    ANONYMOUS,
    GENERIC_CLASS
  }

  /** Static, instance, or (in an interface or abstract class) abstract. */
  enum MethodKind {
    STATIC,
    INSTANCE,
    ABSTRACT
  }

  /** The method's access modifier as written. */
  enum Visibility {
    PUBLIC,
    PROTECTED,
    PACKAGE,
    PRIVATE
  }

  /** Which yield type the method takes. */
  enum Style {
    NON_BLOCKING,
    BLOCKING
  }

  /** The declared return type. */
  enum ReturnShape {
    /** {@code CompletionStage<Void>} for a non-blocking method, {@code void} for a blocking one. */
    RIGHT,
    /** Non-blocking: {@code CompletionStage<?>}. */
    RIGHT_WILDCARD,
    /** Non-blocking: {@code CompletableFuture<Void>} (a subtype). */
    RIGHT_SUBTYPE,
    /** Non-blocking: {@code CompletionStage<String>}. */
    RIGHT_OTHER_VALUE,
    /** Wrong for the style: {@code void} for non-blocking, {@code CompletionStage} for blocking. */
    WRONG_FOR_STYLE,
    /** Wrong for both: {@code int}. */
    INT
  }

  /** How the yield parameter is declared. */
  enum YieldShape {
    ONE,
    NONE,
    TWO,
    BOTH_KINDS,
    WILDCARD,
    RAW
  }

  /** The yield parameter's type argument. */
  enum YieldArgument {
    STRING,
    TYPE_VARIABLE,
    STRING_ARRAY,
    INT_ARRAY,
    LIST_OF_TYPE_VARIABLE,
    NESTED_GENERIC
  }

  /** Another parameter of the method. */
  record Parameter(ParameterType type, String name) {}

  /** Types of the other parameters. */
  enum ParameterType {
    INT,
    LONG,
    STRING,
    LIST_OF_WILDCARD,
    STRING_ARRAY,
    FINAL_STRING,
    TYPE_VARIABLE,
    VARARGS
  }

  /** The bound on the method's type variable, when it has one. */
  enum Bound {
    NONE,
    COMPARABLE_SELF,
    INTERSECTION,
    SECOND_EXCEPTION_VARIABLE
  }

  /** The {@code name} attribute. */
  enum NameOverride {
    NONE,
    VALID,
    NOT_AN_IDENTIFIER,
    KEYWORD,
    QUALIFIED
  }

  /** Where the annotation is put. */
  enum Placement {
    METHOD,
    CLASS,
    FIELD,
    CONSTRUCTOR,
    PARAMETER
  }

  /** A type the source names but that does not exist. */
  enum Missing {
    NONE,
    PARAMETER,
    YIELD_ARGUMENT,
    RETURN_ARGUMENT
  }

  /** What docs/RULES.md says the processor must do with a source. */
  enum Expectation {
    ACCEPT,
    REJECT,
    EITHER
  }

  /** A rendered source: its text and the span of the offending (annotated) element. */
  record Rendered(String text, int elementStart, int elementEnd) {}

  // ---------------------------------------------------------------------------------------------
  // Derived facts

  private boolean inInterface() {
    return container == Container.TOP_INTERFACE;
  }

  /** Whether the method uses its own type variable. */
  boolean declaresTypeVariable() {
    return yieldArgument == YieldArgument.TYPE_VARIABLE
        || yieldArgument == YieldArgument.LIST_OF_TYPE_VARIABLE
        || bound != Bound.NONE
        || parameters.stream().anyMatch(p -> p.type() == ParameterType.TYPE_VARIABLE);
  }

  /** The simple name of the class the processor generates, by the rules' template. */
  String generatedSimpleName() {
    if (nameOverride == NameOverride.VALID) {
      return "Custom" + capitalized(methodName);
    }
    String enclosing;
    switch (container) {
      case STATIC_NESTED:
      case INNER:
      case PRIVATE_NESTED:
        enclosing = SUBJECT + "Inner";
        break;
      default:
        enclosing = SUBJECT;
    }
    return enclosing + capitalized(methodName);
  }

  private static String capitalized(String name) {
    return name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
  }

  /** Whether the method is effectively private (interfaces: only when written so). */
  private boolean methodPrivate() {
    return visibility == Visibility.PRIVATE;
  }

  /** Whether the method is effectively public. */
  boolean methodPublic() {
    return inInterface() ? visibility != Visibility.PRIVATE : visibility == Visibility.PUBLIC;
  }

  /** Whether every type enclosing the method is public. */
  boolean enclosingPublic() {
    switch (container) {
      case STATIC_NESTED:
      case INNER:
      case GENERIC_CLASS:
      case TOP_CLASS:
      case TOP_INTERFACE:
      case TOP_ENUM:
      case TOP_RECORD:
        return containerPublic;
      default:
        return false;
    }
  }

  /** Whether the method is an instance method (the generated {@code of} takes the receiver). */
  boolean instanceMethod() {
    return methodKind != MethodKind.STATIC;
  }

  /** What docs/RULES.md requires of the processor for this source. */
  Expectation expectation() {
    if (placement != Placement.METHOD || render().text().contains("DoesNotExist")) {
      return Expectation.REJECT; // javac's own errors; the processor must not crash on them
    }
    if (container == Container.LOCAL || container == Container.ANONYMOUS) {
      // Annotation processing does not see members of local and anonymous classes (JSR 269
      // gives no element for them), so the processor cannot act on them either way.
      return Expectation.EITHER;
    }
    if (container == Container.PRIVATE_NESTED || methodPrivate()) {
      return Expectation.REJECT;
    }
    if (yieldShape == YieldShape.NONE
        || yieldShape == YieldShape.TWO
        || yieldShape == YieldShape.BOTH_KINDS
        || yieldShape == YieldShape.WILDCARD) {
      return Expectation.REJECT;
    }
    if (returnShape == ReturnShape.WRONG_FOR_STYLE || returnShape == ReturnShape.INT) {
      return Expectation.REJECT;
    }
    if (nameOverride == NameOverride.NOT_AN_IDENTIFIER
        || nameOverride == NameOverride.KEYWORD
        || nameOverride == NameOverride.QUALIFIED
        || collidingType
        || overloadedTwin) {
      return Expectation.REJECT;
    }
    if (methodKind == MethodKind.ABSTRACT) {
      return Expectation.EITHER; // no body: whether the yield is "used" is not decidable
    }
    if (!yieldUsed) {
      return Expectation.REJECT;
    }
    if (yieldShape == YieldShape.RAW) {
      return Expectation.EITHER; // docs/RULES.md does not say; no crash, and a clean outcome
    }
    return Expectation.ACCEPT;
  }

  /**
   * Whether an accepted source's manager can be run from a test: its receiver, if any, can be
   * made without knowing more than the shape.
   */
  boolean runnable() {
    if (!instanceMethod()) {
      return container != Container.LOCAL && container != Container.ANONYMOUS;
    }
    switch (container) {
      case TOP_CLASS:
      case STATIC_NESTED:
      case INNER:
      case TOP_ENUM:
      case TOP_RECORD:
      case GENERIC_CLASS:
        return true;
      default:
        return false;
    }
  }

  /** The value the method yields, when the yield argument is a String; else null. */
  String yieldedString() {
    return yieldArgument == YieldArgument.STRING ? "yielded" : null;
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering

  /** Renders the source file {@code test/Subject.java} and locates the annotated element. */
  Rendered render() {
    StringBuilder out = new StringBuilder();
    out.append("package ").append(PACKAGE).append(";\n\n");
    String annotation = annotation();
    String method = method(annotation, false);
    String classAnnotation =
        placement == Placement.CLASS && container != Container.ANONYMOUS ? annotation + "\n" : "";
    String visibilityOfTop = containerPublic ? "public " : "";
    int[] span = new int[2];
    switch (container) {
      case TOP_CLASS:
      case GENERIC_CLASS:
        {
          String typeParameters = container == Container.GENERIC_CLASS ? "<U>" : "";
          String abstractness = methodKind == MethodKind.ABSTRACT ? "abstract " : "";
          out.append(classAnnotation).append(visibilityOfTop).append(abstractness)
              .append("class ").append(SUBJECT).append(typeParameters).append(" {\n");
          members(out, method, span, SUBJECT);
          out.append("}\n");
          break;
        }
      case TOP_INTERFACE:
        out.append(classAnnotation).append(visibilityOfTop).append("interface ").append(SUBJECT)
            .append(" {\n");
        members(out, method, span, null);
        out.append("}\n");
        break;
      case TOP_ENUM:
        out.append(classAnnotation).append(visibilityOfTop).append("enum ").append(SUBJECT)
            .append(" {\n  A;\n");
        members(out, method, span, SUBJECT);
        out.append("}\n");
        break;
      case TOP_RECORD:
        out.append(classAnnotation).append(visibilityOfTop).append("record ").append(SUBJECT)
            .append("() {\n");
        members(out, method, span, SUBJECT);
        out.append("}\n");
        break;
      case STATIC_NESTED:
      case INNER:
      case PRIVATE_NESTED:
        {
          String modifiers =
              container == Container.PRIVATE_NESTED
                  ? "private static "
                  : (containerPublic ? "public " : "")
                      + (container == Container.STATIC_NESTED ? "static " : "");
          String abstractness = methodKind == MethodKind.ABSTRACT ? "abstract " : "";
          out.append(visibilityOfTop).append("class ").append(SUBJECT).append(" {\n  ")
              .append(classAnnotation).append(modifiers).append(abstractness)
              .append("class Inner {\n");
          members(out, method, span, "Inner");
          out.append("  }\n}\n");
          break;
        }
      case LOCAL:
        out.append(visibilityOfTop).append("class ").append(SUBJECT).append(" {\n")
            .append("  void host() {\n    ").append(classAnnotation)
            .append(methodKind == MethodKind.ABSTRACT ? "abstract " : "")
            .append("class Local {\n");
        members(out, method, span, "Local");
        out.append("    }\n  }\n}\n");
        break;
      case ANONYMOUS:
        out.append(visibilityOfTop).append("class ").append(SUBJECT).append(" {\n  ")
            .append(placement == Placement.CLASS ? annotation + " " : "")
            .append("java.lang.Object anonymous = new java.lang.Object() {\n");
        members(out, method, span, null);
        out.append("  };\n}\n");
        break;
      default:
        throw new AssertionError(container);
    }
    if (collidingType) {
      out.append("\nclass ").append(generatedSimpleName()).append(" {}\n");
    }
    return new Rendered(out.toString(), span[0], span[1]);
  }

  /** Appends the annotated method (and what else the placement needs), recording its span. */
  private void members(StringBuilder out, String method, int[] span, String constructorOwner) {
    String annotation = annotation();
    switch (placement) {
      case FIELD:
        span[0] = out.length();
        out.append("  ").append(annotation).append(" static final int FIELD = 0;\n");
        span[1] = out.length();
        out.append(method);
        return;
      case CONSTRUCTOR:
        if (constructorOwner != null && container != Container.TOP_RECORD
            && container != Container.TOP_ENUM) {
          span[0] = out.length();
          out.append("  ").append(annotation).append(" ").append(constructorOwner)
              .append("() {}\n");
          span[1] = out.length();
        } else {
          span[0] = out.length();
          out.append("  ").append(annotation).append(" static final int MISPLACED = 0;\n");
          span[1] = out.length();
        }
        out.append(method);
        return;
      case CLASS:
        span[0] = 0;
        out.append(method);
        span[1] = Integer.MAX_VALUE;
        return;
      default:
        span[0] = out.length();
        out.append(method);
        span[1] = out.length();
        if (overloadedTwin) {
          out.append(method(annotation, true));
          span[1] = out.length();
        }
    }
  }

  private String annotation() {
    String name;
    switch (nameOverride) {
      case VALID:
        name = "(name = \"" + generatedSimpleName() + "\")";
        break;
      case NOT_AN_IDENTIFIER:
        name = "(name = \"1st-choice\")";
        break;
      case KEYWORD:
        name = "(name = \"class\")";
        break;
      case QUALIFIED:
        name = "(name = \"other.Name\")";
        break;
      default:
        name = "";
    }
    return "@dev.asyncwith.annotations.AsyncContextManager" + name;
  }

  private String method(String annotation, boolean twin) {
    StringBuilder m = new StringBuilder("  ");
    if (placement == Placement.METHOD) {
      m.append(annotation).append('\n').append("  ");
    }
    m.append(modifiers());
    if (declaresTypeVariable()) {
      m.append('<').append(typeVariable).append(boundText()).append("> ");
    }
    m.append(returnType()).append(' ').append(methodName).append('(');
    List<String> parameterList = parameterList();
    if (twin) {
      parameterList.add(0, "int twin");
    }
    if (placement == Placement.PARAMETER) {
      if (parameterList.isEmpty()) {
        parameterList.add("int annotated");
      }
      parameterList.set(0, annotation + " " + parameterList.get(0));
    }
    m.append(String.join(", ", parameterList));
    m.append(')');
    if (throwsClause || style == Style.BLOCKING) {
      m.append(bound == Bound.SECOND_EXCEPTION_VARIABLE ? " throws java.lang.Exception, X"
          : " throws java.lang.Exception");
    } else if (bound == Bound.SECOND_EXCEPTION_VARIABLE) {
      m.append(" throws X");
    }
    if (methodKind == MethodKind.ABSTRACT) {
      m.append(";\n");
    } else {
      m.append(" {\n").append(body()).append("  }\n");
    }
    return m.toString();
  }

  private String modifiers() {
    StringBuilder m = new StringBuilder();
    if (inInterface()) {
      if (visibility == Visibility.PRIVATE) {
        m.append("private ");
      } else if (visibility == Visibility.PUBLIC) {
        m.append("public ");
      }
      if (methodKind == MethodKind.STATIC) {
        m.append("static ");
      } else if (methodKind == MethodKind.INSTANCE && visibility != Visibility.PRIVATE) {
        m.append("default ");
      }
      return m.toString();
    }
    switch (visibility) {
      case PUBLIC:
        m.append("public ");
        break;
      case PROTECTED:
        m.append("protected ");
        break;
      case PRIVATE:
        m.append("private ");
        break;
      default:
        break;
    }
    if (methodKind == MethodKind.STATIC) {
      m.append("static ");
    } else if (methodKind == MethodKind.ABSTRACT) {
      m.append("abstract ");
    }
    if (finalMethod && methodKind != MethodKind.ABSTRACT && container != Container.TOP_ENUM) {
      m.append("final ");
    }
    if (synchronizedMethod && methodKind != MethodKind.ABSTRACT) {
      m.append("synchronized ");
    }
    return m.toString();
  }

  private String boundText() {
    switch (bound) {
      case COMPARABLE_SELF:
        return " extends java.lang.Comparable<" + typeVariable + ">";
      case INTERSECTION:
        return " extends java.lang.Number & java.lang.Comparable<" + typeVariable + ">";
      case SECOND_EXCEPTION_VARIABLE:
        return ", X extends java.lang.Exception";
      default:
        return "";
    }
  }

  private String yieldArgumentType() {
    if (missing == Missing.YIELD_ARGUMENT) {
      return "DoesNotExist";
    }
    switch (yieldArgument) {
      case TYPE_VARIABLE:
        return typeVariable;
      case STRING_ARRAY:
        return "java.lang.String[]";
      case INT_ARRAY:
        return "int[]";
      case LIST_OF_TYPE_VARIABLE:
        return "java.util.List<" + typeVariable + ">";
      case NESTED_GENERIC:
        return "java.util.Map<java.lang.String, java.util.List<java.lang.Integer>>";
      default:
        return "java.lang.String";
    }
  }

  private String yieldedValue() {
    switch (yieldArgument) {
      case STRING:
        return "\"yielded\"";
      case STRING_ARRAY:
        return "new java.lang.String[0]";
      case INT_ARRAY:
        return "new int[0]";
      case LIST_OF_TYPE_VARIABLE:
        return "java.util.List.of()";
      case NESTED_GENERIC:
        return "java.util.Map.of()";
      default:
        return "null";
    }
  }

  private String yieldType(Style which) {
    String raw = which == Style.NON_BLOCKING ? "dev.asyncwith.AsyncYield" : "dev.asyncwith.Yield";
    switch (yieldShape) {
      case RAW:
        return raw;
      case WILDCARD:
        return raw + "<? extends " + yieldArgumentType() + ">";
      default:
        return raw + "<" + yieldArgumentType() + ">";
    }
  }

  private List<String> parameterList() {
    List<String> others = new ArrayList<>();
    String varargs = null;
    for (Parameter p : parameters) {
      String declaration = parameterDeclaration(p);
      if (p.type() == ParameterType.VARARGS) {
        varargs = declaration; // only the first varargs, and always last
      } else {
        others.add(declaration);
      }
    }
    if (missing == Missing.PARAMETER) {
      others.add("DoesNotExist missing");
    }
    List<String> all = new ArrayList<>(others);
    List<String> yields = new ArrayList<>();
    switch (yieldShape) {
      case NONE:
        break;
      case TWO:
        yields.add(yieldType(style) + " yield");
        yields.add(yieldType(style) + " second");
        break;
      case BOTH_KINDS:
        yields.add(yieldType(style) + " yield");
        yields.add(
            yieldType(style == Style.BLOCKING ? Style.NON_BLOCKING : Style.BLOCKING) + " other");
        break;
      default:
        yields.add(yieldType(style) + " yield");
    }
    int at = Math.min(yieldPosition, all.size());
    all.addAll(at, yields);
    if (varargs != null) {
      all.add(varargs);
    }
    return all;
  }

  private String parameterDeclaration(Parameter p) {
    switch (p.type()) {
      case INT:
        return "int " + p.name();
      case LONG:
        return "long " + p.name();
      case LIST_OF_WILDCARD:
        return "java.util.List<? extends java.lang.Number> " + p.name();
      case STRING_ARRAY:
        return "java.lang.String[] " + p.name();
      case FINAL_STRING:
        return "final java.lang.String " + p.name();
      case TYPE_VARIABLE:
        return typeVariable + " " + p.name();
      case VARARGS:
        return "java.lang.String... " + p.name();
      default:
        return "java.lang.String " + p.name();
    }
  }

  private String returnType() {
    String missingArgument = missing == Missing.RETURN_ARGUMENT ? "DoesNotExist" : null;
    boolean nonBlocking = style == Style.NON_BLOCKING;
    switch (returnShape) {
      case INT:
        return "int";
      case WRONG_FOR_STYLE:
        return nonBlocking ? "void" : "java.util.concurrent.CompletionStage<java.lang.Void>";
      default:
        break;
    }
    if (!nonBlocking) {
      return "void";
    }
    if (missingArgument != null) {
      return "java.util.concurrent.CompletionStage<" + missingArgument + ">";
    }
    switch (returnShape) {
      case RIGHT_WILDCARD:
        return "java.util.concurrent.CompletionStage<?>";
      case RIGHT_SUBTYPE:
        return "java.util.concurrent.CompletableFuture<java.lang.Void>";
      case RIGHT_OTHER_VALUE:
        return "java.util.concurrent.CompletionStage<java.lang.String>";
      default:
        return "java.util.concurrent.CompletionStage<java.lang.Void>";
    }
  }

  /** A body that compiles for the declared shape, using the yield parameter or not. */
  private String body() {
    boolean hasYield = yieldShape != YieldShape.NONE;
    boolean useYield = yieldUsed && hasYield;
    String value = yieldShape == YieldShape.WILDCARD ? "null" : yieldedValue();
    String returned = returnType();
    StringBuilder b = new StringBuilder();
    boolean declaredNonBlockingYield = style == Style.NON_BLOCKING;
    if (returned.equals("void")) {
      if (useYield) {
        b.append("    yield.yield(").append(value).append(");\n");
      }
      return b.toString();
    }
    if (returned.equals("int")) {
      if (useYield) {
        b.append("    yield.yield(").append(value).append(");\n");
      }
      return b.append("    return 0;\n").toString();
    }
    // A CompletionStage or CompletableFuture return type.
    if (useYield && declaredNonBlockingYield) {
      String call = "yield.yield(" + value + ")";
      if (yieldShape == YieldShape.RAW) {
        call = "((java.util.concurrent.CompletionStage<?>) " + call + ")";
      }
      if (returned.contains("CompletableFuture")) {
        return b.append("    return ").append(call)
            .append(".thenApply(x -> (java.lang.Void) null).toCompletableFuture();\n").toString();
      }
      if (returned.contains("java.lang.String>")) {
        return b.append("    return ").append(call).append(".thenApply(x -> \"done\");\n")
            .toString();
      }
      if (returned.contains("<?>")) {
        return b.append("    return ").append(call).append(";\n").toString();
      }
      return b.append("    return ").append(call)
          .append(".thenApply(x -> (java.lang.Void) null);\n").toString();
    }
    if (useYield) {
      b.append("    yield.yield(").append(value).append(");\n");
    }
    if (returned.contains("CompletableFuture")) {
      return b.append("    return java.util.concurrent.CompletableFuture.completedFuture(null);\n")
          .toString();
    }
    return b.append("    return java.util.concurrent.CompletableFuture.completedFuture(null);\n")
        .toString();
  }
}
