package dev.racetrace.agent.export.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.agent.config.AgentConfig;
import dev.racetrace.agent.config.ConfigLoader;
import dev.racetrace.agent.export.journal.JournalHeader;
import io.opentelemetry.sdk.resources.Resource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The resource's plain attributes (what the journal header carries from the start, without the
 * SDK) are the SDK resource's (what every span carries): a replay of the journal and a live export
 * name the node the same way.
 */
class NodeResourceTest {
  private static NodeResource resource(String... properties) throws Exception {
    Properties p = new Properties();
    for (int i = 0; i < properties.length; i += 2) {
      p.setProperty(properties[i], properties[i + 1]);
    }
    AgentConfig config = ConfigLoader.load(p, Map.of());
    NodeIdentity node = NodeIdentity.resolve(p, Map.of("OTEL_RESOURCE_ATTRIBUTES", "zone=b,team=x"), Map.of());
    return new NodeResource(node, config);
  }

  private static Map<String, Object> sdkAttributes(Resource r) {
    Map<String, Object> m = new HashMap<>();
    r.getAttributes().forEach((k, v) -> m.put(k.getKey(), v));
    return m;
  }

  @Test
  void thePlainAttributesAreTheSdkResources() throws Exception {
    NodeResource r = resource("racetrace.include", "com.acme.orders,com.acme.billing",
        "otel.service.name", "orders", "racetrace.rules", "load < derive per key");
    Map<String, Object> plain = r.attributes();
    assertThat(plain).isEqualTo(sdkAttributes(r.resource()));
    assertThat(plain).containsEntry("service.name", "orders").containsEntry("zone", "b")
        .containsEntry("racetrace.include", "com.acme.orders,com.acme.billing")
        .containsEntry("racetrace.rules", "load < derive per key")
        .containsKeys("telemetry.sdk.name", "telemetry.sdk.language", "process.pid");
    assertThat(plain.get("process.pid")).isInstanceOf(Long.class);
  }

  @Test
  void theSdkVersionIsTheOneTheSdkReports() {
    assertThat(NodeResource.sdkVersion()).isNotNull()
        .isEqualTo(Resource.getDefault().getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey(
            NodeResource.SDK_VERSION)));
  }

  @Test
  void theJournalHeaderReadsTheSameFromEitherForm() throws Exception {
    NodeResource r = resource("racetrace.include", "com.acme");
    Map<String, String> fromPlain = new LinkedHashMap<>();
    JournalHeader.putResource(fromPlain, r.attributes());
    Map<String, String> fromSdk = new LinkedHashMap<>();
    JournalHeader.putResource(fromSdk, r.resource());
    assertThat(fromPlain).isEqualTo(fromSdk).containsEntry("resource.process.pid",
        "l:" + r.attributes().get("process.pid"));
    assertThat(String.join(",", fromPlain.keySet())).as("the same order too")
        .isEqualTo(String.join(",", fromSdk.keySet()));
  }
}
