package dev.racetrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/backends cannot run here (no Docker): its YAML is parsed and checked against what its
 * pages tell a user to type. Every port an agent setting or an {@code analyze} command names must
 * be published on 127.0.0.1 and reach the port the backend listens on inside its container.
 */
class BackendDocsTest {
  private static final Path DOCS = Paths.get(System.getProperty("racetrace.docs", "../docs"))
      .toAbsolutePath().normalize();
  private static final Path BACKENDS = DOCS.resolve("backends");
  private static final Set<String> BUNDLED_EXPORTERS = Set.of("otlp", "zipkin", "logging-otlp", "none");

  @Test
  void everyComposeFilePinsItsImagesAndPublishesOnLoopbackOnly() throws IOException {
    for (String name : List.of("jaeger", "tempo", "zipkin")) {
      Map<String, Object> services = map(yaml(name + "/docker-compose.yml").get("services"));
      assertThat(services).as(name).isNotEmpty();
      for (Map.Entry<String, Object> s : services.entrySet()) {
        Map<String, Object> service = map(s.getValue());
        assertThat((String) service.get("image")).as(name + "/" + s.getKey())
            .matches("[a-z0-9./-]+:[0-9][0-9A-Za-z.-]*");
        for (Object port : list(service.get("ports"))) {
          assertThat(port.toString()).as(name + "/" + s.getKey()).matches("127\\.0\\.0\\.1:\\d+:\\d+");
        }
      }
    }
  }

  @Test
  void jaegerAgentSettingsAndQueryUrlReachItsReceiversAndApi() throws IOException {
    Map<String, Object> compose = yaml("jaeger/docker-compose.yml");
    Map<String, Object> jaeger = map(map(compose.get("services")).get("jaeger"));
    assertThat(map(jaeger.get("environment"))).containsEntry("COLLECTOR_OTLP_ENABLED", "true");
    // Jaeger all-in-one's fixed ports: OTLP/HTTP 4318, OTLP/gRPC 4317, query API and UI 16686
    checkOtlpEndpoints(read("jaeger.md"), jaeger, 4318, 4317);
    for (int port : ports(allPages(), "--jaeger http://127\\.0\\.0\\.1:(\\d+)")) {
      assertThat(published(jaeger, port)).as("--jaeger port %d", port).isEqualTo(16686);
    }
  }

  @Test
  void tempoAgentSettingsQueryUrlAndGrafanaDataSourceAgreeWithTempoYaml() throws IOException {
    Map<String, Object> compose = yaml("tempo/docker-compose.yml");
    Map<String, Object> services = map(compose.get("services"));
    Map<String, Object> tempo = map(services.get("tempo"));
    Map<String, Object> tempoYaml = yaml("tempo/tempo.yaml");
    int httpListen = (Integer) map(tempoYaml.get("server")).get("http_listen_port");
    Map<String, Object> protocols = map(map(map(map(tempoYaml.get("distributor")).get("receivers"))
        .get("otlp")).get("protocols"));
    String otlpHttp = (String) map(protocols.get("http")).get("endpoint");
    String otlpGrpc = (String) map(protocols.get("grpc")).get("endpoint");
    // inside a container, a receiver on localhost cannot be reached through a published port
    assertThat(otlpHttp).startsWith("0.0.0.0:");
    assertThat(otlpGrpc).startsWith("0.0.0.0:");
    checkOtlpEndpoints(read("tempo.md"), tempo, portOf(otlpHttp), portOf(otlpGrpc));
    for (int port : ports(allPages(), "--tempo +http://127\\.0\\.0\\.1:(\\d+)")) {
      assertThat(published(tempo, port)).as("--tempo port %d", port).isEqualTo(httpListen);
    }

    // the configuration the pages describe is the one Tempo is started with
    assertThat(list(tempo.get("command"))).contains("-config.file=/etc/tempo.yaml");
    assertThat(list(tempo.get("volumes"))).contains("./tempo.yaml:/etc/tempo.yaml:ro");

    Map<String, Object> grafana = map(services.get("grafana"));
    for (int port : ports(read("tempo.md") + read("README.md"), "http://127\\.0\\.0\\.1:(3\\d\\d\\d)\\b")) {
      if (port != httpListen) {
        assertThat(published(grafana, port)).as("Grafana port %d", port).isEqualTo(3000);
      }
    }
    assertThat(list(grafana.get("volumes"))).contains(
        "./grafana-datasources.yaml:/etc/grafana/provisioning/datasources/datasources.yaml:ro");
    Map<String, Object> ds = map(list(yaml("tempo/grafana-datasources.yaml").get("datasources")).get(0));
    assertThat(ds).containsEntry("type", "tempo").containsEntry("isDefault", true)
        .containsEntry("url", "http://tempo:" + httpListen);
    assertThat(services).containsKey("tempo");
  }

  @Test
  void zipkinAgentSettingsAndQueryUrlReachItsOnePort() throws IOException {
    Map<String, Object> zipkin = map(map(yaml("zipkin/docker-compose.yml").get("services")).get("zipkin"));
    String pages = allPages();
    List<Integer> collector = ports(pages, "otel\\.exporter\\.zipkin\\.endpoint=http://127\\.0\\.0\\.1:(\\d+)/api/v2/spans");
    assertThat(collector).isNotEmpty();
    assertThat(pages).doesNotContainPattern("otel\\.exporter\\.zipkin\\.endpoint=http://[^ ]*:\\d+(?!/api/v2/spans)[ \\n`]");
    List<Integer> query = ports(pages, "--zipkin +http://127\\.0\\.0\\.1:(\\d+)");
    assertThat(query).isNotEmpty();
    for (int port : concat(collector, query)) {
      assertThat(published(zipkin, port)).as("Zipkin port %d", port).isEqualTo(9411);
    }
  }

  @Test
  void namedSettingsExistAndLinksResolve() throws IOException {
    String configuration = Files.readString(DOCS.resolve("configuration.md"));
    String pages = allPages();
    Matcher keys = Pattern.compile("(?<![\\w.])racetrace\\.[a-z]+(\\.[a-z]+)*").matcher(pages);
    Set<String> named = new TreeSet<>();
    while (keys.find()) {
      named.add(keys.group());
    }
    for (String key : named) {
      assertThat(configuration).as("%s named in docs/backends", key).contains("`" + key + "`");
    }
    Matcher exporters = Pattern.compile("otel\\.traces\\.exporter=([a-z-]+)").matcher(pages);
    while (exporters.find()) {
      assertThat(BUNDLED_EXPORTERS).contains(exporters.group(1));
    }
    try (Stream<Path> md = Files.list(BACKENDS)) {
      for (Path page : md.filter(p -> p.toString().endsWith(".md")).collect(Collectors.toList())) {
        Matcher link = Pattern.compile("\\]\\(([^)#:]+)(#[^)]*)?\\)").matcher(Files.readString(page));
        while (link.find()) {
          assertThat(page.getParent().resolve(link.group(1))).as("link in %s", page.getFileName()).exists();
        }
      }
    }
  }

  /** Each {@code otel.exporter.otlp.endpoint} on the page reaches the right receiver. */
  private static void checkOtlpEndpoints(String page, Map<String, Object> service, int httpPort,
      int grpcPort) {
    Matcher m = Pattern.compile("(otel\\.exporter\\.otlp\\.protocol=grpc\\s+-D)?"
        + "otel\\.exporter\\.otlp\\.endpoint=http://127\\.0\\.0\\.1:(\\d+)").matcher(page);
    int found = 0;
    while (m.find()) {
      found++;
      int port = Integer.parseInt(m.group(2));
      assertThat(published(service, port)).as("OTLP endpoint port %d", port)
          .isEqualTo(m.group(1) != null ? grpcPort : httpPort);
    }
    assertThat(found).as("OTLP endpoints on the page").isGreaterThanOrEqualTo(2);
  }

  /** The container port that host port {@code hostPort} is published to, or -1. */
  private static int published(Map<String, Object> service, int hostPort) {
    for (Object p : list(service.get("ports"))) {
      String[] parts = p.toString().split(":");
      if (Integer.parseInt(parts[1]) == hostPort) {
        return Integer.parseInt(parts[2]);
      }
    }
    return -1;
  }

  private static List<Integer> ports(String text, String regex) {
    List<Integer> ports = new ArrayList<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      ports.add(Integer.parseInt(m.group(1)));
    }
    return ports;
  }

  private static List<Integer> concat(List<Integer> a, List<Integer> b) {
    List<Integer> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static int portOf(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  private static String allPages() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String page : List.of("README.md", "jaeger.md", "tempo.md", "zipkin.md")) {
      sb.append(read(page)).append('\n');
    }
    return sb.toString();
  }

  private static String read(String page) throws IOException {
    return Files.readString(BACKENDS.resolve(page));
  }

  private static Map<String, Object> yaml(String file) throws IOException {
    try (var in = Files.newInputStream(BACKENDS.resolve(file))) {
      return map(new Yaml().load(in));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return new LinkedHashMap<>((Map<String, Object>) o);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return o == null ? List.of() : (List<Object>) o;
  }
}
