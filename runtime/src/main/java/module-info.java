/**
 * The asyncwith runtime: the {@code async with} statement ({@code AsyncResource.use},
 * {@code AsyncWith.with}), {@code AsyncExitStack}, the {@code contextlib} helpers, and the generator
 * engines that generated managers extend. It depends on {@code java.base} alone; virtual threads,
 * where the JDK has them, are found through reflection on {@code java.lang.Thread}, which
 * {@code java.base} exports.
 */
module dev.asyncwith {
  exports dev.asyncwith;
}
