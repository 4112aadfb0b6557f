package dev.racetrace.agent.cli;

import dev.racetrace.agent.control.RacetraceControl;
import com.sun.tools.attach.VirtualMachine;
import java.io.PrintStream;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code dump <pid> --token T}: asks a running agent in flight-recorder mode to export the spans
 * it retained. Uses the JDK's local attach mechanism (same OS user only) and the local JMX agent.
 */
final class Dump {
  private Dump() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
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
      err.println("usage: java -jar racetrace-agent.jar dump <pid> --token <token from the agent's start line>");
      return 1;
    }
    try {
      VirtualMachine vm = VirtualMachine.attach(pid);
      String address;
      try {
        address = vm.startLocalManagementAgent();
      } finally {
        vm.detach();
      }
      try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
        MBeanServerConnection mbeans = c.getMBeanServerConnection();
        Object result = mbeans.invoke(new ObjectName(RacetraceControl.OBJECT_NAME), "dump",
            new Object[] {token}, new String[] {String.class.getName()});
        out.println("racetrace: " + result);
        return String.valueOf(result).startsWith("refused") ? 1 : 0;
      }
    } catch (Exception e) {
      err.println("racetrace: cannot reach the agent in process " + pid + " (" + e + ")");
      return 1;
    }
  }
}
