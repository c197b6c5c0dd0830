import ArgumentParser
import Foundation
import PortalStore

/// `opendvc stats refresh`: recomputes the statistics now instead of waiting for the periodic job.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Maintain the public statistics.", subcommands: [Refresh.self])

    struct Refresh: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the per-agency, per-procedure and per-day figures as of now.")

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await withPortalDatabase(storage) { database in
                let started = Date()
                try await StatisticsStore(database: database).refresh(now: started)
                let elapsed = Date().timeIntervalSince(started)
                print("Statistics refreshed in \(String(format: "%.2f", elapsed)) s.")
            }
        }
    }
}
