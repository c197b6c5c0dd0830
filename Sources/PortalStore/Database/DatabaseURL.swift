import Foundation

/// Where the portal's data lives: an SQLite file (the embedded default) or a PostgreSQL server.
public enum DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// Parses `sqlite:///absolute/path.sqlite`, `sqlite://relative/path.sqlite` or `postgres://user:pass@host:port/db`.
    public init(parsing text: String) throws(DatabaseURLError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let range = trimmed.range(of: "sqlite://", options: [.anchored, .caseInsensitive]) {
            let path = String(trimmed[range.upperBound...])
            guard !path.isEmpty, !path.hasSuffix("/") else { throw .missingSQLitePath }
            self = .sqlite(path: path)
        } else if trimmed.range(of: "postgres://", options: [.anchored, .caseInsensitive]) != nil
            || trimmed.range(of: "postgresql://", options: [.anchored, .caseInsensitive]) != nil
        {
            guard let components = URLComponents(string: trimmed), let host = components.host, !host.isEmpty else {
                throw .malformedPostgresURL
            }
            self = .postgres(url: trimmed)
        } else {
            throw .unsupportedScheme
        }
    }

    /// The URL with any password replaced by `***`, safe for logs and error messages.
    public var description: String {
        switch self {
        case .sqlite(let path):
            return "sqlite://\(path)"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "postgres://***" }
            if components.password != nil { components.password = "***" }
            return components.string ?? "postgres://***"
        }
    }
}

/// Why a database URL was refused.
public enum DatabaseURLError: Error, Sendable, Equatable, CustomStringConvertible {
    case unsupportedScheme
    case missingSQLitePath
    case malformedPostgresURL

    public var description: String {
        switch self {
        case .unsupportedScheme:
            return "expected sqlite:///path/file.sqlite or postgres://user:pass@host:port/db"
        case .missingSQLitePath:
            return "the sqlite URL names no file (expected sqlite:///path/file.sqlite)"
        case .malformedPostgresURL:
            return "the postgres URL has no host (expected postgres://user:pass@host:port/db)"
        }
    }
}
