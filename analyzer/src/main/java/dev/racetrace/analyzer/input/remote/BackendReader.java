package dev.racetrace.analyzer.input.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.racetrace.analyzer.input.InputException;
import dev.racetrace.analyzer.input.Interner;
import dev.racetrace.analyzer.input.SpanFileReader;
import dev.racetrace.analyzer.input.SpanStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Fetches the traces a {@link BackendQuery} names through the backend's query API and streams
 * each answer into a {@link SpanStore}, exactly as span files are read:
 *
 * <ul>
 *   <li>Zipkin: {@code /api/v2/traces?serviceName=&annotationQuery=race.key=K&endTs=&lookback=&limit=}
 *       (Zipkin v2 JSON; the node is the {@code service.instance.id} tag racetrace adds for Zipkin)
 *   <li>Jaeger: {@code /api/traces?service=&tags={"race.key":"K"}&start=&end=&limit=} (the UI's JSON)
 *   <li>Tempo: {@code /api/search?q={ span.race.key = "K" }&start=&end=&limit=}, then
 *       {@code /api/traces/<id>} for each trace found (OTLP JSON)
 * </ul>
 */
public final class BackendReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Duration timeout;

  /** A reader with its own HTTP client and a 60 s timeout per request. */
  public BackendReader() {
    this(newClient(), Duration.ofSeconds(60));
  }

  /**
   * HTTP/1.1: the JDK client's default, HTTP/2, first tries a cleartext upgrade (h2c) on http://
   * URLs, an exchange known to fail now and then against Armeria, the server of Zipkin and of many
   * gateways (line/armeria#5358). One request per answer gains nothing from HTTP/2.
   */
  static HttpClient newClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  BackendReader(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  /**
   * Fetches and reads the query's traces.
   *
   * @param keyFilter keep only this key's spans (and keyless ones), or null
   * @return the spans read; {@link SpanStore#note} says when the trace limit was reached
   * @throws InputException naming the URL when the backend cannot be reached, answers with an
   *     error, or answers with something that is not span data
   */
  public Result read(BackendQuery q, String keyFilter) throws InputException {
    SpanStore store = new SpanStore(keyFilter);
    SpanFileReader reader = new SpanFileReader(new Interner());
    String fallbackNode = q.service() != null ? q.service()
        : q.backend().name().toLowerCase(Locale.ROOT);
    long now = System.currentTimeMillis() * 1_000_000L;
    int traces;
    switch (q.backend()) {
      case ZIPKIN:
        traces = readAnswer(zipkinSearch(q, now), reader, fallbackNode, store);
        break;
      case JAEGER:
        if (q.service() == null) {
          throw new InputException(q.base().toString(),
              "Jaeger's query API needs a service: add --service <service.name>", null);
        }
        traces = readAnswer(jaegerSearch(q, now), reader, fallbackNode, store);
        break;
      case TEMPO: {
        List<String> ids = tempoTraceIds(q, now);
        for (String id : ids) {
          readAnswer(URI.create(q.base() + "/api/traces/" + enc(id)), reader, fallbackNode, store);
        }
        traces = ids.size();
        break;
      }
      default:
        throw new IllegalStateException(q.backend().name());
    }
    if (traces >= q.limit()) {
      store.note(q.backend().option() + ": fetched the limit of " + q.limit()
          + " traces; some may be missing: narrow with --key, --from and --to");
    }
    return new Result(store, traces);
  }

  /** GETs {@code uri} and reads the span data it answers into {@code store}; returns its traces. */
  private int readAnswer(URI uri, SpanFileReader reader, String fallbackNode, SpanStore store)
      throws InputException {
    try (InputStream in = get(uri)) {
      return reader.read(uri.toString(), in, fallbackNode, store);
    } catch (IOException e) {
      throw new InputException(uri.toString(), "cannot read the answer: " + e, e);
    }
  }

  /** What was read. */
  public static final class Result {
    public final SpanStore store;
    /** How many traces were fetched. */
    public final int traces;

    Result(SpanStore store, int traces) {
      this.store = store;
      this.traces = traces;
    }
  }

  static URI zipkinSearch(BackendQuery q, long nowNanos) {
    long endMs = q.end(nowNanos) / 1_000_000L;
    long lookbackMs = Math.max(1, endMs - q.start(nowNanos) / 1_000_000L);
    StringBuilder u = new StringBuilder(q.base() + "/api/v2/traces?");
    if (q.service() != null) {
      // Zipkin stores service names lowercased.
      u.append("serviceName=").append(enc(q.service().toLowerCase(Locale.ROOT))).append('&');
    }
    if (q.key() != null) {
      u.append("annotationQuery=").append(enc("race.key=" + q.key())).append('&');
    }
    u.append("endTs=").append(endMs).append("&lookback=").append(lookbackMs)
        .append("&limit=").append(q.limit());
    return URI.create(u.toString());
  }

  static URI jaegerSearch(BackendQuery q, long nowNanos) {
    StringBuilder u = new StringBuilder(q.base() + "/api/traces?service=" + enc(q.service()));
    if (q.key() != null) {
      u.append("&tags=").append(enc("{\"race.key\":" + jsonString(q.key()) + "}"));
    }
    u.append("&start=").append(q.start(nowNanos) / 1000L)
        .append("&end=").append(q.end(nowNanos) / 1000L)
        .append("&limit=").append(q.limit());
    return URI.create(u.toString());
  }

  static URI tempoSearch(BackendQuery q, long nowNanos) {
    List<String> conditions = new ArrayList<>();
    conditions.add(q.key() != null ? "span.race.key = " + jsonString(q.key()) : "span.race.seq >= 0");
    if (q.service() != null) {
      conditions.add("resource.service.name = " + jsonString(q.service()));
    }
    String traceQl = "{ " + String.join(" && ", conditions) + " }";
    return URI.create(q.base() + "/api/search?q=" + enc(traceQl)
        + "&start=" + q.start(nowNanos) / 1_000_000_000L
        + "&end=" + (q.end(nowNanos) + 999_999_999L) / 1_000_000_000L
        + "&limit=" + q.limit());
  }

  private List<String> tempoTraceIds(BackendQuery q, long now) throws InputException {
    URI uri = tempoSearch(q, now);
    JsonNode answer;
    try (InputStream in = get(uri)) {
      answer = JSON.readTree(in);
    } catch (IOException e) {
      throw new InputException(uri.toString(), "not a Tempo search answer: " + e.getMessage(), e);
    }
    if (answer == null || !answer.path("traces").isArray()) {
      throw new InputException(uri.toString(),
          "not a Tempo search answer: no \"traces\" array", null);
    }
    Set<String> ids = new LinkedHashSet<>();
    for (JsonNode t : answer.path("traces")) {
      String id = t.path("traceID").asText("");
      if (!id.isEmpty()) {
        ids.add(id);
      }
    }
    return new ArrayList<>(ids);
  }

  /** The body of a 200 answer, or an InputException naming the URL and what went wrong. */
  private InputStream get(URI uri) throws InputException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Accept", "application/json").GET().build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException e) {
      throw new InputException(uri.toString(), "cannot connect (is the backend running there?)", e);
    } catch (HttpTimeoutException e) {
      throw new InputException(uri.toString(), "no answer within " + timeout.toSeconds() + " s", e);
    } catch (IOException e) {
      throw new InputException(uri.toString(), "request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InputException(uri.toString(), "interrupted", e);
    }
    if (response.statusCode() != 200) {
      String body;
      try (InputStream in = response.body()) {
        body = new String(in.readNBytes(300), StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
      } catch (IOException e) {
        body = "";
      }
      throw new InputException(uri.toString(), "HTTP " + response.statusCode()
          + (body.isEmpty() ? "" : ": " + body), null);
    }
    return response.body();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String jsonString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
