import Foundation
import PortalCore
import SQLKit

/// The portal's statistics: headline counters read live, and per-agency, per-procedure and per-day figures that a
/// periodic refresh computes with one aggregate query, so that no request scans the dossiers.
///
/// Each dossier counts on the local day it was received, in the bucket where it stands at the refresh instant
/// (`DossierOutcomeBucket`): a period's figures describe the dossiers received in it.
public struct StatisticsStore: Sendable {
    public static let jobKind = "stats.refresh"
    let database: Database

    /// Statistics on the portal database.
    public init(database: Database) {
        self.database = database
    }

    /// The local day number (days since 1970-01-01 in Asia/Ho_Chi_Minh) of an epoch-milliseconds column.
    static func localDay(_ column: String) -> String {
        "((\(column) + \(VietnamTime.offsetSeconds * 1000)) / 86400000)"
    }

    // MARK: Refresh

    /// Recomputes every stored aggregate as of `now`, in one transaction; readers see the old figures or the new.
    public func refresh(now: Date = Date()) async throws {
        let nowMs = now.epochMilliseconds
        let finishedDay = Self.localDay("finished_at")
        let dueDay = Self.localDay("due_at")
        try await database.transaction { db in
            // Taking the row first makes concurrent refreshes wait for each other.
            try await db.update("stats_meta").set("value", to: nowMs).where("name", .equal, "refreshed_at").run()
            // Counts the refreshes: the period figures read since the last one stay right until it moves.
            try await db.raw(
                """
                INSERT INTO stats_meta (name, value) VALUES ('generation', 1)
                ON CONFLICT (name) DO UPDATE SET value = stats_meta.value + 1
                """
            ).run()
            try await db.delete(from: "stats_daily").run()
            let sums = StatisticsFigures.columns.dropFirst(3).map(\.name)
            try await db.raw(
                """
                INSERT INTO stats_daily (agency_code, procedure_code, day, \(unsafeRaw: StatisticsFigures.columns.map(\.name).joined(separator: ", ")))
                SELECT agency_code, procedure_code, day, COUNT(*),
                SUM(CASE WHEN channel = 2 THEN 1 ELSE 0 END), SUM(supplemented),
                \(unsafeRaw: sums.prefix(6).map { "SUM(CASE WHEN bucket = '\($0)' THEN 1 ELSE 0 END)" }.joined(separator: ", ")),
                SUM(COALESCE(work_seconds, 0)), SUM(CASE WHEN work_seconds IS NULL THEN 0 ELSE 1 END),
                SUM(COALESCE(rating, 0)), SUM(CASE WHEN rating IS NULL THEN 0 ELSE 1 END)
                FROM (
                    SELECT agency_code, procedure_code, \(unsafeRaw: Self.localDay("received_at")) AS day, channel,
                    supplemented, work_seconds, rating,
                    CASE
                        WHEN finished_at IS NOT NULL AND finished_at <= \(bind: nowMs) THEN
                            CASE
                                WHEN due_at IS NULL THEN 'finished_on_time'
                                WHEN finished_at > due_at THEN 'finished_late'
                                WHEN \(unsafeRaw: finishedDay) < \(unsafeRaw: dueDay) THEN 'finished_early'
                                ELSE 'finished_on_time'
                            END
                        WHEN status IN (3, 7, 8) THEN 'closed_without_result'
                        WHEN due_at IS NULL THEN 'open_within_deadline'
                        WHEN (CASE WHEN paused_at IS NOT NULL AND paused_at < \(bind: nowMs) THEN paused_at
                              ELSE \(bind: nowMs) END) <= due_at THEN 'open_within_deadline'
                        ELSE 'open_past_deadline'
                    END AS bucket
                    FROM dossiers WHERE received_at IS NOT NULL AND received_at <= \(bind: nowMs)
                ) AS dossier_buckets
                GROUP BY agency_code, procedure_code, day
                """
            ).run()
            try await db.delete(from: "stats_status").run()
            try await db.raw(
                """
                INSERT INTO stats_status (status, count)
                SELECT status, COUNT(*) FROM dossiers WHERE status IS NOT NULL GROUP BY status
                """
            ).run()
            try await db.delete(from: "stats_services").run()
            try await db.raw(
                """
                INSERT INTO stats_services (field, online_level, count)
                SELECT field, online_level, COUNT(*) FROM procedures WHERE online_level IN ('full', 'partial')
                GROUP BY field, online_level
                """
            ).run()
        }
    }

    /// When the aggregates were last computed; `nil` before the first refresh.
    public func refreshedAt() async throws -> Date? {
        let row = try await database.sql.raw("SELECT value FROM stats_meta WHERE name = 'refreshed_at'").first()
        let value = try row?.decode(column: "value", as: Int64.self) ?? 0
        return value == 0 ? nil : Date(epochMilliseconds: value)
    }

    // MARK: Reading

    static var summedColumns: String {
        StatisticsFigures.columns.map { "CAST(SUM(s.\($0.name)) AS BIGINT) AS \($0.name)" }.joined(separator: ", ")
    }

    static func figures(_ row: any SQLRow) throws -> StatisticsFigures {
        var figures = StatisticsFigures()
        for column in StatisticsFigures.columns {
            figures[keyPath: column.keyPath] = try row.decode(column: column.name, as: Int64?.self) ?? 0
        }
        return figures
    }

    /// Each agency that received dossiers in the period (inclusive local dates), ranked by on-time rate, then by
    /// results ready, then by dossiers received.
    public func agencies(from: LocalDate, to: LocalDate) async throws -> [AgencyFigures] {
        try await cached("agencies/\(from.dayNumber)/\(to.dayNumber)") {
            try await Self.agencies(from: from, to: to, on: $0)
        }
    }

    /// A period figure as of the last refresh: computed once per refresh (how many refreshes have run keys it, 0
    /// before the first), then read from memory.
    func cached<Value: Sendable>(
        _ key: String, _ compute: @escaping @Sendable (_ database: Database) async throws -> Value
    ) async throws -> Value {
        let database = database
        let stamp =
            try await database.sql.raw("SELECT value FROM stats_meta WHERE name = 'generation'").first()?
            .decode(column: "value", as: Int64.self) ?? 0
        return try await database.statisticsCache.value(key, stamp: stamp) { try await compute(database) }
    }

    static func agencies(from: LocalDate, to: LocalDate, on database: Database) async throws -> [AgencyFigures] {
        let rows = try await database.sql.raw(
            """
            SELECT s.agency_code, a.name, \(unsafeRaw: Self.summedColumns)
            FROM stats_daily s LEFT JOIN agencies a ON a.code = s.agency_code
            WHERE s.day BETWEEN \(bind: from.dayNumber) AND \(bind: to.dayNumber)
            GROUP BY s.agency_code, a.name
            """
        ).all()
        let unranked = try rows.map { row in
            (
                code: try row.decode(column: "agency_code", as: String.self),
                name: try row.decode(column: "name", as: String?.self),
                figures: try Self.figures(row)
            )
        }
        let ranked = unranked.sorted { left, right in
            let (l, r) = (left.figures, right.figures)
            switch (l.onTimeRate.value, r.onTimeRate.value) {
            case (let a?, let b?) where a != b: return a > b
            case (.some, nil): return true
            case (nil, .some): return false
            default: break
            }
            if l.finished != r.finished { return l.finished > r.finished }
            if l.received != r.received { return l.received > r.received }
            return left.code < right.code
        }
        return ranked.enumerated().map { index, entry in
            AgencyFigures(
                agencyCode: entry.code, agencyName: entry.name ?? entry.code, figures: entry.figures, rank: index + 1)
        }
    }

    /// Each procedure's figures in the period, for one agency or for all, most received first.
    public func procedures(agency: String?, from: LocalDate, to: LocalDate) async throws -> [ProcedureFigures] {
        try await cached("procedures/\(agency ?? "")/\(from.dayNumber)/\(to.dayNumber)") {
            try await Self.procedures(agency: agency, from: from, to: to, on: $0)
        }
    }

    static func procedures(agency: String?, from: LocalDate, to: LocalDate, on database: Database) async throws
        -> [ProcedureFigures]
    {
        var agencyFilter: SQLQueryString = ""
        if let agency { agencyFilter = "AND s.agency_code = \(bind: agency)" }
        let rows = try await database.sql.raw(
            """
            SELECT s.procedure_code, p.name, \(unsafeRaw: Self.summedColumns)
            FROM stats_daily s LEFT JOIN procedures p ON p.code = s.procedure_code
            WHERE s.day BETWEEN \(bind: from.dayNumber) AND \(bind: to.dayNumber) \(agencyFilter)
            GROUP BY s.procedure_code, p.name
            """
        ).all()
        return try rows.map { row in
            let code = try row.decode(column: "procedure_code", as: String.self)
            return ProcedureFigures(
                procedureCode: code, procedureName: try row.decode(column: "name", as: String?.self) ?? code,
                figures: try Self.figures(row))
        }
        .sorted { ($0.figures.received, $1.procedureCode) > ($1.figures.received, $0.procedureCode) }
    }

    /// The figures of each day in the period that received dossiers, for one agency or for all, oldest first.
    public func daily(agency: String? = nil, from: LocalDate, to: LocalDate) async throws
        -> [(day: LocalDate, figures: StatisticsFigures)]
    {
        try await cached("daily/\(agency ?? "")/\(from.dayNumber)/\(to.dayNumber)") {
            try await Self.daily(agency: agency, from: from, to: to, on: $0)
        }
    }

    static func daily(agency: String?, from: LocalDate, to: LocalDate, on database: Database) async throws
        -> [(day: LocalDate, figures: StatisticsFigures)]
    {
        var agencyFilter: SQLQueryString = ""
        if let agency { agencyFilter = "AND s.agency_code = \(bind: agency)" }
        let rows = try await database.sql.raw(
            """
            SELECT s.day, \(unsafeRaw: Self.summedColumns) FROM stats_daily s
            WHERE s.day BETWEEN \(bind: from.dayNumber) AND \(bind: to.dayNumber) \(agencyFilter)
            GROUP BY s.day ORDER BY s.day
            """
        ).all()
        return try rows.map { row in
            (LocalDate(dayNumber: try row.decode(column: "day", as: Int.self)), try Self.figures(row))
        }
    }

    /// The number of dossiers at each status, as of the last refresh.
    public func statusCounts() async throws -> [DossierStatus: Int64] {
        var counts: [DossierStatus: Int64] = [:]
        for row in try await database.sql.raw("SELECT status, count FROM stats_status").all() {
            if let status = DossierStatus(rawValue: try row.decode(column: "status", as: Int.self)) {
                counts[status] = try row.decode(column: "count", as: Int64.self)
            }
        }
        return counts
    }

    /// Online services by field, most first, as of the last refresh.
    public func servicesByField() async throws -> [FieldServices] {
        var byField: [String: (full: Int64, partial: Int64)] = [:]
        for row in try await database.sql.raw("SELECT field, online_level, count FROM stats_services").all() {
            let field = try row.decode(column: "field", as: String.self)
            let count = try row.decode(column: "count", as: Int64.self)
            switch try row.decode(column: "online_level", as: String.self) {
            case "full": byField[field, default: (0, 0)].full += count
            default: byField[field, default: (0, 0)].partial += count
            }
        }
        return byField.map { FieldServices(field: $0.key, full: $0.value.full, partial: $0.value.partial) }
            .sorted { ($0.full + $0.partial, $1.field) > ($1.full + $1.partial, $0.field) }
    }

    /// The headline figures: the running counters (plus page views not yet written), online services as of the
    /// last refresh, and the agencies whose systems have synchronised.
    public func summary(unflushedHits: Int64 = 0) async throws -> StatisticsSummary {
        let counters = try await CounterStore(database: database).values()
        let services = try await database.sql.raw(
            "SELECT online_level, CAST(SUM(count) AS BIGINT) AS n FROM stats_services GROUP BY online_level"
        ).all()
        var full: Int64 = 0
        var partial: Int64 = 0
        for row in services {
            let count = try row.decode(column: "n", as: Int64?.self) ?? 0
            if try row.decode(column: "online_level", as: String.self) == "full" {
                full = count
            } else {
                partial = count
            }
        }
        let syncing =
            try await database.sql.raw(
                """
                SELECT COUNT(DISTINCT agency_code) AS n FROM agency_clients
                WHERE revoked_at IS NULL AND last_sync_at IS NOT NULL
                """
            ).first()?.decode(column: "n", as: Int64.self) ?? 0
        return StatisticsSummary(
            accounts: counters[.accounts] ?? 0, hits: (counters[.hits] ?? 0) + unflushedHits,
            statusSyncs: counters[.statusSyncs] ?? 0, dossiersProcessed: counters[.dossiersProcessed] ?? 0,
            servicesFull: full, servicesPartial: partial, agenciesSyncing: syncing)
    }

    // MARK: The periodic job

    /// Queues a refresh at `runAt` unless one is already waiting or running; the running job passes its own id.
    /// Finished refresh jobs older than a day are removed, so that the queue does not grow by one row a period.
    public func schedule(runAt: Date, excluding currentJob: Int64? = nil) async throws {
        let jobs = JobQueue(database: database)
        try await database.transaction { db in
            try await db.raw(
                """
                DELETE FROM jobs WHERE kind = \(bind: Self.jobKind) AND state = 'succeeded'
                AND run_at < \(bind: runAt.addingTimeInterval(-86_400).epochMilliseconds)
                """
            ).run()
            let waiting = try await db.raw(
                """
                SELECT id FROM jobs WHERE kind = \(bind: Self.jobKind) AND state IN ('queued', 'running')
                AND id <> \(bind: currentJob ?? -1) LIMIT 1
                """
            ).first()
            guard waiting == nil else { return }
            try await jobs.enqueue(kind: Self.jobKind, runAt: runAt, on: db)
        }
    }

    /// The job handler: one refresh, then the next one `interval` later.
    public func handle(_ job: Job, interval: TimeInterval) async throws {
        try await refresh()
        try await schedule(runAt: Date().addingTimeInterval(interval), excluding: job.id)
    }
}
