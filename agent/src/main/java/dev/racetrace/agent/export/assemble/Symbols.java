package dev.racetrace.agent.export.assemble;

import dev.racetrace.core.StateProbes;
import dev.racetrace.core.site.CallSite;
import dev.racetrace.core.site.CallSites;

/**
 * What an event's ints refer to: call sites and state probes. Live export reads this process's
 * registries; a journal replay reads the definitions the journal carries, so spans built from a
 * journal in another process name the same sites and probes.
 */
public interface Symbols {
  /** The registries of this process. */
  Symbols LIVE = new Symbols() {
    @Override
    public CallSite site(int id) {
      return CallSites.get(id);
    }

    @Override
    public String probeName(int index) {
      return StateProbes.nameOf(index);
    }
  };

  /** The call site with this id; the empty site (id 0) when unknown. */
  CallSite site(int id);

  /** The state probe's name, or null when unknown. */
  String probeName(int index);
}
