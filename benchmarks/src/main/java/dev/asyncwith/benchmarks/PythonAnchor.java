package dev.asyncwith.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures {@code python/anchor.py} wrote, read back so the Java summary can set CPython's
 * cycle beside its own. The file is the anchor's own small JSON; a regular expression reads the
 * few numbers needed, so the module needs no JSON library.
 *
 * @param python the interpreter, such as {@code "CPython 3.11.7"}
 * @param asyncContextManagerNanos the minimum per-cycle time of {@code @asynccontextmanager}
 * @param classBasedNanos the minimum per-cycle time of the class-based manager
 * @param floorNanos the minimum per-cycle time of the try/finally floor
 * @param asyncContextManagerCpuNanos the minimum per-cycle CPU time of
 *     {@code @asynccontextmanager}, or NaN in a file from before the anchor measured CPU time
 * @param contextManagerNanos the minimum per-cycle time of the synchronous {@code
 *     @contextmanager}, or NaN in a file from before the anchor measured it
 * @param syncFloorNanos the minimum per-cycle time of the synchronous try/finally floor, or NaN
 * @param contextManagerCpuNanos the minimum per-cycle CPU time of {@code @contextmanager}, or NaN
 */
record PythonAnchor(
    String python,
    double asyncContextManagerNanos,
    double classBasedNanos,
    double floorNanos,
    double asyncContextManagerCpuNanos,
    double contextManagerNanos,
    double syncFloorNanos,
    double contextManagerCpuNanos) {

  /**
   * Reads the anchor's JSON.
   *
   * @param file the file {@code anchor.py --out} wrote
   * @return the figures, or empty when the file does not exist (no python3 on this machine)
   * @throws IOException if the file exists but cannot be read
   */
  static Optional<PythonAnchor> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String json = Files.readString(file);
    Matcher python = Pattern.compile("\"python\":\\s*\"([^\"]*)\"").matcher(json);
    return Optional.of(new PythonAnchor(
        python.find() ? python.group(1) : "python",
        minimum(json, "asynccontextmanager"),
        minimum(json, "class_based"),
        minimum(json, "floor"),
        minimumCpu(json, "asynccontextmanager"),
        minimumIfPresent(json, "contextmanager"),
        minimumIfPresent(json, "sync_floor"),
        minimumCpu(json, "contextmanager")));
  }

  private static double minimumIfPresent(String json, String variant) {
    Matcher matcher = Pattern.compile(
            "\"" + variant + "\":\\s*\\{\\s*\"min_ns\":\\s*([0-9.]+)")
        .matcher(json);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
  }

  private static double minimumCpu(String json, String variant) {
    Matcher matcher = Pattern.compile(
            "\"" + variant + "\":\\s*\\{[^}]*\"min_cpu_ns\":\\s*([0-9.]+)")
        .matcher(json);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
  }

  private static double minimum(String json, String variant) {
    Matcher matcher = Pattern.compile(
            "\"" + variant + "\":\\s*\\{\\s*\"min_ns\":\\s*([0-9.]+)")
        .matcher(json);
    if (!matcher.find()) {
      throw new IllegalArgumentException("no " + variant + " figure in the Python anchor's file");
    }
    return Double.parseDouble(matcher.group(1));
  }
}
