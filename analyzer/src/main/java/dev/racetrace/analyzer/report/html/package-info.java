/** The self-contained HTML report with per-node, per-thread swimlanes. */
package dev.racetrace.analyzer.report.html;
