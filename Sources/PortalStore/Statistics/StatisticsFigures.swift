import PortalCore

/// The timeliness figures of a set of dossiers received in a period, as of the last statistics refresh.
public struct StatisticsFigures: Sendable, Hashable {
    /// Dossiers received.
    public var received: Int64 = 0
    /// Of those, submitted online.
    public var online: Int64 = 0
    /// Of those, with a supplement request.
    public var supplemented: Int64 = 0
    /// Result ready before the due day.
    public var finishedEarly: Int64 = 0
    /// Result ready on the due day.
    public var finishedOnTime: Int64 = 0
    /// Result ready after the due instant.
    public var finishedLate: Int64 = 0
    /// Refused, withdrawn or stopped.
    public var closedWithoutResult: Int64 = 0
    /// Still open, within the deadline.
    public var openWithinDeadline: Int64 = 0
    /// Still open, past the deadline.
    public var openPastDeadline: Int64 = 0
    /// Working seconds from reception to result, summed over `workCount` finished dossiers.
    public var workSeconds: Int64 = 0
    /// Finished dossiers whose working time is known.
    public var workCount: Int64 = 0
    /// The sum of the applicants' ratings (1–5).
    public var ratingSum: Int64 = 0
    /// The number of ratings.
    public var ratingCount: Int64 = 0

    /// No dossiers.
    public init() {}

    /// The working seconds in one working day of the standard schedule (07:00–11:30, 13:30–17:00).
    public static let workingDaySeconds = 8.0 * 3600

    /// Results ready, on time or not.
    public var finished: Int64 { finishedEarly + finishedOnTime + finishedLate }
    /// Results ready early or on time, over results ready.
    public var onTimeRate: Ratio { Ratio(Int(finishedEarly + finishedOnTime), of: Int(finished)) }
    /// Online submissions over received.
    public var onlineShare: Ratio { Ratio(Int(online), of: Int(received)) }
    /// Supplement requests over received.
    public var supplementRate: Ratio { Ratio(Int(supplemented), of: Int(received)) }
    /// The average working days from reception to result, when any result's time is known.
    public var averageWorkingDays: Double? {
        workCount == 0 ? nil : Double(workSeconds) / Double(workCount) / Self.workingDaySeconds
    }
    /// The average rating, when there is any.
    public var averageRating: Double? { ratingCount == 0 ? nil : Double(ratingSum) / Double(ratingCount) }

    /// Adds another set's figures to these.
    public mutating func add(_ other: StatisticsFigures) {
        received += other.received
        online += other.online
        supplemented += other.supplemented
        finishedEarly += other.finishedEarly
        finishedOnTime += other.finishedOnTime
        finishedLate += other.finishedLate
        closedWithoutResult += other.closedWithoutResult
        openWithinDeadline += other.openWithinDeadline
        openPastDeadline += other.openPastDeadline
        workSeconds += other.workSeconds
        workCount += other.workCount
        ratingSum += other.ratingSum
        ratingCount += other.ratingCount
    }

    /// The stored columns, in order, with the property each one fills.
    static var columns: [(name: String, keyPath: WritableKeyPath<StatisticsFigures, Int64>)] {
        [
            ("received", \.received), ("online", \.online), ("supplemented", \.supplemented),
            ("finished_early", \.finishedEarly), ("finished_on_time", \.finishedOnTime),
            ("finished_late", \.finishedLate), ("closed_without_result", \.closedWithoutResult),
            ("open_within_deadline", \.openWithinDeadline), ("open_past_deadline", \.openPastDeadline),
            ("work_seconds", \.workSeconds), ("work_count", \.workCount), ("rating_sum", \.ratingSum),
            ("rating_count", \.ratingCount),
        ]
    }
}

/// One agency's figures and its place in the ranking.
public struct AgencyFigures: Sendable, Hashable {
    public let agencyCode: String
    public let agencyName: String
    public let figures: StatisticsFigures
    /// 1 for the best on-time rate; agencies without a result yet come last.
    public let rank: Int
}

/// One procedure's figures within an agency, or across all.
public struct ProcedureFigures: Sendable, Hashable {
    public let procedureCode: String
    public let procedureName: String
    public let figures: StatisticsFigures
}

/// The portal's headline figures.
public struct StatisticsSummary: Sendable, Hashable {
    public let accounts: Int64
    public let hits: Int64
    public let statusSyncs: Int64
    public let dossiersProcessed: Int64
    public let servicesFull: Int64
    public let servicesPartial: Int64
    public let agenciesSyncing: Int64
}

/// Online services by field.
public struct FieldServices: Sendable, Hashable {
    public let field: String
    public let full: Int64
    public let partial: Int64
}
