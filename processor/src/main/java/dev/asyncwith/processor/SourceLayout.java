package dev.asyncwith.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finishes the layout of a file JavaPoet wrote, where JavaPoet offers no control, in the manner of
 * AutoValue's reformatting of its template output. JavaPoet wraps code at 100 columns only at the
 * places it marks as wrappable; this adds three fixed rules for the shapes a generated class has:
 *
 * <ul>
 *   <li>a class declaration longer than {@value #WIDTH} columns breaks before {@code implements},
 *       and also before {@code extends} if still too long, continuation lines indented 4 spaces;
 *   <li>a method header that JavaPoet broke right after {@code throws} breaks before it instead, so
 *       that {@code throws} stays with the exceptions it names;
 *   <li>a doc comment of one line becomes {@code /** text *}{@code /}, and an annotation with one
 *       named member {@code @A(name = value)}, when that fits.
 * </ul>
 *
 * <p>The rules only move line breaks between tokens, so the code means what it meant.
 */
final class SourceLayout {
  /** The column limit JavaPoet wraps at, kept for the lines it cannot wrap. */
  static final int WIDTH = 100;

  private static final Pattern CLASS_DECLARATION = Pattern.compile("(public )?final class .* \\{");

  private static final Pattern ANNOTATION_OPENING = Pattern.compile("@[\\w.$]+\\(");

  private SourceLayout() {}

  /**
   * Applies the rules to a whole source file.
   *
   * @param source JavaPoet's output, lines separated by {@code \n}
   * @return the same code, laid out
   */
  static String apply(String source) {
    String[] lines = source.split("\n", -1);
    List<String> out = new ArrayList<>(lines.length);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (i + 2 < lines.length && isOneLineDocComment(line, lines[i + 1], lines[i + 2])) {
        out.add(line + " " + lines[i + 1].strip().substring(2) + " */");
        i += 2;
      } else if (i + 2 < lines.length && isOneMemberAnnotation(line, lines[i + 1], lines[i + 2])) {
        out.add(line + lines[i + 1].strip() + ")");
        i += 2;
      } else if (line.length() > WIDTH && CLASS_DECLARATION.matcher(line).matches()) {
        out.addAll(breakClassDeclaration(line));
      } else if (line.endsWith(" throws") && isCode(line) && i + 1 < lines.length) {
        String next = lines[++i];
        String indent = next.substring(0, next.length() - next.stripLeading().length());
        out.add(line.substring(0, line.length() - " throws".length()));
        out.add(indent + "throws " + next.stripLeading());
      } else {
        out.add(line);
      }
    }
    return String.join("\n", out);
  }

  /** {@code /**}, one line of text, then the closing line, all fitting on one line together. */
  private static boolean isOneLineDocComment(String open, String text, String close) {
    if (!open.endsWith("/**")) {
      return false; // the common case, settled without copying the line
    }
    String indent = open.substring(0, open.length() - open.stripLeading().length());
    return open.equals(indent + "/**")
        && close.equals(indent + " */")
        && text.startsWith(indent + " * ")
        && !text.strip().equals("*")
        && open.length() + text.strip().length() + " */".length() <= WIDTH;
  }

  /**
   * {@code @A(}, one member on a line of its own (JavaPoet's layout for a member not named {@code
   * value}), then {@code )}, all fitting on one line together.
   */
  private static boolean isOneMemberAnnotation(String open, String member, String close) {
    if (!open.endsWith("(") || !close.endsWith(")")) {
      return false; // the common case, settled without copying the line or matching
    }
    String indent = open.substring(0, open.length() - open.stripLeading().length());
    return ANNOTATION_OPENING.matcher(open.stripLeading()).matches()
        && close.equals(indent + ")")
        && member.startsWith(indent + "    ")
        && !member.endsWith(",")
        && open.length() + member.strip().length() + 1 <= WIDTH;
  }

  /** Whether {@code line} is code rather than a comment (JavaPoet starts comment lines so). */
  private static boolean isCode(String line) {
    String stripped = line.stripLeading();
    return !stripped.startsWith("*") && !stripped.startsWith("/");
  }

  /**
   * Splits a class declaration before {@code implements}, and before {@code extends} if the first
   * part is still too long.
   */
  private static List<String> breakClassDeclaration(String line) {
    int implementsAt = topLevelIndexOf(line, " implements ");
    if (implementsAt < 0) {
      return breakBeforeExtends(line);
    }
    List<String> lines = new ArrayList<>(breakBeforeExtends(line.substring(0, implementsAt)));
    lines.add("    " + line.substring(implementsAt + 1));
    return lines;
  }

  private static List<String> breakBeforeExtends(String head) {
    int extendsAt = topLevelIndexOf(head, " extends ");
    if (head.length() <= WIDTH || extendsAt < 0) {
      return List.of(head);
    }
    return List.of(head.substring(0, extendsAt), "    " + head.substring(extendsAt + 1));
  }

  /**
   * The index of {@code word} in {@code line} outside type arguments and parameters (where {@code
   * extends} also stands, in bounds), or -1.
   */
  private static int topLevelIndexOf(String line, String word) {
    int depth = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '<' || c == '(') {
        depth++;
      } else if (c == '>' || c == ')') {
        depth--;
      } else if (c == '"') {
        // A string (in an annotation on a type argument): skip it, escapes included.
        for (i++; i < line.length() && line.charAt(i) != '"'; i++) {
          if (line.charAt(i) == '\\') {
            i++;
          }
        }
      } else if (depth == 0 && line.startsWith(word, i)) {
        return i;
      }
    }
    return -1;
  }
}
