import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PortalStore
import PortalWeb

/// Runs the production application, built by `buildApplication`, against a fresh test database.
public enum TestPortal {
    /// The configuration of a test portal on `url`, with its data under `dataDirectory`.
    public static func config(url: DatabaseURL, dataDirectory: String) -> AppConfig {
        AppConfig(
            host: "127.0.0.1", port: 0, dataDirectory: dataDirectory, databaseURL: url, runsWorker: false,
            loadsDemoCatalogue: true, bcryptCost: 4)
    }

    /// Builds the application on a fresh database of `engine` and hands `body` a client for it.
    public static func withClient<Result: Sendable>(
        _ engine: TestEngine, logger: Logger = TestDatabases.quietLogger,
        configure: @Sendable (inout AppConfig) -> Void = { _ in },
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Result
    ) async throws -> Result {
        try await TestDatabases.withDatabaseURL(engine) { url, directory in
            var config = config(url: url, dataDirectory: directory)
            configure(&config)
            let app = try await buildApplication(config: config, logger: logger)
            return try await app.test(.router) { client in try await body(client) }
        }
    }
}

extension TestPortal {
    /// Like `withClient`, and also hands `body` the database URL and data directory, so that a test can prepare
    /// what the pages cannot (officer accounts) and inspect what they stored.
    public static func withClientAndStorage<Result: Sendable>(
        _ engine: TestEngine, logger: Logger = TestDatabases.quietLogger,
        _ body: @escaping @Sendable (any TestClientProtocol, DatabaseURL, String) async throws -> Result
    ) async throws -> Result {
        try await TestDatabases.withDatabaseURL(engine) { url, directory in
            let app = try await buildApplication(config: config(url: url, dataDirectory: directory), logger: logger)
            return try await app.test(.router) { client in try await body(client, url, directory) }
        }
    }
}

extension TestResponse {
    /// The body as UTF-8 text.
    public var text: String { String(buffer: body) }

    /// The cookies this response sets, by name (value only; an empty value means deleted).
    public var cookies: [String: String] {
        var cookies: [String: String] = [:]
        for header in headers[values: .setCookie] {
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 { cookies[String(parts[0])] = String(parts[1]) }
        }
        return cookies
    }

    /// The `csrf_token` hidden input of the page.
    public var csrfToken: String? {
        guard let range = text.range(of: "name=\"csrf_token\" value=\"") else { return nil }
        return String(text[range.upperBound...].prefix { $0 != "\"" })
    }
}
