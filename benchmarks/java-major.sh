# Sourced by run.sh and before-after.sh: java_major JAVA prints the feature release of that java
# (17, 25, ...), read from its own settings.
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
}
