package dev.racetrace.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.racetrace.agent.control.ControlArgs;
import dev.racetrace.agent.control.RacetraceControl;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code dump}, {@code detach}, {@code attach} and {@code list}: they reach a JVM through the JDK's
 * attach mechanism (a local socket only the same OS user, or root, may use) and load this jar there
 * with the command as agent arguments. No port is opened in the target, no management agent is
 * started. {@code dump} and {@code detach} look for racetrace's marker first and load nothing where
 * racetrace does not run; in the target, the token is checked before anything is done. The answer
 * comes back through a file in a fresh directory only this user can read.
 */
final class AgentCommand {
  private AgentCommand() {}

  /** dump | detach: {@code <pid> --token T}. */
  static int withToken(String command, String[] args, PrintStream out, PrintStream err) {
    String pid = null;
    String token = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--token") && i + 1 < args.length) {
        token = args[++i];
      } else if (pid == null) {
        pid = args[i];
      }
    }
    if (pid == null || token == null) {
      err.println("usage: java -jar racetrace-agent.jar " + command + " <pid> --token <token from the agent's start line>");
      return 1;
    }
    Map<String, String> request = new LinkedHashMap<>();
    request.put(ControlArgs.COMMAND, command);
    request.put("token", token);
    return send(pid, request, false, out, err);
  }

  /** attach: {@code <pid> key=value...} (racetrace.* keys, the prefix may be left out). */
  static int attach(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("usage: java -jar racetrace-agent.jar attach <pid> include=com.acme [key=value...]");
      return 1;
    }
    Map<String, String> request = new LinkedHashMap<>();
    request.put(ControlArgs.COMMAND, "attach");
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq <= 0) {
        err.println("racetrace: '" + args[i] + "' is not key=value");
        return 1;
      }
      request.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    return send(args[0], request, true, out, err);
  }

  /** list: the JVMs this user can attach to, their main class, and whether racetrace runs there. */
  static int list(PrintStream out, PrintStream err) {
    String self = Long.toString(ProcessHandle.current().pid());
    for (VirtualMachineDescriptor d : VirtualMachine.list()) {
      if (d.id().equals(self)) {
        continue;
      }
      String racetrace;
      try {
        VirtualMachine vm = VirtualMachine.attach(d);
        try {
          String marker = vm.getSystemProperties().getProperty(RacetraceControl.MARKER);
          racetrace = marker == null ? "-" : "racetrace " + marker;
        } finally {
          vm.detach();
        }
      } catch (IOException | com.sun.tools.attach.AttachNotSupportedException | RuntimeException e) {
        racetrace = "? (" + e.getClass().getSimpleName() + ")";
      }
      String main = d.displayName().isEmpty() ? "?" : d.displayName().split(" ")[0];
      out.printf("%-8s %-50s %s%n", d.id(), main, racetrace);
    }
    return 0;
  }

  private static int send(String pid, Map<String, String> request, boolean attach, PrintStream out, PrintStream err) {
    Path dir = null;
    try {
      VirtualMachine vm = VirtualMachine.attach(pid);
      try {
        boolean running = vm.getSystemProperties().getProperty(RacetraceControl.MARKER) != null;
        if (!attach && !running) {
          err.println("racetrace: racetrace is not running in process " + pid + "; nothing was loaded there");
          return 1;
        }
        if (attach && running) {
          err.println("racetrace: racetrace is already running in process " + pid);
          return 1;
        }
        dir = Files.createTempDirectory("racetrace-control"); // rwx------ on POSIX file systems
        giveToTarget(dir, pid);
        Path reply = dir.resolve("reply");
        request.put("reply", reply.toString());
        vm.loadAgent(ownJar().toString(), ControlArgs.encode(request));
        if (!Files.exists(reply)) {
          err.println("racetrace: process " + pid + " did not answer");
          return 1;
        }
        String answer = Files.readString(reply, StandardCharsets.UTF_8);
        boolean ok = !answer.startsWith("refused") && !answer.startsWith("failed");
        (ok ? out : err).println(answer.startsWith("racetrace") ? answer : "racetrace: " + answer);
        return ok ? 0 : 1;
      } finally {
        vm.detach();
      }
    } catch (Exception e) {
      err.println("racetrace: cannot reach process " + pid + " (" + e + ")");
      return 1;
    } finally {
      if (dir != null) {
        try {
          Files.deleteIfExists(dir.resolve("reply"));
          Files.deleteIfExists(dir);
        } catch (IOException e) {
          err.println("racetrace: could not remove " + dir + " (" + e + ")");
        }
      }
    }
  }

  /** Run as root against another user's JVM: the reply directory must be that user's to write. */
  private static void giveToTarget(Path dir, String pid) throws IOException {
    Path proc = Paths.get("/proc", pid);
    if (Files.isDirectory(proc) && dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      java.nio.file.attribute.UserPrincipal owner = Files.getOwner(proc);
      if (!owner.equals(Files.getOwner(dir))) {
        Files.setOwner(dir, owner);
      }
    }
  }

  private static Path ownJar() throws Exception {
    return Paths.get(AgentCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
