import ArgumentParser
import Foundation
import PortalStore
import PortalWeb

/// `opendvc jobs`: what the background queue holds, and retrying dead jobs.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "Inspect the background job queue.", subcommands: [List.self, Retry.self])

    /// Lists jobs, newest first.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs, newest first, with counts by state.")

        @Option(help: "Only jobs in this state: queued, running, succeeded or dead.")
        var state: String?

        @Option(help: "How many jobs to show (1–500).")
        var limit: Int = 50

        @OptionGroup var storage: StorageOptions

        func validate() throws {
            if let state, JobState(rawValue: state) == nil {
                throw ValidationError("--state must be one of queued, running, succeeded, dead")
            }
            guard (1...500).contains(limit) else { throw ValidationError("--limit must be between 1 and 500") }
        }

        func run() async throws {
            try await withPortalDatabase(storage) { database in
                let jobs = JobQueue(database: database)
                let counts = try await jobs.counts()
                print(JobState.allCases.map { "\($0.rawValue): \(counts[$0] ?? 0)" }.joined(separator: "  "))
                let formatter = ISO8601DateFormatter()
                for job in try await jobs.list(state: state.flatMap(JobState.init), limit: limit) {
                    let error = job.lastError.map { "  \($0.prefix(120))" } ?? ""
                    print(
                        "\(job.id)\t\(job.kind)\t\(job.state.rawValue)\tattempts \(job.attempts)/\(job.maxAttempts)"
                            + "\trun at \(formatter.string(from: job.runAt))\(error)")
                }
            }
        }
    }

    /// Requeues a dead job.
    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a dead job back in the queue.")

        @Argument(help: "The job id.")
        var id: Int64

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await withPortalDatabase(storage) { database in
                guard try await JobQueue(database: database).retry(id: id) else {
                    throw JobNotDead(id: id)
                }
                print("Job \(id) queued again.")
            }
        }
    }
}

/// `jobs retry` was given a job that is not dead.
struct JobNotDead: Error, CustomStringConvertible {
    let id: Int64
    var description: String { "job \(id) is not dead (or does not exist)" }
}
