package dev.asyncwith.processor;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Every diagnostic the processor can report, in one place. Each message starts with a stable,
 * searchable tag such as {@code [AsyncWith/PrivateMethod]}, states the rule, names the method and
 * says how to fix it.
 *
 * <p>Templates are {@link String#format} patterns whose arguments are all indexed ({@code %1$s}),
 * so that one argument can appear twice without being passed twice; each entry's documentation
 * lists its arguments, the first always the method, written as {@code Enclosing.method}. An entry
 * formatted with more or fewer arguments than its template uses is a bug, caught at once.
 */
enum Message {
  /** The annotated method is private: the method, the generated class's simple name. */
  PRIVATE_METHOD(
      "PrivateMethod",
      "@AsyncContextManager method %1$s must not be private: the generated class %2$s calls it"
          + " from outside its class. Fix: make the method package-private, protected or public."),

  /**
   * A type enclosing the annotated method is private: the method, the type's qualified name, the
   * generated class's simple name, the type's simple name.
   */
  PRIVATE_ENCLOSING_TYPE(
      "PrivateEnclosingType",
      "@AsyncContextManager method %1$s is declared in the private type %2$s, which the generated"
          + " class %3$s cannot reach. Fix: make %4$s package-private or wider."),

  /** The annotated method belongs to a local or anonymous class: the method. */
  LOCAL_CLASS(
      "LocalClass",
      "@AsyncContextManager method %1$s is declared in a local or anonymous class, which a"
          + " generated top-level class cannot reach. Fix: move the method to a top-level or"
          + " member class."),

  /** The annotated method has no yield parameter: the method. */
  NO_YIELD_PARAMETER(
      "NoYieldParameter",
      "@AsyncContextManager method %1$s must have exactly one parameter of type AsyncYield<T>"
          + " (non-blocking style) or Yield<T> (blocking style), and it has none. Fix: add one,"
          + " for example AsyncYield<Connection> yield, and call yield.yield(value) once."),

  /**
   * The annotated method has more than one yield parameter: the method, how many, their names.
   */
  SEVERAL_YIELD_PARAMETERS(
      "SeveralYieldParameters",
      "@AsyncContextManager method %1$s must have exactly one AsyncYield<T> or Yield<T>"
          + " parameter, and it has %2$s (%3$s). Fix: keep exactly one."),

  /**
   * The yield parameter's type is raw: the method, the parameter's name, the yield type's simple
   * name.
   */
  RAW_YIELD(
      "RawYield",
      "@AsyncContextManager method %1$s declares its yield parameter %2$s with the raw type %3$s;"
          + " the type argument is the type of the value the block receives. Fix: write %3$s<T>,"
          + " for example %3$s<Connection>."),

  /**
   * The yield parameter's type argument is a wildcard: the method, the parameter's name, its type,
   * the yield type's simple name, the wildcard's bound.
   */
  WILDCARD_YIELD(
      "WildcardYield",
      "@AsyncContextManager method %1$s declares its yield parameter %2$s as %3$s; a wildcard"
          + " cannot be the type of the value the block receives. Fix: write %4$s<%5$s>."),

  /** A non-blocking method does not return a {@code CompletionStage}: the method, its type. */
  NON_BLOCKING_RETURN_TYPE(
      "ReturnType",
      "@AsyncContextManager method %1$s takes an AsyncYield, so it is non-blocking and must"
          + " return CompletionStage<?> or a subtype (the stage that completes after its"
          + " teardown), but it returns %2$s. Fix: return that stage, or take a Yield<T> and"
          + " return void for the blocking style."),

  /** A blocking method does not return {@code void}: the method, its return type. */
  BLOCKING_RETURN_TYPE(
      "ReturnType",
      "@AsyncContextManager method %1$s takes a Yield, so it is blocking and must return void,"
          + " but it returns %2$s. Fix: return void, or take an AsyncYield<T> and return a"
          + " CompletionStage for the non-blocking style."),

  /**
   * The generated name is not a valid Java identifier: the method, the name, the default name.
   */
  INVALID_NAME(
      "InvalidName",
      "@AsyncContextManager method %1$s would generate a class named \"%2$s\", which is not a"
          + " valid Java class name. Fix: set @AsyncContextManager(name = \"...\") to a valid"
          + " simple name, such as \"%3$s\"."),

  /**
   * The generated name is already taken: the method, the generated class's qualified name, what
   * it collides with.
   */
  NAME_COLLISION(
      "NameCollision",
      "@AsyncContextManager method %1$s would generate the class %2$s, which collides with %3$s."
          + " Fix: choose another name with @AsyncContextManager(name = \"...\")."),

  /**
   * The signature names a type that the generated class cannot access: the method, the type's
   * qualified name, why it is inaccessible, the generated class's simple name, its package, the
   * type's simple name.
   */
  INACCESSIBLE_TYPE(
      "InaccessibleType",
      "@AsyncContextManager method %1$s uses the type %2$s, which is %3$s, so the generated class"
          + " %4$s in package %5$s cannot name it. Fix: make %6$s package-private or wider"
          + " (public when it lives in another package)."),

  /**
   * Two type parameters the generated class must declare share a name: the method, the name.
   */
  SHADOWED_TYPE_PARAMETER(
      "ShadowedTypeParameter",
      "@AsyncContextManager method %1$s has two type parameters named %2$s in scope (one shadows"
          + " the other), and the generated class must declare both. Fix: rename one of them."),

  /** The yield parameter is never used: the method, the parameter's name. */
  UNUSED_YIELD(
      "UnusedYield",
      "@AsyncContextManager method %1$s never uses its yield parameter %2$s, so the block could"
          + " never run and every enter() would fail with \"did not yield\". Fix: call"
          + " %2$s.yield(value) exactly once, between setup and teardown."),

  /** A type in the signature never became available: the method, the missing types. */
  UNRESOLVED_TYPE(
      "UnresolvedType",
      "@AsyncContextManager method %1$s could not be processed: its signature uses %2$s, which"
          + " neither exists nor was generated by another annotation processor in this"
          + " compilation. Fix: correct the type's name or add the dependency that declares it."),

  /**
   * The processor itself failed, a bug in asyncwith: the element, the processor's class, the
   * failure, its stack trace.
   */
  PROCESSOR_ERROR(
      "ProcessorError",
      "The asyncwith annotation processor (%2$s) failed unexpectedly on @AsyncContextManager"
          + " method %1$s and generated nothing for it: %3$s. This is a bug in asyncwith;"
          + " please report it with this message.%n%4$s");

  private static final String PREFIX = "[AsyncWith/";

  private final String tag;
  private final String template;
  private final int arity;

  Message(String tag, String template) {
    this.tag = tag;
    this.template = template;
    this.arity = arityOf(template);
  }

  /** The highest argument index in {@code template}, which must use every index up to it. */
  private static int arityOf(String template) {
    Set<Integer> used = new TreeSet<>();
    Matcher argument = Arguments.INDEXED.matcher(template);
    while (argument.find()) {
      used.add(Integer.parseInt(argument.group(1)));
    }
    int arity = used.size();
    if (!used.equals(IntStream.rangeClosed(1, arity).boxed().collect(Collectors.toSet()))) {
      throw new IllegalStateException("arguments of a message skip an index: " + template);
    }
    return arity;
  }

  /** Holds the pattern, which an enum's constructors cannot read from the enum's own statics. */
  private static final class Arguments {
    static final Pattern INDEXED = Pattern.compile("%(\\d+)\\$s");
  }

  /**
   * How many arguments the message takes, each referred to by its index in the template.
   *
   * @return the number of arguments
   */
  int arity() {
    return arity;
  }

  /**
   * The stable tag, such as {@code [AsyncWith/PrivateMethod]}, that starts the message.
   *
   * @return the tag, brackets included
   */
  String tag() {
    return PREFIX + tag + "]";
  }

  /**
   * The full message text: the tag, the rule, the method and the fix.
   *
   * @param arguments exactly the entry's arguments, in the order its documentation lists them;
   *     the first is the method as {@code Enclosing.method}
   * @return the text to report
   * @throws IllegalArgumentException when the number of arguments is not the entry's
   */
  String format(Object... arguments) {
    if (arguments.length != arity) {
      throw new IllegalArgumentException(
          name() + " takes " + arity + " arguments, not " + arguments.length);
    }
    return tag() + " " + String.format(Locale.ROOT, template, arguments);
  }
}
