package dev.racetrace.sample.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WorkloadTest {
  @Test
  void sameSeedSameLog() {
    assertThat(describe(Workload.generate(7, 20).schedule(false)))
        .isEqualTo(describe(Workload.generate(7, 20).schedule(false)));
    assertThat(describe(Workload.generate(7, 20).schedule(false)))
        .isNotEqualTo(describe(Workload.generate(8, 20).schedule(false)));
  }

  @Test
  void congestionOnlyAddsCompactionJobs() {
    Workload w = Workload.generate(3, 12);
    List<Scheduled> calm = w.schedule(false);
    List<Scheduled> busy = w.schedule(true);
    assertThat(busy).hasSize(calm.size() + Workload.BURST_JOBS);
    assertThat(busy.stream().filter(s -> s.op() instanceof Compaction))
        .hasSize(Workload.BURST_JOBS)
        .allSatisfy(s -> assertThat(s.atMillis()).isEqualTo(w.burstAtMillis()));
    List<String> keyed = busy.stream().filter(s -> s.op().key() != null)
        .map(s -> s.op().getClass().getSimpleName() + "@" + s.atMillis() + ":" + s.op().key())
        .collect(Collectors.toList());
    assertThat(keyed).isEqualTo(calm.stream()
        .map(s -> s.op().getClass().getSimpleName() + "@" + s.atMillis() + ":" + s.op().key())
        .collect(Collectors.toList()));
  }

  @Test
  void offsetsFollowArrivalOrder() {
    List<Scheduled> s = Workload.generate(11, 20).schedule(true);
    for (int i = 0; i < s.size(); i++) {
      assertThat(s.get(i).op().offset()).isEqualTo(i);
      if (i > 0) {
        assertThat(s.get(i).atMillis()).isGreaterThanOrEqualTo(s.get(i - 1).atMillis());
      }
    }
  }

  @Test
  void everyKeyLoadsThenDerivesThenPublishesWithTheDocumentedGaps() {
    Workload w = Workload.generate(5, 20);
    Map<String, Long> firstLoad = new HashMap<>();
    Map<String, Long> derive = new HashMap<>();
    Map<String, Long> publish = new HashMap<>();
    for (Scheduled s : w.schedule(false)) {
      if (s.op() instanceof LoadMetadata) {
        firstLoad.putIfAbsent(s.op().key(), s.atMillis());
      } else if (s.op() instanceof Derive) {
        derive.put(s.op().key(), s.atMillis());
      } else if (s.op() instanceof Publish) {
        publish.put(s.op().key(), s.atMillis());
      }
    }
    assertThat(firstLoad.keySet()).containsExactlyInAnyOrderElementsOf(w.keys());
    for (String k : w.keys()) {
      assertThat(derive.get(k) - firstLoad.get(k)).as(k).isEqualTo(Workload.DERIVE_AFTER_LOAD_MILLIS);
      assertThat(publish.get(k) - derive.get(k)).as(k).isEqualTo(Workload.PUBLISH_AFTER_DERIVE_MILLIS);
    }
  }

  @Test
  void exercisesTheNoOpAndFailurePaths() {
    List<Scheduled> s = Workload.generate(42, 20).schedule(false);
    Map<String, Long> loads = s.stream().filter(x -> x.op() instanceof LoadMetadata)
        .collect(Collectors.groupingBy(x -> x.op().key(), Collectors.counting()));
    assertThat(loads.values()).contains(2L);
    assertThat(s.stream().map(Scheduled::op).filter(o -> o instanceof LoadMetadata)
        .map(o -> ((LoadMetadata) o).entry().rate())).contains(0);
  }

  @Test
  void expectedValuesApplyTheLatestValidMetadata() {
    Workload w = Workload.generate(9, 8);
    Map<String, MetadataEntry> latest = new HashMap<>();
    Map<String, Long> payload = new HashMap<>();
    for (Scheduled s : w.schedule(false)) {
      if (s.op() instanceof LoadMetadata l && l.entry().rate() > 0) {
        latest.merge(l.key(), l.entry(), (a, b) -> b.version() > a.version() ? b : a);
      } else if (s.op() instanceof Derive d) {
        payload.put(d.key(), d.payload());
      }
    }
    for (String k : w.keys()) {
      assertThat(w.expectedValues().get(k))
          .isEqualTo(Long.toString(payload.get(k) * latest.get(k).rate() / 100));
    }
  }

  @Test
  void valuesDerivedWithoutOrWithOlderMetadataDiffer() {
    Workload w = Workload.generate(13, 20);
    Map<String, Integer> snapshotRate = w.snapshot().stream()
        .collect(Collectors.toMap(MetadataEntry::key, MetadataEntry::rate));
    for (Scheduled s : w.schedule(false)) {
      if (s.op() instanceof LoadMetadata l && l.entry().rate() > 0) {
        assertThat(l.entry().rate()).isNotEqualTo(Derive.NO_METADATA_RATE)
            .isNotEqualTo(snapshotRate.getOrDefault(l.key(), -1));
      }
    }
  }

  @Test
  void theSeedPicksEveryNodeSometimes() {
    Set<String> picked = new HashSet<>();
    for (long seed = 1; seed <= 30; seed++) {
      picked.add(Workload.congestedNode(seed, 3));
      assertThat(Workload.congestedNode(seed, 3)).isEqualTo(Workload.congestedNode(seed, 3));
    }
    assertThat(picked).containsExactlyInAnyOrder("node-1", "node-2", "node-3");
  }

  private static List<String> describe(List<Scheduled> s) {
    return s.stream().map(x -> x.atMillis() + " " + x.op()).collect(Collectors.toList());
  }
}
