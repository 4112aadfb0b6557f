package dev.racetrace.agent.export.sink;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.io.OutputStream;

/** A span exporter's flush and shutdown of the stream it writes, as the SDK's result codes. */
final class Streams {
  private Streams() {}

  static CompletableResultCode flush(OutputStream out) {
    try {
      out.flush();
      return CompletableResultCode.ofSuccess();
    } catch (IOException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
  }

  static CompletableResultCode close(OutputStream out) {
    try {
      out.close();
      return CompletableResultCode.ofSuccess();
    } catch (IOException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
  }
}
