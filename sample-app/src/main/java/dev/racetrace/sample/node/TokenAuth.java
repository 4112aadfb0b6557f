package dev.racetrace.sample.node;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Access control of the node's debug endpoint: one random bearer token per node process, printed
 * once at start. Requests must send {@code Authorization: Bearer <token>}; comparison is
 * constant-time.
 */
final class TokenAuth {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] expected;

  TokenAuth(String token) {
    this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  /** A fresh 128-bit token, hex-encoded. */
  static String newToken() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Whether the {@code Authorization} header value carries the token. */
  boolean accepts(String authorization) {
    if (authorization == null) {
      return false;
    }
    return MessageDigest.isEqual(expected, authorization.trim().getBytes(StandardCharsets.UTF_8));
  }
}
