package dev.racetrace.sample.chaos;

import dev.racetrace.junit.InjectDelay;
import dev.racetrace.junit.RaceTrace;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The sample store under the agent, configured as the demo configures it, with jitter injected at
 * the exact point the analyzer names in the broken runs: a {@code load-metadata} that starts late
 * (0..8 ms on top of a compressed log where its {@code derive} arrives 6 ms after it). One
 * annotation for the fixed-mode test and the broken-mode scenario, so both run the same test.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@RaceTrace(include = "dev.racetrace.sample.node",
    keys = "dev.racetrace.sample.node.Operation#key",
    ops = {"dev.racetrace.sample.node.LoadMetadata=load-metadata", "dev.racetrace.sample.node.Derive=derive",
        "dev.racetrace.sample.node.Publish=publish", "dev.racetrace.sample.node.Compaction=compaction"},
    state = {"metadata.entities=dev.racetrace.sample.node.MetadataStore#entities",
        "metadata.updates=dev.racetrace.sample.node.MetadataStore#updates"},
    flags = "dev.racetrace.sample.node.Node#ready",
    rules = "load-metadata < derive < publish per key",
    properties = "otel.service.name=sample-store")
@InjectDelay("op:load-metadata=0ms~8ms")
@interface SampleStoreChaos {}
