package dev.racetrace.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports for the ITs. */
final class Ports {
  private Ports() {}

  /**
   * A loopback port that was free a moment ago: nothing listens on it, so a connection to it is
   * refused (a collector that is down), or a server started next can take it.
   */
  static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
