package dev.racetrace.it.thirdparty;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A Jetty 12 server and a client in one program: the client sends N requests over HTTP (the
 * JDK's client, not instrumented), Jetty's QueuedThreadPool hands each connection's work to its
 * workers through its BlockingArrayQueue. Prints the answers' sum, identical with or without the
 * agent.
 */
public final class JettyProgram {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    QueuedThreadPool threads = new QueuedThreadPool(8, 4);
    threads.setName("jetty-worker");
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setPort(0);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        String q = request.getHttpURI().getQuery();
        int x = Integer.parseInt(q.substring(q.indexOf('=') + 1));
        response.setStatus(200);
        Content.Sink.write(response, true, Integer.toString(x * 2), callback);
        return true;
      }
    });
    server.start();
    int port = connector.getLocalPort();
    long sum = 0;
    int ok = 0;
    for (int i = 0; i < n; i++) {
      HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/double?x=" + i)
          .openConnection();
      if (c.getResponseCode() == 200) {
        ok++;
      }
      try (InputStream in = c.getInputStream()) {
        sum += Long.parseLong(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
      }
    }
    server.stop();
    System.out.println("requests=" + n + " ok=" + ok + " sum=" + sum);
  }

  private JettyProgram() {}
}
