/** The machine-readable result ({@code --json}). */
package dev.racetrace.analyzer.report.json;
