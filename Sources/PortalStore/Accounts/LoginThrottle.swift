import Foundation
import SQLKit

/// Slows down password guessing per account and per client address: after `freeFailures` failures in a row each
/// further failure doubles the wait, from `baseLock` up to `maximumLock`. A success clears the account's count.
public struct LoginThrottle: Sendable {
    let database: Database
    public var freeFailures: Int
    public var baseLock: Duration
    public var maximumLock: Duration

    /// A throttle with the portal's defaults: 5 free failures, then 30 s, 60 s, … up to 15 minutes.
    public init(
        database: Database, freeFailures: Int = 5, baseLock: Duration = .seconds(30),
        maximumLock: Duration = .seconds(900)
    ) {
        self.database = database
        self.freeFailures = freeFailures
        self.baseLock = baseLock
        self.maximumLock = maximumLock
    }

    /// Seconds to wait before another attempt on any of these keys, or nil when an attempt may go ahead.
    public func retryAfter(keys: [String], now: Date = Date()) async throws -> Int? {
        let rows = try await database.sql.select().column("locked_until").from("login_throttle")
            .where("throttle_key", .in, keys).all()
        let until = try rows.map { try $0.decode(column: "locked_until", as: Int64.self) }.max() ?? 0
        let wait = until - now.epochMilliseconds
        return wait > 0 ? Int((wait + 999) / 1000) : nil
    }

    /// Counts a failed attempt on each key; returns the failures now counted on the first key.
    @discardableResult
    public func recordFailure(keys: [String], now: Date = Date()) async throws -> Int {
        var first = 0
        for key in keys {
            let failures = try await database.transaction { db -> Int in
                let current =
                    try await db.raw("SELECT failures FROM login_throttle WHERE throttle_key = \(bind: key)")
                    .first()?.decode(column: "failures", as: Int.self) ?? 0
                let failures = current + 1
                let excess = failures - freeFailures
                let lock = excess > 0 ? min(baseLock * (1 << min(excess - 1, 20)), maximumLock) : .zero
                try await db.raw(
                    """
                    INSERT INTO login_throttle (throttle_key, failures, locked_until)
                    VALUES (\(bind: key), \(bind: failures), \(bind: now.epochMilliseconds + lock.milliseconds))
                    ON CONFLICT (throttle_key) DO UPDATE SET failures = excluded.failures,
                        locked_until = excluded.locked_until
                    """
                ).run()
                return failures
            }
            if key == keys.first { first = failures }
        }
        return first
    }

    /// Forgets the failures on these keys.
    public func clear(keys: [String]) async throws {
        try await database.sql.delete(from: "login_throttle").where("throttle_key", .in, keys).run()
    }
}
