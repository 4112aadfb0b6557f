package dev.racetrace.agent.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code com.acme.Op#key}: a class and one of its members (field or no-argument method). */
public final class MemberRef {
  private static final Pattern SYNTAX = Pattern.compile(
      "([A-Za-z_$][A-Za-z0-9_$]*(?:\\.[A-Za-z_$][A-Za-z0-9_$]*)*)#([A-Za-z_$][A-Za-z0-9_$]*)");

  private final String className;
  private final String member;

  public MemberRef(String className, String member) {
    this.className = className;
    this.member = member;
  }

  /** Parses {@code Class#member}; the key and whole value are named in the error. */
  public static MemberRef parse(String key, String wholeValue, String entry) throws ConfigException {
    Matcher m = SYNTAX.matcher(entry.trim());
    if (!m.matches()) {
      throw new ConfigException(key, wholeValue, "'" + entry + "' is not Class#member");
    }
    return new MemberRef(m.group(1), m.group(2));
  }

  /** Binary class name, e.g. {@code com.acme.Op} (nested: {@code com.acme.Outer$Inner}). */
  public String className() {
    return className;
  }

  public String member() {
    return member;
  }

  public String internalClassName() {
    return className.replace('.', '/');
  }

  @Override
  public String toString() {
    return className + "#" + member;
  }
}
