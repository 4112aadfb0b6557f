package dev.racetrace.agent.export.sink;

import static dev.racetrace.agent.fixtures.TestProperties.props;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class NodeIdentityTest {
  @Test
  void defaultsAreTheMainClassAndHostPid() {
    NodeIdentity n = NodeIdentity.resolve(props("sun.java.command", "com.acme.orders.OrdersMain --port 8080"),
        Map.of("HOSTNAME", "box-7"), Map.of());
    assertThat(n.serviceName()).isEqualTo("OrdersMain");
    assertThat(n.instanceId()).isEqualTo("box-7:" + ProcessHandle.current().pid());
    assertThat(n.fileName()).isEqualTo("OrdersMain-box-7_" + ProcessHandle.current().pid() + "-"
        + ProcessHandle.current().pid() + ".jsonl");
  }

  @Test
  void aJarIsNamedAfterTheJar() {
    NodeIdentity n = NodeIdentity.resolve(props("sun.java.command", "/opt/app/orders-1.2.jar"), Map.of(), Map.of());
    assertThat(n.serviceName()).isEqualTo("orders-1.2");
  }

  @Test
  void openTelemetrySettingsWinSystemPropertiesFirst() {
    NodeIdentity n = NodeIdentity.resolve(
        props("otel.service.name", "from-sys", "otel.resource.attributes", "service.instance.id=node%2D2,zone=b"),
        Map.of("OTEL_SERVICE_NAME", "from-env", "OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=env-node,team=x"),
        Map.of("otel.service.name", "from-file"));
    assertThat(n.serviceName()).isEqualTo("from-sys");
    assertThat(n.instanceId()).isEqualTo("node-2");
    assertThat(n.resourceAttributes()).containsEntry("zone", "b").containsEntry("team", "x")
        .doesNotContainKeys("service.instance.id", "service.name");
  }

  @Test
  void environmentBeatsTheConfigFile() {
    NodeIdentity n = NodeIdentity.resolve(new Properties(), Map.of("OTEL_SERVICE_NAME", "from-env"),
        Map.of("otel.service.name", "from-file"));
    assertThat(n.serviceName()).isEqualTo("from-env");
  }
}
