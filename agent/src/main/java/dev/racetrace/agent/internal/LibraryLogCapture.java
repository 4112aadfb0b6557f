package dev.racetrace.agent.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes the java.util.logging output of the libraries inside racetrace (the relocated
 * OpenTelemetry SDK and OkHttp) into {@link Log}: one line per distinct problem per minute, no
 * stack traces unless {@code racetrace.debug=true}. Only racetrace's own relocated logger names
 * get a handler, with {@code useParentHandlers=false}; the application's root logger, its handlers
 * and its configuration are never touched.
 */
public final class LibraryLogCapture {
  /** JUL keeps loggers weakly: these references keep the handlers in place. */
  private static final List<Logger> CAPTURED = new ArrayList<>();
  private static Log installedFor;

  private LibraryLogCapture() {}

  /** The relocated package prefix of the bundled OpenTelemetry classes ("io.opentelemetry" unshaded). */
  static String otelRoot() {
    String name = io.opentelemetry.sdk.common.CompletableResultCode.class.getName();
    return name.substring(0, name.indexOf(".sdk."));
  }

  /** The logger names whose records are captured. */
  public static List<String> loggerNames() {
    // the shade plugin relocates the "okhttp3" literal with the package (as it does OkHttp's own
    // logger names), so both names are racetrace's relocated ones in the agent jar
    return List.of(otelRoot(), "okhttp3");
  }

  /**
   * Installs the capture into {@code log}; idempotent for the same log, and another log (a test's)
   * takes the place of the one before.
   */
  public static synchronized void install(Log log) {
    if (installedFor == log) {
      return;
    }
    for (Logger logger : CAPTURED) {
      for (Handler h : logger.getHandlers()) {
        if (h instanceof ToLog) {
          logger.removeHandler(h);
        }
      }
    }
    CAPTURED.clear();
    installedFor = log;
    for (String name : loggerNames()) {
      Logger logger = Logger.getLogger(name);
      logger.setUseParentHandlers(false);
      logger.setLevel(log.debug() ? Level.FINE : Level.WARNING);
      logger.addHandler(new ToLog(log));
      CAPTURED.add(logger);
    }
  }

  /** One JUL record becomes one {@link Log} warning, keyed by logger and message. */
  static final class ToLog extends Handler {
    private final Log log;
    private final Formatter formatter = new Formatter() {
      @Override
      public String format(LogRecord record) {
        return formatMessage(record);
      }
    };

    /** What the OTel SDK's ThrottlingLogger says when it starts throttling a logger. */
    static final String SDK_THROTTLE_NOTICE = "Too many log messages detected";

    ToLog(Log log) {
      this.log = log;
    }

    @Override
    public void publish(LogRecord record) {
      try {
        String source = record.getLoggerName() == null ? "library" : simpleName(record.getLoggerName());
        String message = formatter.format(record);
        if (message.startsWith(SDK_THROTTLE_NOTICE)) {
          return; // the SDK's own rate-limit notice: racetrace already limits and counts each problem
        }
        String problem = "library:" + source + ":" + (message.length() > 48 ? message.substring(0, 48) : message);
        log.warn(problem, "inside " + source + ": " + message, record.getThrown());
      } catch (RuntimeException e) {
        // a record that cannot be formatted is dropped, counted under its own problem
        log.warn("library:unformattable", "a library log record could not be formatted");
      }
    }

    private static String simpleName(String loggerName) {
      return loggerName.substring(loggerName.lastIndexOf('.') + 1);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
