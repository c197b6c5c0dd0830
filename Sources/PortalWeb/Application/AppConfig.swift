import Configuration
import Foundation
import Logging
import PortalStore
import SystemPackage

/// Everything the portal reads from its environment, validated once at start-up.
///
/// Each setting has a dotted key under `opendvc.`; the environment variable is the key in upper case with dots as
/// underscores (`opendvc.data.dir` → `OPENDVC_DATA_DIR`). Precedence: command-line flags, then the environment, then
/// a `.env` file in the working directory, then the defaults here.
public struct AppConfig: Sendable {
    public var host: String
    public var port: Int
    /// Holds the SQLite file (by default), attachments and the development outbox.
    public var dataDirectory: String
    public var databaseURL: DatabaseURL
    public var sqlite: SQLiteOptions
    /// Whether `serve` also runs a job worker in its own process.
    public var runsWorker: Bool
    /// Whether a fresh database is given the shipped demo catalogue.
    public var loadsDemoCatalogue: Bool
    public var logLevel: Logger.Level
    /// The support number shown on every page.
    public var hotline: String
    /// bcrypt cost for new passwords: 12 or more in production (tests lower it to stay fast).
    public var bcryptCost: Int
    /// Whether cookies carry `Secure` (set when the portal is served over TLS, directly or behind a proxy).
    public var secureCookies: Bool
    /// The largest attachment accepted, in bytes (10 MB by default).
    public var maximumFileBytes: Int = 10 * 1024 * 1024
    /// The most all files of one dossier may add up to, in bytes (50 MB by default).
    public var maximumDossierBytes: Int = 50 * 1024 * 1024
    /// Public dossier lookups allowed per client address per minute.
    public var lookupsPerMinute: Int = 60
    /// The address people reach the portal at, for links in e-mails (no trailing slash); by default the listening
    /// address.
    public var publicURL: String = ""
    /// How often the background worker recomputes the statistics, in seconds (5 minutes by default).
    public var statisticsRefreshSeconds: Int = 300
    /// Benchmark mode: adds `GET /bench/hello`, a bare answer that measures the framework's ceiling.
    public var benchmarkMode: Bool = false
    /// The built-in sandbox payment gateway at `/sandbox-gateway` (on in the demo; off in production).
    public var paymentSandbox: Bool = true
    /// The merchant's secret shared with the payment gateway (HMAC-SHA512); a fixed one for the sandbox.
    public var paymentSecret: String = "opendvc-sandbox-secret"
    /// The merchant code the gateway knows the portal by.
    public var paymentMerchant: String = "OPENDVC"
    /// Where payers are sent to pay: the sandbox's page unless a real gateway is configured.
    public var paymentGatewayURL: String = "/sandbox-gateway/pay"

    /// The public address, or the listening one when none is configured.
    public var publicBaseURL: String { publicURL.isEmpty ? "http://\(host):\(port)" : publicURL }

    /// A configuration with explicit values (tests use this directly).
    public init(
        host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = "./data",
        databaseURL: DatabaseURL? = nil, sqlite: SQLiteOptions = .init(), runsWorker: Bool = true,
        loadsDemoCatalogue: Bool = true, logLevel: Logger.Level = .info, hotline: String = "1800 1096",
        bcryptCost: Int = 12, secureCookies: Bool = false
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.databaseURL = databaseURL ?? .sqlite(path: Self.defaultSQLitePath(dataDirectory: dataDirectory))
        self.sqlite = sqlite
        self.runsWorker = runsWorker
        self.loadsDemoCatalogue = loadsDemoCatalogue
        self.logLevel = logLevel
        self.hotline = hotline
        self.bcryptCost = bcryptCost
        self.secureCookies = secureCookies
    }

    /// Where the SQLite file lives when no database URL is given.
    public static func defaultSQLitePath(dataDirectory: String) -> String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("opendvc.sqlite").path
    }

    /// The keys, each with the flag and environment variable that set it.
    public enum Key: String, Sendable, CaseIterable {
        case host = "opendvc.host"
        case port = "opendvc.port"
        case dataDirectory = "opendvc.data.dir"
        case databaseURL = "opendvc.db.url"
        case sqliteSynchronous = "opendvc.db.sqlite.synchronous"
        case worker = "opendvc.worker"
        case demoCatalogue = "opendvc.demo"
        case logLevel = "opendvc.log.level"
        case hotline = "opendvc.hotline"
        case bcryptCost = "opendvc.bcrypt.cost"
        case secureCookies = "opendvc.cookie.secure"
        case maximumFileMegabytes = "opendvc.attachments.max.file.mb"
        case maximumDossierMegabytes = "opendvc.attachments.max.dossier.mb"
        case lookupsPerMinute = "opendvc.lookup.per.minute"
        case publicURL = "opendvc.public.url"
        case statisticsRefreshSeconds = "opendvc.stats.refresh.seconds"
        case benchmarkMode = "opendvc.bench"
        case paymentSandbox = "opendvc.payments.sandbox"
        case paymentSecret = "opendvc.payments.secret"
        case paymentMerchant = "opendvc.payments.merchant"
        case paymentGatewayURL = "opendvc.payments.gateway.url"

        /// The command-line flag, where there is one.
        public var flag: String? {
            switch self {
            case .host: "--host"
            case .port: "--port"
            case .dataDirectory: "--data-dir"
            case .databaseURL: "--db-url"
            case .worker: "--no-worker"
            case .sqliteSynchronous, .demoCatalogue, .logLevel, .hotline, .bcryptCost, .secureCookies,
                .maximumFileMegabytes, .maximumDossierMegabytes, .lookupsPerMinute, .publicURL,
                .statisticsRefreshSeconds, .benchmarkMode, .paymentSandbox, .paymentSecret, .paymentMerchant,
                .paymentGatewayURL:
                nil
            }
        }

        /// The environment variable.
        public var environmentVariable: String {
            rawValue.uppercased().replacingOccurrences(of: ".", with: "_")
        }
    }

    /// Reads and validates the configuration. `flags` holds the values given on the command line, by key.
    public static func load(
        flags: [Key: String], environment: [String: String] = ProcessInfo.processInfo.environment,
        dotEnvPath: String? = ".env"
    ) async throws(ConfigError) -> AppConfig {
        var providers: [any ConfigProvider] = [
            InMemoryProvider(
                name: "flags",
                values: Dictionary(
                    uniqueKeysWithValues: flags.map { key, value in
                        (AbsoluteConfigKey(ConfigKey(key.rawValue)), ConfigValue(.string(value), isSecret: false))
                    }
                )
            ),
            EnvironmentVariablesProvider(environmentVariables: environment),
        ]
        if let dotEnvPath, FileManager.default.fileExists(atPath: dotEnvPath) {
            do {
                providers.append(try await EnvironmentVariablesProvider(environmentFilePath: FilePath(dotEnvPath)))
            } catch {
                throw ConfigError(key: nil, message: "cannot read \(dotEnvPath)")
            }
        }
        return try AppConfig(reader: ConfigReader(providers: providers))
    }

    /// Builds and validates a configuration from a reader.
    public init(reader: ConfigReader) throws(ConfigError) {
        func text(_ key: Key) -> String? {
            reader.string(forKey: ConfigKey(key.rawValue), isSecret: key == .databaseURL || key == .paymentSecret)?
                .trimmingCharacters(in: .whitespaces)
        }
        func flag(_ key: Key, default defaultValue: Bool) throws(ConfigError) -> Bool {
            guard let value = text(key)?.lowercased(), !value.isEmpty else { return defaultValue }
            switch value {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw ConfigError(key: key, message: "'\(value)' is not true or false")
            }
        }

        let host = text(.host) ?? "127.0.0.1"
        guard !host.isEmpty, !host.contains(" ") else {
            throw ConfigError(key: .host, message: "'\(host)' is not a host name or address")
        }
        var port = 8080
        if let value = text(.port) {
            guard let number = Int(value), (0...65535).contains(number) else {
                throw ConfigError(key: .port, message: "'\(value)' is not a port number (0–65535)")
            }
            port = number
        }
        let dataDirectory = text(.dataDirectory).flatMap { $0.isEmpty ? nil : $0 } ?? "./data"
        var databaseURL: DatabaseURL?
        if let value = text(.databaseURL), !value.isEmpty {
            do {
                databaseURL = try DatabaseURL(parsing: value)
            } catch {
                throw ConfigError(key: .databaseURL, message: error.description)
            }
        }
        var sqlite = SQLiteOptions()
        if let value = text(.sqliteSynchronous), !value.isEmpty {
            guard let mode = SQLiteOptions.Synchronous(rawValue: value.uppercased()) else {
                throw ConfigError(key: .sqliteSynchronous, message: "'\(value)' is not FULL or NORMAL")
            }
            sqlite.synchronous = mode
        }
        var logLevel = Logger.Level.info
        if let value = text(.logLevel), !value.isEmpty {
            guard let level = Logger.Level(rawValue: value.lowercased()) else {
                throw ConfigError(
                    key: .logLevel, message: "'\(value)' is not one of trace, debug, info, warning, error")
            }
            logLevel = level
        }
        var bcryptCost = 12
        if let value = text(.bcryptCost), !value.isEmpty {
            guard let cost = Int(value), (4...31).contains(cost) else {
                throw ConfigError(
                    key: .bcryptCost, message: "'\(value)' is not a bcrypt cost (4–31; 12 or more in production)")
            }
            bcryptCost = cost
        }
        func positive(_ key: Key, default defaultValue: Int, maximum: Int) throws(ConfigError) -> Int {
            guard let value = text(key), !value.isEmpty else { return defaultValue }
            guard let number = Int(value), (1...maximum).contains(number) else {
                throw ConfigError(key: key, message: "'\(value)' is not a whole number from 1 to \(maximum)")
            }
            return number
        }
        let fileMegabytes = try positive(.maximumFileMegabytes, default: 10, maximum: 1024)
        let dossierMegabytes = try positive(.maximumDossierMegabytes, default: 50, maximum: 10_240)
        guard dossierMegabytes >= fileMegabytes else {
            throw ConfigError(
                key: .maximumDossierMegabytes, message: "must be at least the largest file (\(fileMegabytes) MB)")
        }
        let lookups = try positive(.lookupsPerMinute, default: 60, maximum: 1_000_000)
        let statisticsRefresh = try positive(.statisticsRefreshSeconds, default: 300, maximum: 86_400)
        let publicURL = text(.publicURL) ?? ""
        if !publicURL.isEmpty {
            guard publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://"), !publicURL.hasSuffix("/"),
                URL(string: publicURL)?.host != nil, !publicURL.contains(" ")
            else {
                throw ConfigError(
                    key: .publicURL, message: "'\(publicURL)' is not an address like https://dichvucong.example.gov.vn")
            }
        }
        self.init(
            host: host, port: port, dataDirectory: dataDirectory, databaseURL: databaseURL, sqlite: sqlite,
            runsWorker: try flag(.worker, default: true), loadsDemoCatalogue: try flag(.demoCatalogue, default: true),
            logLevel: logLevel, hotline: text(.hotline).flatMap { $0.isEmpty ? nil : $0 } ?? "1800 1096",
            bcryptCost: bcryptCost, secureCookies: try flag(.secureCookies, default: false)
        )
        maximumFileBytes = fileMegabytes * 1024 * 1024
        maximumDossierBytes = dossierMegabytes * 1024 * 1024
        lookupsPerMinute = lookups
        self.publicURL = publicURL
        statisticsRefreshSeconds = statisticsRefresh
        benchmarkMode = try flag(.benchmarkMode, default: false)
        paymentSandbox = try flag(.paymentSandbox, default: true)
        if let secret = text(.paymentSecret), !secret.isEmpty {
            guard secret.count >= 16 else {
                throw ConfigError(key: .paymentSecret, message: "must be at least 16 characters")
            }
            paymentSecret = secret
        } else if !paymentSandbox {
            throw ConfigError(key: .paymentSecret, message: "is required when the sandbox gateway is off")
        }
        if let merchant = text(.paymentMerchant), !merchant.isEmpty {
            guard merchant.count <= 20, merchant.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw ConfigError(
                    key: .paymentMerchant, message: "'\(merchant)' is not a merchant code (letters and digits)")
            }
            paymentMerchant = merchant
        }
        if let gateway = text(.paymentGatewayURL), !gateway.isEmpty {
            guard gateway.hasPrefix("https://"), URL(string: gateway)?.host != nil else {
                throw ConfigError(key: .paymentGatewayURL, message: "'\(gateway)' is not an https:// address")
            }
            paymentGatewayURL = gateway
        } else if !paymentSandbox {
            throw ConfigError(key: .paymentGatewayURL, message: "is required when the sandbox gateway is off")
        }
    }
}

/// A configuration value that cannot be used; its description is the one line shown to the operator.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public let key: AppConfig.Key?
    public let message: String

    /// An error about `key` (nil for the configuration as a whole).
    public init(key: AppConfig.Key?, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String {
        guard let key else { return "configuration: \(message)" }
        let sources = [key.flag, key.environmentVariable].compactMap { $0 }.joined(separator: " / ")
        return "configuration \(key.rawValue) (\(sources)): \(message)"
    }
}
