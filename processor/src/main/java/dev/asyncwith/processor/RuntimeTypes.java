package dev.asyncwith.processor;

import com.palantir.javapoet.ClassName;

/**
 * Names of the types from the asyncwith runtime and annotations that generated code refers to. The
 * processor does not depend on the runtime: it only names its types.
 */
final class RuntimeTypes {
  /** The runtime's package. */
  static final String PACKAGE = "dev.asyncwith";

  /** The annotation that marks a generator method. */
  static final ClassName ASYNC_CONTEXT_MANAGER =
      ClassName.get("dev.asyncwith.annotations", "AsyncContextManager");

  /** Our class-retention marker on generated classes. */
  static final ClassName ASYNC_WITH_GENERATED = ClassName.get(PACKAGE, "AsyncWithGenerated");

  /** {@code java.util.concurrent.CompletionStage}. */
  static final ClassName COMPLETION_STAGE =
      ClassName.get("java.util.concurrent", "CompletionStage");

  /** {@code javax.annotation.processing.Generated}, present on release 9 and later. */
  static final ClassName GENERATED =
      ClassName.get("javax.annotation.processing", "Generated");

  private RuntimeTypes() {}
}
