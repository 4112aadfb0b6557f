package dev.racetrace.agent.control;

import dev.racetrace.agent.internal.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.function.Function;

/**
 * Answers a command that arrived as agent arguments ({@code VirtualMachine.loadAgent(jar, args)}
 * from the CLI): {@code dump}, {@code detach}, {@code attach}. Nothing listens on a port; the
 * attach mechanism only lets the same OS user (or root) in, and dump and detach also need the
 * token, checked before anything else is done. A command never starts recording, except
 * {@code attach}. The answer goes to the reply file the CLI named, in a directory only it can
 * read; the file is created exclusively and never through a link.
 */
public final class ControlRequests {
  private ControlRequests() {}

  /**
   * @param attach starts racetrace with these {@code racetrace.*} overrides and returns the answer
   */
  public static void handle(String agentArgs, Function<Map<String, String>, String> attach) {
    Map<String, String> args = ControlArgs.decode(agentArgs);
    String reply = args.remove("reply");
    String answer;
    try {
      answer = answer(args, attach);
    } catch (RuntimeException | LinkageError e) {
      answer = "failed: " + e;
      Log.get().warn("control", "a control command failed", e);
    }
    if (reply != null) {
      write(Paths.get(reply), answer);
    }
  }

  static String answer(Map<String, String> args, Function<Map<String, String>, String> attach) {
    String command = args.remove(ControlArgs.COMMAND);
    String token = args.remove("token");
    RacetraceControl control = RacetraceControl.current();
    switch (String.valueOf(command)) {
      case "attach":
        if (control != null) {
          return "refused: racetrace is already running in this JVM";
        }
        return attach.apply(args);
      case "dump":
      case "detach":
        if (control == null) {
          return "refused: racetrace is not running in this JVM";
        }
        if (!control.tokenMatches(token)) { // first: nothing is done for a wrong token
          return "refused: wrong token";
        }
        return command.equals("dump") ? control.dump() : control.detach();
      default:
        return "refused: unknown command '" + command + "'";
    }
  }

  private static void write(Path reply, String answer) {
    try {
      Files.write(reply, answer.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | RuntimeException e) {
      Log.get().warn("control:reply", "could not answer a control command", e);
    }
  }
}
