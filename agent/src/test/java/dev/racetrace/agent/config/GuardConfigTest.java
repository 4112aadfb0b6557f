package dev.racetrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racetrace.agent.fixtures.Fixtures;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GuardConfigTest {
  private static final String F = Fixtures.class.getName();

  private static AgentConfig load(String key, String value) throws ConfigException {
    Properties p = new Properties();
    p.setProperty(key, value);
    return ConfigLoader.load(p, Map.of());
  }

  private static void check(String key, String value) throws ConfigException {
    new ClassChecker(GuardConfigTest.class.getClassLoader()).check(load(key, value));
  }

  @Test
  void parsesEveryGuardSetting() throws Exception {
    Properties p = new Properties();
    p.setProperty("racetrace.keys", "com.acme.Op#key, com.acme.Task#entityId");
    p.setProperty("racetrace.ops", "com.acme.Load=load-metadata,com.acme.Derive=derive");
    p.setProperty("racetrace.state", "metadata.entities=com.acme.Store#size,snapshot.records=com.acme.Snap#count/50ms");
    p.setProperty("racetrace.guards.flags", "com.acme.Service#ready");
    p.setProperty("racetrace.guards.methods", "com.acme.Gate#canProcess");
    p.setProperty("racetrace.rules", "load-metadata < derive < publish per key; a < b per key");
    GuardConfig g = ConfigLoader.load(p, Map.of()).guards();
    assertThat(g.keys).extracting(MemberRef::toString).containsExactly("com.acme.Op#key", "com.acme.Task#entityId");
    assertThat(g.ops).containsEntry("com.acme.Load", "load-metadata").containsEntry("com.acme.Derive", "derive");
    assertThat(g.state).extracting(s -> s.name).containsExactly("metadata.entities", "snapshot.records");
    assertThat(g.state.get(1).sampleMillis).isEqualTo(50);
    assertThat(g.flags).extracting(MemberRef::toString).containsExactly("com.acme.Service#ready");
    assertThat(g.guardMethods).extracting(MemberRef::toString).containsExactly("com.acme.Gate#canProcess");
    assertThat(g.rules).extracting(Object::toString)
        .containsExactly("load-metadata < derive < publish per key", "a < b per key");
    assertThat(g.rules.get(0).predecessorOf("derive")).isEqualTo("load-metadata");
    assertThat(g.rules.get(0).predecessorOf("load-metadata")).isNull();
  }

  @Test
  void perKeyMayBeOmittedAsInTheAnalyzer() throws Exception {
    GuardConfig g = load("racetrace.rules", "load-metadata < derive").guards();
    assertThat(g.rules.get(0).toString()).isEqualTo("load-metadata < derive per key");
  }

  @Test
  void anOperationNameMayHoldWhatAMarkCanNameAsInTheAnalyzer() throws Exception {
    // one grammar for racetrace.rules and analyze --rule: RaceTrace.mark("load metadata", key)
    GuardConfig g = load("racetrace.rules", "load metadata < derive").guards();
    assertThat(g.rules.get(0).ops()).containsExactly("load metadata", "derive");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "racetrace.keys|com.acme.Op.key|racetrace.keys=com.acme.Op.key: 'com.acme.Op.key' is not Class#member",
      "racetrace.keys|com.acme.Op#key()|racetrace.keys=com.acme.Op#key(): 'com.acme.Op#key()' is not Class#member",
      "racetrace.ops|com.acme.Load|racetrace.ops=com.acme.Load: 'com.acme.Load' is not ClassName=op-name",
      "racetrace.ops|com.acme.Load=load metadata|racetrace.ops=com.acme.Load=load metadata: 'com.acme.Load=load metadata' is not ClassName=op-name",
      "racetrace.state|com.acme.Store#size|racetrace.state=com.acme.Store#size: 'com.acme.Store#size' is not name=Class#staticMember[/sample-interval]",
      "racetrace.state|n=com.acme.Store#size/often|racetrace.state=n=com.acme.Store#size/often: 'n=com.acme.Store#size/often' has a sample interval that is not a duration (e.g. 250ms, 5s, 2m)",
      "racetrace.guards.flags|ready|racetrace.guards.flags=ready: 'ready' is not Class#member",
      "racetrace.rules|a < b per node|racetrace.rules=a < b per node: rule \"a < b per node\": only \"per key\" is supported",
      "racetrace.rules|a per key|racetrace.rules=a per key: rule \"a per key\": needs at least two operations, e.g. \"load-metadata < derive per key\"",
      "racetrace.rules|a < < b per key|racetrace.rules=a < < b per key: rule \"a < < b per key\": expected operations separated by '<', e.g. \"load-metadata < derive per key\"",
      "racetrace.rules|a < b < a per key|racetrace.rules=a < b < a per key: rule \"a < b < a per key\": operation a appears twice",
      "racetrace.rules|derive before publish|racetrace.rules=derive before publish: rule \"derive before publish\": expected operations separated by '<', e.g. \"load-metadata < derive per key\"",
  })
  void malformedGuardSettingsAreRejected(String key, String value, String message) {
    assertThatThrownBy(() -> load(key, value)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  @Test
  void parsesDelayRules() throws Exception {
    GuardConfig g = load("racetrace.delay",
        "op:load-metadata=150ms~100ms; site:com.acme.Node#apply:57=20ms@0.5; op:derive/order-7=1s").guards();
    assertThat(g.delays).hasSize(3);
    DelayConfig.Rule op = g.delays.get(0);
    assertThat(op.isSite()).isFalse();
    assertThat(op.op).isEqualTo("load-metadata");
    assertThat(op.baseMillis).isEqualTo(150);
    assertThat(op.jitterMillis).isEqualTo(100);
    assertThat(op.probability).isEqualTo(1.0);
    DelayConfig.Rule site = g.delays.get(1);
    assertThat(site.matchesSite("com.acme.Node", "apply", 57)).isTrue();
    assertThat(site.matchesSite("com.acme.Node", "apply", 58)).isFalse();
    assertThat(site.probability).isEqualTo(0.5);
    assertThat(g.delays.get(2).key).isEqualTo("order-7");
    assertThat(g.delays.get(2).baseMillis).isEqualTo(1000);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "racetrace.delay|op:load-metadata|racetrace.delay=op:load-metadata: 'op:load-metadata' is not site:Class#method[:line]=duration[~jitter][@p] or op:name[/key]=duration[~jitter][@p]",
      "racetrace.delay|op:a=fast|racetrace.delay=op:a=fast: 'op:a=fast' is not site:Class#method[:line]=duration[~jitter][@p] or op:name[/key]=duration[~jitter][@p]",
      "racetrace.delay|site:Node=5ms|racetrace.delay=site:Node=5ms: 'site:Node=5ms': 'Node' is not Class#method[:line]",
      "racetrace.delay|op:a=5ms@1.5|racetrace.delay=op:a=5ms@1.5: 'op:a=5ms@1.5': probability must be in (0, 1]",
      "racetrace.delay.seed|x1|racetrace.delay.seed=x1: not an integer",
  })
  void malformedDelaysAreRejected(String key, String value, String message) {
    assertThatThrownBy(() -> load(key, value)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  @Test
  void aDelaySiteMustNameAnExistingMethod() {
    String v = "site:" + F + "$Gate#open2=5ms";
    assertThatThrownBy(() -> check("racetrace.delay", v))
        .hasMessage("racetrace.delay=" + v + ": " + F + "$Gate has no method 'open2'");
  }

  @Test
  void existingClassesAndMembersPassTheCheck() throws Exception {
    check("racetrace.keys", F + "$Operation#key," + F + "$Task#entityId");
    check("racetrace.ops", F + "$LoadMetadata=load-metadata");
    check("racetrace.state", "a=" + F + "$MetadataStore#size,b=" + F + "$MetadataStore#entities,c="
        + F + "$MetadataStore#loaded,d=" + F + "$MetadataStore#ready");
    check("racetrace.guards.flags", F + "$Gate#open");
    check("racetrace.guards.methods", F + "$Gate#canProcess");
  }

  @Test
  void unknownClassIsNamed() {
    assertThatThrownBy(() -> check("racetrace.keys", "com.acme.Missing#key"))
        .hasMessage("racetrace.keys=com.acme.Missing#key: class com.acme.Missing not found on the class path"
            + " (if it loads from another class loader, set racetrace.verify.classes=false)");
  }

  @Test
  void missingKeyMemberIsNamed() {
    String v = F + "$Operation#id";
    assertThatThrownBy(() -> check("racetrace.keys", v))
        .hasMessage("racetrace.keys=" + v + ": " + F + "$Operation has no instance field or no-argument method 'id'");
  }

  @Test
  void missingGuardMethodIsNamed() {
    String v = F + "$Gate#canRun";
    assertThatThrownBy(() -> check("racetrace.guards.methods", v))
        .hasMessage("racetrace.guards.methods=" + v + ": " + F + "$Gate has no method 'canRun' with a body");
  }

  @Test
  void probeOfTheWrongTypeIsNamed() {
    String v = "n=" + F + "$MetadataStore#name";
    assertThatThrownBy(() -> check("racetrace.state", v))
        .hasMessage("racetrace.state=" + v + ": " + F + "$MetadataStore#name has type java.lang.String, not a number or boolean");
  }

  @Test
  void nonStaticProbeIsNamed() {
    String v = "n=" + F + "$MetadataStore#notStatic";
    assertThatThrownBy(() -> check("racetrace.state", v))
        .hasMessage("racetrace.state=" + v + ": " + F + "$MetadataStore#notStatic is not static");
  }

  @Test
  void flagOfTheWrongTypeIsNamed() {
    String v = F + "$Gate#label";
    assertThatThrownBy(() -> check("racetrace.guards.flags", v))
        .hasMessage("racetrace.guards.flags=" + v + ": " + F + "$Gate#label has type java.lang.String, not boolean, int or long");
  }
}
