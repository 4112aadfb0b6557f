package dev.racetrace.analyzer;

/**
 * A key whose value differs on a node while no ordering break on that node and key explains
 * it, with why the analyzer could not find one and what most likely fixes that.
 *
 * @param key the key
 * @param node the node whose value differs (the odd node, else the first that differs)
 * @param cause a stable id of why: {@code node-not-in-spans}, {@code ops-without-key},
 *     {@code no-operations}, {@code op-never-seen}, {@code op-without-key}, {@code late-op-missing},
 *     {@code no-rule}, {@code order-held}
 * @param reason one sentence naming what is missing or what held
 * @param fix the most likely fix, naming the configuration to change
 */
public record UnexplainedDivergence(String key, String node, String cause, String reason,
    String fix) {}
