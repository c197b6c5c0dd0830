import ArgumentParser

/// The portal's single binary.
@main
struct OpenDVC: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opendvc",
        abstract: "OpenDVC, the open-source public-service portal.",
        subcommands: [
            ServeCommand.self, WorkerCommand.self, MigrateCommand.self, CreateAdminCommand.self, JobsCommand.self,
            CreateOfficerCommand.self, CalendarCommand.self, ImportCommand.self, HolidaysCommand.self,
            AuditCommand.self, AttachmentsCommand.self, AgencyCommand.self, StatsCommand.self,
        ],
        defaultSubcommand: nil
    )
}
