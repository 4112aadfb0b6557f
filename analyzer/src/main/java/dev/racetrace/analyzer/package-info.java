/**
 * The racetrace analyzer: automates the ordering-race investigation. {@link
 * dev.racetrace.analyzer.Analyzer} runs the five steps (divergence, narrowing, timelines, first
 * ordering break and its guard, containment) over span files and returns an {@link
 * dev.racetrace.analyzer.Analysis} that the reports render.
 */
package dev.racetrace.analyzer;
