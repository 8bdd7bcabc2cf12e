/** The command line: one picocli command class per subcommand, registered in {@link dev.srtune.cli.Main}. */
package dev.srtune.cli;
