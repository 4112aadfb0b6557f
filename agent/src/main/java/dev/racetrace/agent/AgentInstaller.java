package dev.racetrace.agent;

import dev.racetrace.agent.config.AgentConfig;
import dev.racetrace.agent.config.ClassChecker;
import dev.racetrace.agent.config.ConfigException;
import dev.racetrace.agent.config.ConfigKey;
import dev.racetrace.agent.config.GuardConfig;
import dev.racetrace.agent.config.IncludeAudit;
import dev.racetrace.agent.config.RecordFamily;
import dev.racetrace.agent.control.RacetraceControl;
import dev.racetrace.agent.export.ExportLoop;
import dev.racetrace.agent.export.ExportLoopBuilder;
import dev.racetrace.agent.export.ExporterFactory;
import dev.racetrace.agent.export.ShutdownReport;
import dev.racetrace.agent.export.assemble.OpNames;
import dev.racetrace.agent.export.journal.JournalExport;
import dev.racetrace.agent.export.journal.JournalHeader;
import dev.racetrace.agent.export.sink.NodeIdentity;
import dev.racetrace.agent.export.sink.NodeResource;
import dev.racetrace.agent.instrument.Instrumenter;
import dev.racetrace.agent.instrument.PackageFilter;
import dev.racetrace.agent.instrument.RunningFrames;
import dev.racetrace.agent.internal.Counters;
import dev.racetrace.agent.internal.Log;
import dev.racetrace.agent.internal.Redact;
import dev.racetrace.agent.internal.Version;
import dev.racetrace.agent.otel.AppOtelBridge;
import dev.racetrace.agent.resolve.DelayInstaller;
import dev.racetrace.agent.resolve.KeyResolver;
import dev.racetrace.agent.resolve.NamedTypes;
import dev.racetrace.agent.resolve.StaticProbe;
import dev.racetrace.core.Keys;
import dev.racetrace.core.Recorder;
import dev.racetrace.core.StateProbes;
import dev.racetrace.core.task.CapturedValue;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Wires the agent once agent-core is on the bootstrap class path: exporters first (so a bad OTel
 * setting disables the agent before anything is transformed), then the recorder, the exporter
 * thread, the shutdown flush, and finally the class transformation.
 */
final class AgentInstaller {
  private AgentInstaller() {}

  /**
   * @param attached started by {@code attach <pid>} in a running JVM (the start line then names
   *     the detach command)
   * @return the start line, or null when nothing started
   */
  static String install(AgentConfig config, Instrumentation inst, boolean attached) {
    if (attached && new PackageFilter(config.include(), config.exclude()).isEmpty()) {
      return "refused: racetrace.include is empty, nothing to instrument; nothing started";
    }
    NodeIdentity node = NodeIdentity.resolve(System.getProperties(), System.getenv(), config.otelFromFile());
    Counters counters = new Counters();
    ExporterFactory.Exporters exporters;
    try {
      exporters = ExporterFactory.create(config, node, System.getProperties(), System.getenv(), counters);
    } catch (ConfigException e) {
      Log.get().info("racetrace: " + e.getMessage() + "; agent disabled");
      return attached ? "refused: " + Log.oneLine(e.getMessage()) + "; nothing started" : null;
    }
    // the SDK's Resource (and the capture of its JUL logging) only when a span is first built
    NodeResource resource = new NodeResource(node, config);
    if (buildsSpansFromTheStart(exporters, config)) {
      resource.resource(); // here, not on the exporter thread's first pass, which then drains no ring
    }
    InstrumentationScopeInfo scope = InstrumentationScopeInfo.builder("dev.racetrace")
        .setVersion(Version.get()).build();

    GuardConfig guards = config.guards();
    if (!guards.keys.isEmpty()) {
      Keys.install(new KeyResolver(guards.keys));
    }
    Set<String> namedTypes = new HashSet<>(guards.ops.keySet());
    guards.keys.forEach(k -> namedTypes.add(k.className()));
    if (!namedTypes.isEmpty()) {
      CapturedValue.install(new NamedTypes(namedTypes)); // lambdas take the key and op of what they capture
    }
    for (GuardConfig.Probe p : guards.state) {
      StateProbes.register(p.name, new StaticProbe(p));
    }
    DelayInstaller delays = new DelayInstaller(guards.delays);
    long delaySeed = delays.any() ? config.delaySeed() : 0;
    if (delays.any()) {
      delays.install(delaySeed, new OpNames(guards.ops));
    }
    Recorder.start(new Recorder.Settings(config.bufferSize(), config.bufferThreads(), config.sharedRings()));
    ExportLoopBuilder loopBuilder = ExportLoop.builder().resource(resource::resource).scope(scope)
        .nodeId(node.instanceId()).traceWindowMillis(config.traceWindowMillis()).ops(new OpNames(guards.ops))
        .rules(guards.rules)
        .exporters(exporters.exporters).counters(counters).intervalMillis(config.exportIntervalMillis())
        .exportTimeoutMillis(Math.max(1000, config.shutdownTimeoutMillis()))
        .flight(config.flight() ? config.flightSize() : 0, new HashSet<>(config.flightTriggers()))
        .stateBytes(config.stateBytes()).timeoutDumpIntervalMillis(config.flightTimeoutIntervalMillis());
    if (exporters.live) {
      loopBuilder.liveCpu(config.exportCpuShare());
    }
    if (exporters.journal != null && config.flight()) {
      loopBuilder.flightJournalTo(exporters.journal, JournalHeader.create(node, resource.attributes(), config),
          config.flightMaxBytes(), config.flightMaxAgeMillis(), config.outMaxBytes(), config.get(ConfigKey.OUT_MAX));
      if (exporters.dumpsSentTo != null) {
        loopBuilder.flightDumpsSentTo(exporters.dumpsSentTo);
      }
    } else if (exporters.journal != null) {
      loopBuilder.journalTo(exporters.journal, JournalHeader.create(node, resource.attributes(), config),
          config.outMaxBytes(), config.get(ConfigKey.OUT_MAX));
    }
    ExportLoop loop = loopBuilder.build();
    if (config.otelLink()) {
      AppOtelBridge bridge = AppOtelBridge.install(inst);
      loop.linkAppSpans(bridge::resolveIfLoaded, bridge);
    }
    PackageFilter filter = new PackageFilter(config.include(), config.exclude());
    Instrumenter instrumenter = filter.isEmpty() ? null : new Instrumenter(filter, guards, delays, counters,
        config.record());
    // reached through the attach mechanism only (ControlRequests): no port, no MBean server
    RacetraceControl control = new RacetraceControl(loop, config.mode().id(), () -> {
      if (instrumenter != null) {
        instrumenter.uninstall(inst);
      }
      Recorder.stop();
      loop.shutdown(config.shutdownTimeoutMillis());
    });
    control.publish(Version.get());
    loop.start(null);
    loop.watchShutdownHooks(dev.racetrace.agent.internal.ShutdownHooks.of(inst));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        exitReport(config, inst, counters, loop);
      } catch (Throwable t) { // an Error here too must not change how the application exits
        Recorder.countInternalError();
      }
    }, "racetrace-shutdown"));

    if (instrumenter == null) {
      Log.get().info(Redact.line("racetrace " + Version.get() + ": racetrace.include is empty, nothing is "
          + "instrumented (set -Dracetrace.include=<your packages>); API events go to "
          + exporters.description));
      return null;
    }
    instrumenter.install(inst);
    ClassChecker kinds = new ClassChecker(ClassLoader.getSystemClassLoader());
    String line = "racetrace " + Version.get() + ": recording " + kinds.describe(config.include())
        + (config.exclude().isEmpty() ? "" : " excluding " + kinds.describe(config.exclude()))
        + " on node " + node.instanceId() + "; spans -> " + exporters.description
        + (config.flight() ? "; flight recorder keeps " + (exporters.journal != null
            ? "the journal of the last " + config.get(ConfigKey.FLIGHT_MAXAGE) + " within "
                + String.format(java.util.Locale.ROOT, "%.1f MiB", config.flightMaxBytes() / 1048576.0)
                + " in memory (racetrace.flight.maxage, maxsize), written on "
            : "the last " + config.flightSize() + " spans, exported on ")
            + String.join("/", config.flightTriggers()) + " or: java -jar racetrace-agent.jar dump "
            + node.pid() + " --token " + control.token() : "")
        + (attached ? "; stop with: java -jar racetrace-agent.jar detach " + node.pid() + " --token " + control.token()
            : config.flight() ? "" : "; control token " + control.token())
        + "; " + recordedFamilies(config)
        + (delays.any() ? "; DELAYS INJECTED: " + delays.describe(delaySeed) : "");
    Log.get().info(Redact.line(line));
    return Log.oneLine(line) + (attached ? RunningFrames.note(filter) : "");
  }

  /** What racetrace.record switched on, for the start line. */
  static String recordedFamilies(AgentConfig config) {
    java.util.Set<RecordFamily> on = config.record();
    if (on.size() == RecordFamily.values().length) {
      return "events: all families (racetrace.record=all)";
    }
    List<String> ids = new ArrayList<>();
    for (RecordFamily f : on) {
      ids.add(f.id());
    }
    return "events: only " + String.join(",", ids) + " (racetrace.record)";
  }

  /**
   * Whether this process builds spans from its first events (span exporters, live export, flight
   * mode checking racetrace.rules), rather than only from a journal afterwards or at a flight dump.
   */
  static boolean buildsSpansFromTheStart(ExporterFactory.Exporters exporters, AgentConfig config) {
    return exporters.journal == null || exporters.live || (config.flight() && !config.guards().rules.isEmpty());
  }

  /** The shutdown hook: flush within the timeout, then the exit summary. */
  private static void exitReport(AgentConfig config, Instrumentation inst, Counters counters, ExportLoop loop) {
    ShutdownReport done = loop.shutdown(config.shutdownTimeoutMillis());
    if (done.timedOut) {
      Log.get().info("racetrace: export did not finish within racetrace.shutdown.timeout="
          + config.get(ConfigKey.SHUTDOWN_TIMEOUT) + " (is the collector slow or down?); lost "
          + done.lostEvents + " events not yet exported and " + done.lostSpans + " spans not confirmed");
    }
    report(config, counters, loop);
    reportInclude(config, inst);
  }

  /** Include/exclude entries that matched nothing loaded, and a run that recorded nothing. */
  private static void reportInclude(AgentConfig config, Instrumentation inst) {
    try {
      List<String> names = new ArrayList<>();
      for (Class<?> c : inst.getAllLoadedClasses()) {
        names.add(c.getName());
      }
      for (String line : IncludeAudit.exitLines(config, names, Recorder.currentSeq() > 0)) {
        Log.get().info(line);
      }
    } catch (RuntimeException e) {
      Recorder.countInternalError(); // a report only: never fail the exit
    }
  }

  private static void report(AgentConfig config, Counters counters, ExportLoop loop) {
    long dropped = loop.dropped();
    long failures = counters.exportFailures().get();
    long errors = counters.transformErrors().get() + counters.exporterErrors().get()
        + Recorder.internalErrors();
    java.util.List<String> problems = Log.get().summary();
    long state = counters.droppedState().get();
    long outDropped = counters.outDroppedSpans().get();
    long rotated = counters.outRotatedSpans().get();
    long outDroppedEvents = counters.outDroppedEvents().get();
    long rotatedEvents = counters.outRotatedEvents().get();
    Error stoppedBy = loop.stoppedBy();
    long shed = loop.shedSpans();
    long notSent = loop.notSentSpans();
    long notAssembled = loop.notAssembledEvents();
    java.nio.file.Path journal = loop.journalFile();
    String inJournal = journal != null ? "; in the journal" : "";
    if (shed > 0 || notSent > 0 || notAssembled > 0 || dropped > 0 || failures > 0 || errors > 0 || state > 0 || outDropped > 0
        || rotated > 0 || outDroppedEvents > 0 || rotatedEvents > 0 || stoppedBy != null
        || !problems.isEmpty()) {
      // only what happened: a count of zero says nothing the user needs
      List<String> counts = new ArrayList<>();
      addIfAny(counts, dropped, "dropped ", " events (rings full)");
      addIfAny(counts, shed, "", " spans not exported live (over racetrace.export.cpu="
          + config.get(ConfigKey.EXPORT_CPU) + "; the live export used "
          + String.format(java.util.Locale.ROOT, "%.1f", 100 * loop.liveCpuShare())
          + "% of a core until exit; rule violations, expired timed waits, guard checks and their traces went first"
          + inJournal + ")");
      addIfAny(counts, notSent, "", " spans not sent live (the backend had not answered the batches in flight"
          + inJournal + ")");
      addIfAny(counts, notAssembled, "", " events only in the journal (not assembled live: racetrace.export.cpu, or the backend had not answered)");
      addIfAny(counts, state, "dropped ", " matching entries (racetrace.memory.max)");
      addIfAny(counts, outDropped, "", " spans unwritten (racetrace.out.max)");
      addIfAny(counts, rotated, "", " spans rotated out (racetrace.out.max)");
      addIfAny(counts, outDroppedEvents, "", " events unwritten (racetrace.out.max)");
      addIfAny(counts, rotatedEvents, "", " events rotated out (racetrace.out.max)");
      addIfAny(counts, failures, "", " failed export batches");
      addIfAny(counts, errors, "", " internal errors");
      String flightDumps = loop.flightJournalSummary();
      boolean live = loop.liveCpuShare() >= 0;
      String kept = flightDumps != null ? flightDumps
          : journal == null ? "exported " + counters.exportedSpans().get() + " spans"
          : (live ? "exported " + counters.exportedSpans().get() + " spans live, " : "")
          + "journaled " + loop.journaledRecords() + " records to " + journal + " ("
          + JournalExport.exportHint(journal.getParent()) + ")";
      Log.get().info("racetrace: " + kept
          + (counts.isEmpty() ? "" : "; " + String.join(", ", counts))
          + (stoppedBy != null ? "; stopped itself after " + Log.oneLine(String.valueOf(stoppedBy)) : "")
          + (problems.isEmpty() ? "" : "; problems: " + String.join(", ", problems)));
    }
  }

  private static void addIfAny(List<String> counts, long n, String before, String after) {
    if (n > 0) {
      counts.add(before + n + after);
    }
  }
}
