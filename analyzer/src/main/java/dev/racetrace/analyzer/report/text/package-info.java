/** The text report (stdout) and the affected-keys CSV. */
package dev.racetrace.analyzer.report.text;
