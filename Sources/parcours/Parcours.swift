import ArgumentParser

/// The `parcours` command: the server and its administration tools.
@main
struct Parcours: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parcours",
        abstract: "Parcours: the PLIE's participant pathways, indicators and FSE exports, as an HTTP JSON API.",
        subcommands: [Serve.self, Migrate.self, TokenCommand.self, BackupCommand.self, ImportCommand.self, PurgeCommand.self, DemoCommand.self],
        defaultSubcommand: Serve.self
    )
}
