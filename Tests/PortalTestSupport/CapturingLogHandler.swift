import Logging
import Synchronization

/// Keeps every log line written through it, so that a test can check what the portal logs.
public final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    /// An empty capture.
    public init() {}

    /// A logger that writes into this capture, at every level.
    public func logger(label: String = "opendvc.test") -> Logger {
        var logger = Logger(label: label) { label in CapturingLogHandler(capture: self, label: label) }
        logger.logLevel = .trace
        return logger
    }

    /// Every line so far: level, message and metadata.
    public var all: [String] { lines.withLock { $0 } }

    func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }
}

/// A log handler that formats each record as one line into a `LogCapture`.
struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    let label: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        capture.append("\(event.level) \(event.message) \(fields)")
    }
}
