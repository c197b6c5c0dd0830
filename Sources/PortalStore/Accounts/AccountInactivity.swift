import Foundation
import SQLKit

/// Decision 31/2021/QĐ-TTg: an account unused for two years is locked; its owner is warned monthly during the last
/// two months before. A locked owner unlocks it through the password-reset flow.
///
/// Runs as the daily job `accounts.inactivity`, which schedules its next run itself. Staff accounts are left to
/// their administrators.
public struct AccountInactivity: Sendable {
    public static let jobKind = "accounts.inactivity"
    static let lockAfter: TimeInterval = 730 * 86_400
    static let warnFrom: TimeInterval = 670 * 86_400
    static let warnEvery: TimeInterval = 30 * 86_400
    let database: Database

    /// The job on the portal database.
    public init(database: Database) {
        self.database = database
    }

    /// What one run did.
    public struct Report: Sendable, Equatable {
        public var warned = 0
        public var locked = 0

        /// A report with these counts.
        public init(warned: Int = 0, locked: Int = 0) {
            self.warned = warned
            self.locked = locked
        }
    }

    /// Warns and locks as of `now`.
    @discardableResult
    public func run(now: Date = Date()) async throws -> Report {
        let jobs = JobQueue(database: database)
        let nowMs = now.epochMilliseconds
        let lockBefore = now.addingTimeInterval(-Self.lockAfter).epochMilliseconds
        let warnBefore = now.addingTimeInterval(-Self.warnFrom).epochMilliseconds
        let warnedBefore = now.addingTimeInterval(-Self.warnEvery).epochMilliseconds
        return try await database.transaction { db in
            var report = Report()
            let toLock = try await db.raw(
                """
                SELECT id, email FROM accounts WHERE role IN ('citizen', 'business') AND locked = 0
                AND COALESCE(last_login_at, created_at) < \(bind: lockBefore)
                """
            ).all()
            for row in toLock {
                let id = try row.decode(column: "id", as: Int64.self)
                try await db.raw(
                    "UPDATE accounts SET locked = 1, locked_reason = 'inactivity' WHERE id = \(bind: id)"
                ).run()
                try await db.delete(from: "sessions").where("account_id", .equal, id).run()
                try await AuditLog.record("locked_inactive", accountID: id, at: now, on: db)
                if let email = try row.decode(column: "email", as: String?.self) {
                    try await Notifications.queueMessage(
                        channel: .email, recipient: email, subject: "Cổng Dịch vụ công: tài khoản tạm khóa",
                        body: """
                            Tài khoản của bạn không được sử dụng trong 2 năm nên đã tạm khóa. Dùng "Quên mật khẩu" để mở lại.

                            Your account was not used for 2 years and has been locked. Use "Forgot password" to open it again.
                            """,
                        at: now, jobs: jobs, on: db)
                }
                report.locked += 1
            }
            let toWarn = try await db.raw(
                """
                SELECT id, email FROM accounts WHERE role IN ('citizen', 'business') AND locked = 0
                AND COALESCE(last_login_at, created_at) < \(bind: warnBefore)
                AND (inactivity_warned_at IS NULL OR inactivity_warned_at < \(bind: warnedBefore))
                """
            ).all()
            for row in toWarn {
                let id = try row.decode(column: "id", as: Int64.self)
                try await db.update("accounts").set("inactivity_warned_at", to: nowMs).where("id", .equal, id).run()
                if let email = try row.decode(column: "email", as: String?.self) {
                    try await Notifications.queueMessage(
                        channel: .email, recipient: email, subject: "Cổng Dịch vụ công: tài khoản sắp bị khóa",
                        body: """
                            Bạn chưa đăng nhập gần 2 năm. Hãy đăng nhập để tài khoản không bị khóa.

                            You have not signed in for almost 2 years. Sign in to keep your account open.
                            """,
                        at: now, jobs: jobs, on: db)
                }
                try await AuditLog.record("inactivity_warning", accountID: id, at: now, on: db)
                report.warned += 1
            }
            return report
        }
    }

    /// Queues a run at `runAt` unless another one is already waiting or running (several processes may ask at
    /// start-up); the running job passes its own id so that it can queue the next day's run.
    public func schedule(runAt: Date, excluding currentJob: Int64? = nil) async throws {
        let jobs = JobQueue(database: database)
        try await database.transaction { db in
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

    /// The job handler: one run, then the next one a day later.
    public func handle(_ job: Job) async throws {
        try await run()
        try await schedule(runAt: Date().addingTimeInterval(86_400), excluding: job.id)
    }
}
