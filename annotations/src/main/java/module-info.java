/**
 * The annotation that turns a generator-style method into an asynchronous context manager. It has
 * {@code CLASS} retention and is read only by the compiler, so a module using it writes
 * {@code requires static dev.asyncwith.annotations;}.
 */
module dev.asyncwith.annotations {
  exports dev.asyncwith.annotations;
}
