import ArgumentParser
import Foundation
import Logging
import PortalCore
import PortalStore
import PortalWeb

/// `opendvc holidays`: the holiday table of the legal clock, as data.
struct HolidaysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "holidays",
        abstract: "Show or replace the holiday table the legal clock uses (CSV: date,kind,name_vi,name_en[,status]).",
        subcommands: [Export.self, Import.self])

    /// Prints the table in force as CSV.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the holiday table in force as CSV.")

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await withPortalDatabase(storage) { database in
                print(try await HolidayStore(database: database).table().csv, terminator: "")
            }
        }
    }

    /// Replaces the table with a CSV file, after checking all of it.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the holiday table with a CSV file (checked whole before anything is written).")

        @Argument(help: "A CSV file with the columns date,kind,name_vi,name_en and optionally status.")
        var csv: String

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let text = String(decoding: try readFile(csv), as: UTF8.self)
            let table: HolidayTable
            do {
                table = try HolidayTable(csv: text)
            } catch {
                printError("\(csv): \(error.messageEn)")
                throw ExitCode.failure
            }
            try await withPortalDatabase(storage) { database in
                try await HolidayStore(database: database).replace(with: table)
                print("holidays: \(table.count) days stored")
            }
        }
    }
}

/// Opens the portal database (migrated, without the demo) for a command, and closes it afterwards.
func withPortalDatabase(_ storage: StorageOptions, _ body: (Database) async throws -> Void) async throws {
    try await runReportingFailures {
        var config = try await AppConfig.load(flags: storage.flags)
        config.loadsDemoCatalogue = false
        let logger = bootstrapLogging(level: .warning)
        let portal = try await Portal.open(config: config, logger: logger)
        do {
            try await body(portal.database)
        } catch {
            await portal.database.shutdown()
            throw error
        }
        await portal.database.shutdown()
    }
}
