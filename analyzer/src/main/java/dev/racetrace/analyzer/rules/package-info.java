/**
 * Ordering rules ({@code a < b < c per key}), the checks that find the first ordering break on a
 * node (against a rule or the healthy node's order), the guard classification of the operation
 * that proceeded too early, and whether orders that held were enforced.
 */
package dev.racetrace.analyzer.rules;
