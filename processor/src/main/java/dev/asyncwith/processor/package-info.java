/**
 * The asyncwith annotation processor. Only {@link
 * dev.asyncwith.processor.AsyncContextManagerProcessor} is public; everything else is
 * package-private.
 *
 * <p>One package, as AutoValue's processor is laid out, with each file named for the stage it
 * belongs to, rather than one subpackage per stage: the stages share a handful of small helpers
 * (the runtime's type names, how a method is named, annotation reading), and subpackages would
 * force those, and each stage's entry point, to be public only so that the next stage can reach
 * them, which would make them the processor jar's API in all but name. The stages, in the order a
 * round runs them:
 *
 * <ol>
 *   <li><b>Rounds</b>: {@code AsyncContextManagerProcessor} (collects the annotated methods,
 *       guards each one, writes the files) and {@code DeferredMethods} (methods waiting for a type
 *       another processor generates, found again by a stable key).
 *   <li><b>Validation</b>, which only checks and reports: {@code MethodValidator} (every rule,
 *       every problem), with {@code Accessibility}, {@code TypeUsage}, {@code YieldUsage}, {@code
 *       CompilerTrees} (javac's optional Tree API), {@code LocalClassScanner} (the one source of
 *       the local-class error) and {@code NameCollisions} (the one source of name-collision
 *       errors). Its outcome is a {@code Validation}.
 *   <li><b>Model</b>: {@code ManagerModel}, what validation decided about a valid method, built by
 *       name; {@code GeneratorStyle}, {@code MethodNames}, {@code PackageTypes}, {@code
 *       RuntimeTypes}, {@code Annotations}.
 *   <li><b>Generation</b>, which never reports: {@code ManagerGenerator} (the class),
 *       {@code GeneratedClassFacts} (what only the file needs: its annotations, suppressed
 *       warnings, javadoc), {@code DocComment}, {@code SourceLayout}, {@code GeneratedSource}.
 *   <li><b>Diagnostics</b>: {@code Message} (the catalogue, each entry with its indexed arguments)
 *       and {@code Reporter}, the one way anything is reported.
 * </ol>
 */
package dev.asyncwith.processor;
