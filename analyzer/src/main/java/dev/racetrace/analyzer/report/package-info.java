/** Formatting and phase alignment shared by the text, JSON and HTML reports. */
package dev.racetrace.analyzer.report;
