import ArgumentParser
import Foundation
import Logging
import PortalWeb

/// The options every command that opens the database accepts.
struct StorageOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (env OPENDVC_DATA_DIR; default ./data).")
    var dataDirectory: String?

    @Option(
        name: .customLong("db-url"),
        help: "sqlite:///path/file.sqlite or postgres://user:pass@host:port/db (env OPENDVC_DB_URL).")
    var databaseURL: String?

    /// The flags given, by configuration key.
    var flags: [AppConfig.Key: String] {
        var flags: [AppConfig.Key: String] = [:]
        flags[.dataDirectory] = dataDirectory
        flags[.databaseURL] = databaseURL
        return flags
    }
}

/// Runs a command body and turns expected failures into one clear line on standard error and a non-zero exit.
func runReportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ConfigError {
        printError(error.description)
        throw ExitCode(78)
    } catch let error as ExitCode {
        throw error
    } catch let error as any CustomStringConvertible & Error {
        printError(error.description)
        throw ExitCode.failure
    }
}

/// Writes `opendvc: error: …` to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("opendvc: error: \(message)\n".utf8))
}

/// Sets up logging once per process: to standard error, at the configured level.
func bootstrapLogging(level: Logger.Level) -> Logger {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
    return Logger(label: "opendvc")
}
