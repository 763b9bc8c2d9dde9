package com.example;

/** A connection, as the pool hands it out. */
public final class Connection {
  /** Creates a connection. */
  public Connection() {}
}
