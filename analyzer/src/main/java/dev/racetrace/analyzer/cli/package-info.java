/** The {@code analyze} command line, called by the agent jar's CLI. */
package dev.racetrace.analyzer.cli;
