package dev.asyncwith.processor;

import com.palantir.javapoet.ClassName;

/**
 * A generated class, laid out and ready to be written.
 *
 * @param name the class's name, also the file's
 * @param text the whole source file
 */
record GeneratedSource(ClassName name, String text) {}
