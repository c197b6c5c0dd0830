/// What an import did: rows read, inserted, updated, skipped, and the problems found (`file:line: reason`).
public struct ImportReport: Sendable, Equatable, CustomStringConvertible {
    public let what: String
    public var read = 0
    public var inserted = 0
    public var updated = 0
    public var skipped = 0
    public var problems: [CSVError] = []

    /// An empty report about `what` (e.g. `procedures`).
    public init(what: String) {
        self.what = what
    }

    /// One line for the operator.
    public var description: String {
        "\(what): \(read) read, \(inserted) inserted, \(updated) updated, \(skipped) skipped"
    }
}

/// How an import treats bad rows and reports progress.
public struct ImportOptions: Sendable {
    /// Skip bad rows (and report them) instead of refusing the whole file.
    public var skipBad: Bool
    /// Called now and then with the rows done and the total, for a progress line.
    public var progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?

    /// Options; by default the import is all-or-nothing and silent.
    public init(skipBad: Bool = false, progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.skipBad = skipBad
        self.progress = progress
    }
}

/// The file had bad rows and nothing was written.
public struct ImportRejected: Error, Sendable, CustomStringConvertible {
    public let problems: [CSVError]

    public var description: String {
        let shown = problems.prefix(50).map(\.description)
        let more = problems.count > 50 ? ["… and \(problems.count - 50) more"] : []
        return (shown + more + ["nothing was imported; fix the rows above or use --skip-bad"]).joined(separator: "\n")
    }
}
