package dev.racetrace.agent.export.assemble;

import dev.racetrace.agent.internal.BoundedMap;
import dev.racetrace.core.site.CallSite;
import java.util.HashMap;
import java.util.Map;

/**
 * Human names for what the events refer to: objects (after the field or local they were read
 * from), operations (configured names, else the element or task class's simple name) and keys.
 * Exporter thread only; all maps are bounded.
 */
public final class Naming {
  private static final int DEFAULT_MAX_OBJECTS = 50_000;
  private final int maxObjects;
  private static final int MAX_KEY_LENGTH = 256;

  private final Map<Integer, ObjectName> objectNames;
  private final Map<Class<?>, String> opByClass = new HashMap<>();
  private final OpNames configuredOps;
  private final Symbols symbols;

  public Naming(OpNames configuredOps) {
    this(configuredOps, DEFAULT_MAX_OBJECTS, Symbols.LIVE);
  }

  /** @param maxObjects object names kept (racetrace.memory.max); the least recently used go first */
  public Naming(OpNames configuredOps, int maxObjects) {
    this(configuredOps, maxObjects, Symbols.LIVE);
  }

  public Naming(OpNames configuredOps, Symbols symbols) {
    this(configuredOps, DEFAULT_MAX_OBJECTS, symbols);
  }

  Naming(OpNames configuredOps, int maxObjects, Symbols symbols) {
    this.maxObjects = maxObjects;
    this.objectNames = BoundedMap.lru(maxObjects);
    this.configuredOps = configuredOps;
    this.symbols = symbols;
  }

  /** Where call sites and probe names are looked up: this process's registries, or a journal's. */
  Symbols symbols() {
    return symbols;
  }

  /** A name learned for an object; one from its allocation is kept for the object's life. */
  private static final class ObjectName {
    final String text;
    final boolean allocated;

    ObjectName(String text, boolean allocated) {
      this.text = text;
      this.allocated = allocated;
    }
  }

  /**
   * Name of the object with this identity hash. The name its allocation gave it ({@link
   * #allocated}: the field it was stored to, else {@code Type@Owner.method:line}) is kept at every
   * site, so the same object has one name throughout a run. Otherwise it is learned from call
   * sites: a field name beats a local variable's, which beats the {@code Type@hash} fallback.
   */
  public String object(int objId, int site, String fallbackPrefix) {
    CallSite s = symbols.site(site);
    String fromSite = s.receiverName();
    if (objId == 0 && fromSite != null) {
      return fromSite; // no object (a field read, a guard method): the site names it
    }
    ObjectName known = objectNames.get(objId);
    if (known != null && known.allocated) {
      return known.text;
    }
    if (fromSite != null && (known == null || rank(fromSite) > rank(known.text))) {
      objectNames.put(objId, new ObjectName(fromSite, false));
      return fromSite;
    }
    if (known != null) {
      return known.text;
    }
    String family = s.target().isEmpty() ? fallbackPrefix : s.target().substring(0, s.target().indexOf('.'));
    String fallback = family + "@" + Integer.toHexString(objId);
    objectNames.put(objId, new ObjectName(fallback, false));
    return fallback;
  }

  /**
   * An object was made at this allocation site ({@code object.new}): from now on it is named as
   * the site says, at every call site, even one that reaches it through a parameter or another
   * method's result. Bounded like every object name (the least recently used go first); an
   * identity hash reused by a later allocation takes that allocation's name.
   */
  public void allocated(int objId, int site) {
    String name = symbols.site(site).receiverName();
    if (objId != 0 && name != null) {
      objectNames.put(objId, new ObjectName(name, true));
    }
  }

  /** A field (or collection field) 2; a local or an allocation site 1; an identity hash 0. */
  private static int rank(String name) {
    if (name.contains(":")) {
      return 1;
    }
    return name.contains("@") ? 0 : 2;
  }

  /**
   * The operation name for an element or task class: configured name, else the simple class name;
   * null for lambdas and anonymous classes, which inherit the op of the work that created them.
   */
  public String op(Object aux) {
    if (aux instanceof String) {
      return (String) aux;
    }
    if (!(aux instanceof Class)) {
      return null;
    }
    Class<?> c = (Class<?>) aux;
    String cached = opByClass.get(c);
    if (cached != null || opByClass.containsKey(c)) {
      return cached;
    }
    String op = configuredOps.nameOf(c);
    if (op == null && !isUnnamed(c)) {
      op = c.getSimpleName();
    }
    if (opByClass.size() < 10_000) {
      opByClass.put(c, op);
    }
    return op;
  }

  /** Whether instances of this class are lambdas, anonymous or hidden classes (no meaningful name). */
  static boolean isUnnamed(Class<?> c) {
    String n = c.getName();
    return c.isAnonymousClass() || c.isSynthetic() || n.contains("$$Lambda") || n.contains("/0x")
        || c.getSimpleName().isEmpty();
  }

  /** The key as exported: String.valueOf, bounded; never throws. */
  public static String key(Object key) {
    if (key == null) {
      return null;
    }
    String s;
    try {
      s = String.valueOf(key);
    } catch (RuntimeException | LinkageError e) {
      s = key.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(key));
    }
    return s.length() > MAX_KEY_LENGTH ? s.substring(0, MAX_KEY_LENGTH) : s;
  }
}
