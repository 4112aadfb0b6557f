package dev.racetrace.sample.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MetadataStoreTest {
  @Test
  void registersOnlyNewerVersionsAndRejectsInvalidOnes() {
    MetadataStore s = new MetadataStore();
    assertThat(s.apply(new MetadataEntry("k", 1, 90))).isEqualTo(MetadataStore.Applied.REGISTERED);
    assertThat(s.apply(new MetadataEntry("k", 1, 95))).isEqualTo(MetadataStore.Applied.NOT_NEWER);
    assertThatThrownBy(() -> s.apply(new MetadataEntry("k", 2, 0)))
        .isInstanceOf(InvalidMetadataException.class)
        .hasMessage("metadata k v2: rate 0 is not positive");
    assertThat(s.get("k")).contains(new MetadataEntry("k", 1, 90));
  }

  @Test
  void timedWaitGoesOnWhenNoMetadataComes() throws InterruptedException {
    MetadataStore s = new MetadataStore();
    long t0 = System.nanoTime();
    assertThat(s.awaitEntry("missing", 30)).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(30));
  }

  @Test
  void timedWaitWakesOnRegistration() {
    MetadataStore s = new MetadataStore();
    CompletableFuture<Optional<MetadataEntry>> waiter = CompletableFuture.supplyAsync(() -> {
      try {
        return s.awaitEntry("k", 30_000);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    s.apply(new MetadataEntry("k", 1, 110));
    await().atMost(Duration.ofSeconds(5)).until(waiter::isDone);
    assertThat(waiter.join()).contains(new MetadataEntry("k", 1, 110));
  }

  @Test
  void timedWaitReturnsWhateverVersionIsThere() throws InterruptedException {
    MetadataStore s = new MetadataStore();
    s.loadSnapshot(List.of(new MetadataEntry("k", 1, 90)));
    // A version 2 may be on its way: the timed wait cannot know, and returns version 1 at once.
    assertThat(s.awaitEntry("k", 10_000)).contains(new MetadataEntry("k", 1, 90));
  }

  @Test
  void staticProbesReadTheLiveStore() {
    MetadataStore s = new MetadataStore();
    s.makeLive();
    try {
      s.loadSnapshot(List.of(new MetadataEntry("a", 1, 90), new MetadataEntry("b", 1, 90)));
      s.apply(new MetadataEntry("a", 2, 91));
      assertThat(MetadataStore.entities()).isEqualTo(2);
      assertThat(MetadataStore.updates()).isEqualTo(3);
    } finally {
      s.retire();
    }
    assertThat(MetadataStore.entities()).isZero();
  }
}
