/**
 * Not API: the machinery behind {@code @RaceTrace} and {@code @RepeatedChaos} (starting the fork,
 * the fork's side, the result file, the analyzer summary). May change in any release.
 */
package dev.racetrace.junit.internal;
