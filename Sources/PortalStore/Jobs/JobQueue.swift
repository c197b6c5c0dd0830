import Foundation
import SQLKit

/// The jobs table: enqueue inside the caller's transaction, claim with a lease, retry with backoff, then dead.
public struct JobQueue: Sendable {
    let database: Database
    /// Attempts before a job is dead, unless the job says otherwise.
    public var defaultMaxAttempts: Int
    /// The first retry waits this long; each later one twice as long, up to `maximumBackoff`.
    public var baseBackoff: Duration
    public var maximumBackoff: Duration

    /// A queue on the portal database.
    public init(
        database: Database, defaultMaxAttempts: Int = 5, baseBackoff: Duration = .seconds(2),
        maximumBackoff: Duration = .seconds(3600)
    ) {
        self.database = database
        self.defaultMaxAttempts = defaultMaxAttempts
        self.baseBackoff = baseBackoff
        self.maximumBackoff = maximumBackoff
    }

    /// Adds a job using `connection`, which should be the transaction that makes the change the job follows from,
    /// so that the job exists if and only if that change is committed.
    @discardableResult
    public func enqueue(
        kind: String, payload: String = "{}", runAt: Date = Date(), maxAttempts: Int? = nil,
        on connection: any SQLDatabase
    ) async throws -> Int64 {
        let row = try await connection.insert(into: "jobs")
            .columns("kind", "payload", "state", "attempts", "max_attempts", "run_at", "created_at")
            .values(
                SQLBind(kind), SQLBind(payload), SQLBind(JobState.queued.rawValue), SQLBind(0),
                SQLBind(maxAttempts ?? defaultMaxAttempts), SQLBind(runAt.epochMilliseconds),
                SQLBind(Date().epochMilliseconds)
            )
            .returning("id")
            .first()
        guard let row else { throw JobQueueError.insertReturnedNothing }
        return try row.decode(column: "id", as: Int64.self)
    }

    /// Claims up to `limit` due jobs for `workerID`, each leased until `now + lease`. A job whose lease expired
    /// (its worker died) is claimed again; one that has used all its attempts that way becomes dead.
    public func claim(workerID: String, limit: Int, lease: Duration, now: Date = Date()) async throws -> [Job] {
        let nowMs = now.epochMilliseconds
        let until = nowMs + lease.milliseconds
        let skipLocked = database.dialect.skipLockedClause
        return try await database.transaction { db in
            try await db.raw(
                """
                UPDATE jobs SET state = \(bind: JobState.dead.rawValue), locked_by = NULL, locked_until = NULL,
                    last_error = \(bind: "the worker stopped during the last attempt"), finished_at = \(bind: nowMs)
                WHERE state = \(bind: JobState.running.rawValue) AND locked_until < \(bind: nowMs)
                    AND attempts >= max_attempts
                """
            ).run()
            let rows = try await db.raw(
                """
                UPDATE jobs SET state = \(bind: JobState.running.rawValue), locked_by = \(bind: workerID),
                    locked_until = \(bind: until), attempts = attempts + 1
                WHERE id IN (
                    SELECT id FROM jobs
                    WHERE (state = \(bind: JobState.queued.rawValue) AND run_at <= \(bind: nowMs))
                       OR (state = \(bind: JobState.running.rawValue) AND locked_until < \(bind: nowMs))
                    ORDER BY run_at, id
                    LIMIT \(bind: limit)
                    \(unsafeRaw: skipLocked)
                )
                RETURNING \(unsafeRaw: Self.columns)
                """
            ).all()
            return try rows.map(Self.job(from:)).sorted { ($0.runAt, $0.id) < ($1.runAt, $1.id) }
        }
    }

    /// Marks a claimed job done. Returns false when the lease had passed to another worker.
    @discardableResult
    public func complete(_ job: Job, now: Date = Date()) async throws -> Bool {
        let rows = try await database.sql.raw(
            """
            UPDATE jobs SET state = \(bind: JobState.succeeded.rawValue), locked_by = NULL, locked_until = NULL,
                finished_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: job.id) AND locked_by = \(bind: job.lockedBy) AND state = \(bind: JobState.running.rawValue)
            RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    /// Records a failed attempt: the job runs again after a backoff, or is dead after its last attempt.
    @discardableResult
    public func fail(_ job: Job, reason: String, now: Date = Date()) async throws -> JobState {
        let dead = job.attempts >= job.maxAttempts
        let next = dead ? JobState.dead : JobState.queued
        let runAt = now.epochMilliseconds + backoff(afterAttempt: job.attempts).milliseconds
        try await database.sql.raw(
            """
            UPDATE jobs SET state = \(bind: next.rawValue), locked_by = NULL, locked_until = NULL,
                last_error = \(bind: String(reason.prefix(1000))), run_at = \(bind: dead ? job.runAt.epochMilliseconds : runAt),
                finished_at = \(bind: dead ? now.epochMilliseconds : nil)
            WHERE id = \(bind: job.id) AND locked_by = \(bind: job.lockedBy) AND state = \(bind: JobState.running.rawValue)
            """
        ).run()
        return next
    }

    /// The wait before the attempt after `attempt`: base × 2^(attempt−1), capped.
    public func backoff(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let wait = baseBackoff * (1 << exponent)
        return min(wait, maximumBackoff)
    }

    /// Jobs in a state, newest first, for the administrators' view.
    public func list(state: JobState? = nil, limit: Int = 50, offset: Int = 0) async throws -> [Job] {
        var query = database.sql.select().column(SQLRaw(Self.columns)).from("jobs")
        if let state { query = query.where("state", .equal, state.rawValue) }
        return try await query.orderBy("id", .descending).limit(limit).offset(offset).all().map(Self.job(from:))
    }

    /// How many jobs are in each state.
    public func counts() async throws -> [JobState: Int] {
        let rows = try await database.sql.raw("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state").all()
        var counts: [JobState: Int] = [:]
        for row in rows {
            if let state = JobState(rawValue: try row.decode(column: "state", as: String.self)) {
                counts[state] = try row.decode(column: "n", as: Int.self)
            }
        }
        return counts
    }

    /// Puts a dead job back in the queue with a fresh set of attempts.
    @discardableResult
    public func retry(id: Int64, now: Date = Date()) async throws -> Bool {
        let rows = try await database.sql.raw(
            """
            UPDATE jobs SET state = \(bind: JobState.queued.rawValue), attempts = 0, run_at = \(bind: now.epochMilliseconds),
                finished_at = NULL
            WHERE id = \(bind: id) AND state = \(bind: JobState.dead.rawValue)
            RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    static let columns =
        "id, kind, payload, state, attempts, max_attempts, run_at, locked_by, last_error, created_at"

    static func job(from row: any SQLRow) throws -> Job {
        Job(
            id: try row.decode(column: "id", as: Int64.self),
            kind: try row.decode(column: "kind", as: String.self),
            payload: try row.decode(column: "payload", as: String.self),
            state: JobState(rawValue: try row.decode(column: "state", as: String.self)) ?? .dead,
            attempts: try row.decode(column: "attempts", as: Int.self),
            maxAttempts: try row.decode(column: "max_attempts", as: Int.self),
            runAt: Date(epochMilliseconds: try row.decode(column: "run_at", as: Int64.self)),
            lockedBy: try row.decode(column: "locked_by", as: String?.self),
            lastError: try row.decode(column: "last_error", as: String?.self),
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self))
        )
    }
}

/// Failures of the job queue itself.
public enum JobQueueError: Error, Sendable {
    case insertReturnedNothing
}

extension Duration {
    /// The duration in whole milliseconds.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
