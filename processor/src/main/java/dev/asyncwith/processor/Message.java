package dev.asyncwith.processor;

import java.util.Locale;

/**
 * Every diagnostic the processor can report, in one place. Each message starts with a stable,
 * searchable tag such as {@code [AsyncWith/PrivateMethod]}, states the rule, names the method and
 * says how to fix it.
 *
 * <p>Templates are {@link String#format} patterns; their first argument is always the method,
 * written as {@code Enclosing.method}.
 */
enum Message {
  /** The annotated method is private. */
  PRIVATE_METHOD(
      "PrivateMethod",
      "@AsyncContextManager method %s must not be private: the generated class %s calls it from"
          + " outside its class. Fix: make the method package-private, protected or public."),

  /** A type enclosing the annotated method is private. */
  PRIVATE_ENCLOSING_TYPE(
      "PrivateEnclosingType",
      "@AsyncContextManager method %s is declared in the private type %s, which the generated"
          + " class %s cannot reach. Fix: make %s package-private or wider."),

  /** The annotated method belongs to a local or anonymous class. */
  LOCAL_CLASS(
      "LocalClass",
      "@AsyncContextManager method %s is declared in a local or anonymous class, which a"
          + " generated top-level class cannot reach. Fix: move the method to a top-level or"
          + " member class."),

  /** The annotated method has no yield parameter. */
  NO_YIELD_PARAMETER(
      "NoYieldParameter",
      "@AsyncContextManager method %s must have exactly one parameter of type AsyncYield<T>"
          + " (non-blocking style) or Yield<T> (blocking style), and it has none. Fix: add one,"
          + " for example AsyncYield<Connection> yield, and call yield.yield(value) once."),

  /** The annotated method has more than one yield parameter. */
  SEVERAL_YIELD_PARAMETERS(
      "SeveralYieldParameters",
      "@AsyncContextManager method %s must have exactly one AsyncYield<T> or Yield<T>"
          + " parameter, and it has %d (%s). Fix: keep exactly one."),

  /** The yield parameter's type is raw. */
  RAW_YIELD(
      "RawYield",
      "@AsyncContextManager method %s declares its yield parameter %s with the raw type %s; the"
          + " type argument is the type of the value the block receives. Fix: write %s<T>, for"
          + " example %s<Connection>."),

  /** The yield parameter's type argument is a wildcard. */
  WILDCARD_YIELD(
      "WildcardYield",
      "@AsyncContextManager method %s declares its yield parameter %s as %s; a wildcard cannot"
          + " be the type of the value the block receives. Fix: write %s<%s>."),

  /** A non-blocking method does not return a {@code CompletionStage}. */
  NON_BLOCKING_RETURN_TYPE(
      "ReturnType",
      "@AsyncContextManager method %s takes an AsyncYield, so it is non-blocking and must return"
          + " CompletionStage<?> or a subtype (the stage that completes after its teardown),"
          + " but it returns %s. Fix: return that stage, or take a Yield<T> and return void for"
          + " the blocking style."),

  /** A blocking method does not return {@code void}. */
  BLOCKING_RETURN_TYPE(
      "ReturnType",
      "@AsyncContextManager method %s takes a Yield, so it is blocking and must return void,"
          + " but it returns %s. Fix: return void, or take an AsyncYield<T> and return a"
          + " CompletionStage for the non-blocking style."),

  /** The generated name is not a valid Java identifier. */
  INVALID_NAME(
      "InvalidName",
      "@AsyncContextManager method %s would generate a class named \"%s\", which is not a valid"
          + " Java class name. Fix: set @AsyncContextManager(name = \"...\") to a valid simple"
          + " name, such as \"%s\"."),

  /** The generated name is already taken. */
  NAME_COLLISION(
      "NameCollision",
      "@AsyncContextManager method %s would generate the class %s, which collides with %s."
          + " Fix: choose another name with @AsyncContextManager(name = \"...\")."),

  /** The signature names a type that the generated class cannot access. */
  INACCESSIBLE_TYPE(
      "InaccessibleType",
      "@AsyncContextManager method %s uses the type %s, which is %s, so the generated class %s"
          + " in package %s cannot name it. Fix: make %s package-private or wider (public when"
          + " it lives in another package)."),

  /** Two type parameters the generated class must declare share a name. */
  SHADOWED_TYPE_PARAMETER(
      "ShadowedTypeParameter",
      "@AsyncContextManager method %s has two type parameters named %s in scope (one shadows"
          + " the other), and the generated class must declare both. Fix: rename one of them."),

  /** The yield parameter is never used. */
  UNUSED_YIELD(
      "UnusedYield",
      "@AsyncContextManager method %s never uses its yield parameter %s, so the block could"
          + " never run and every enter() would fail with \"did not yield\". Fix: call"
          + " %s.yield(value) exactly once, between setup and teardown."),

  /** A type in the signature never became available. */
  UNRESOLVED_TYPE(
      "UnresolvedType",
      "@AsyncContextManager method %s could not be processed: its signature uses %s, which"
          + " neither exists nor was generated by another annotation processor in this"
          + " compilation. Fix: correct the type's name or add the dependency that declares it."),

  /** The processor itself failed: a bug in asyncwith. */
  PROCESSOR_ERROR(
      "ProcessorError",
      "The asyncwith annotation processor (%2$s) failed unexpectedly on @AsyncContextManager"
          + " method %1$s and generated nothing for it: %3$s. This is a bug in asyncwith;"
          + " please report it with this message.%n%4$s");

  private static final String PREFIX = "[AsyncWith/";

  private final String tag;
  private final String template;

  Message(String tag, String template) {
    this.tag = tag;
    this.template = template;
  }

  /**
   * The stable tag, such as {@code [AsyncWith/PrivateMethod]}, that starts the message.
   *
   * @return the tag, brackets included
   */
  public String tag() {
    return PREFIX + tag + "]";
  }

  /**
   * The full message text: the tag, the rule, the method and the fix.
   *
   * @param arguments the template's arguments; the first is the method as {@code Enclosing.method}
   * @return the text to report
   */
  public String format(Object... arguments) {
    return tag() + " " + String.format(Locale.ROOT, template, arguments);
  }
}
