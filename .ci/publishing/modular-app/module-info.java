/** A modular application, written as the README tells users to. */
module com.example.modular {
  requires dev.asyncwith;
  requires static dev.asyncwith.annotations;
}
