import Foundation
import PortalCore
import SQLKit

/// Home support (hỗ trợ tại nhà): someone who cannot come to the desk, for a procedure not offered online, asks for
/// officers to visit. The locality's officers see a queue, schedule a visit and record what happened; a dossier
/// received on the spot gets its code at once. The requester is told at every step.
public struct HomeSupport: Sendable {
    let database: Database
    let jobs: JobQueue

    /// Home support on the portal database.
    public init(database: Database) {
        self.database = database
        jobs = JobQueue(database: database)
    }

    public enum Urgency: String, Sendable, Hashable, CaseIterable {
        case normal, urgent, emergency
    }

    public enum State: String, Sendable, Hashable, CaseIterable {
        case new, scheduled, done, cancelled
    }

    /// What the requester sends.
    public struct Submission: Sendable, Hashable {
        public var accountID: Int64?
        public var requesterName: String
        public var requesterPhone: String
        public var requesterEmail: String?
        public var onBehalfOf: String?
        public var provinceCode: String
        public var address: String
        public var procedureCode: String?
        public var reason: String
        public var urgency: Urgency

        public init(
            accountID: Int64?, requesterName: String, requesterPhone: String, requesterEmail: String?,
            onBehalfOf: String?, provinceCode: String, address: String, procedureCode: String?, reason: String,
            urgency: Urgency
        ) {
            self.accountID = accountID
            self.requesterName = requesterName
            self.requesterPhone = requesterPhone
            self.requesterEmail = requesterEmail
            self.onBehalfOf = onBehalfOf
            self.provinceCode = provinceCode
            self.address = address
            self.procedureCode = procedureCode
            self.reason = reason
            self.urgency = urgency
        }
    }

    public struct Request: Sendable, Hashable {
        public let id: Int64
        public let ref: String
        public let accountID: Int64?
        public let requesterName: String
        public let requesterPhone: String
        public let requesterEmail: String?
        public let onBehalfOf: String?
        public let provinceCode: String
        public let provinceName: String
        public let address: String
        public let procedureCode: String?
        public let procedureName: String?
        public let reason: String
        public let urgency: Urgency
        public let state: State
        public let visitDate: String?
        public let visitWindow: String?
        public let staff: String?
        public let outcome: String?
        public let dossierCode: String?
        public let createdAt: Date
    }

    static let columns = """
        r.id, r.ref, r.account_id, r.requester_name, r.requester_phone, r.requester_email, r.on_behalf_of,
        r.province_code, p.name AS province_name, r.address, r.procedure_code, t.name AS procedure_name, r.reason,
        r.urgency, r.state, r.visit_date, r.visit_window, r.staff, r.outcome, d.code AS dossier_code, r.created_at
        """
    static let joins = """
        FROM home_support_requests r JOIN provinces p ON p.code = r.province_code
        LEFT JOIN procedures t ON t.code = r.procedure_code LEFT JOIN dossiers d ON d.id = r.dossier_id
        """

    static func request(_ row: any SQLRow) throws -> Request {
        Request(
            id: try row.decode(column: "id", as: Int64.self), ref: try row.decode(column: "ref", as: String.self),
            accountID: try row.decode(column: "account_id", as: Int64?.self),
            requesterName: try row.decode(column: "requester_name", as: String.self),
            requesterPhone: try row.decode(column: "requester_phone", as: String.self),
            requesterEmail: try row.decode(column: "requester_email", as: String?.self),
            onBehalfOf: try row.decode(column: "on_behalf_of", as: String?.self),
            provinceCode: try row.decode(column: "province_code", as: String.self),
            provinceName: try row.decode(column: "province_name", as: String.self),
            address: try row.decode(column: "address", as: String.self),
            procedureCode: try row.decode(column: "procedure_code", as: String?.self),
            procedureName: try row.decode(column: "procedure_name", as: String?.self),
            reason: try row.decode(column: "reason", as: String.self),
            urgency: Urgency(rawValue: try row.decode(column: "urgency", as: String.self)) ?? .normal,
            state: State(rawValue: try row.decode(column: "state", as: String.self)) ?? .new,
            visitDate: try row.decode(column: "visit_date", as: String?.self),
            visitWindow: try row.decode(column: "visit_window", as: String?.self),
            staff: try row.decode(column: "staff", as: String?.self),
            outcome: try row.decode(column: "outcome", as: String?.self),
            dossierCode: try row.decode(column: "dossier_code", as: String?.self),
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)))
    }

    /// Records a request and tells the requester; returns its reference.
    public func submit(_ submission: Submission, now: Date = Date()) async throws -> String {
        let ref = SessionStore.randomToken()
        try await database.transaction { db in
            try await db.insert(into: "home_support_requests")
                .columns(
                    "ref", "account_id", "requester_name", "requester_phone", "requester_email", "on_behalf_of",
                    "province_code", "address", "procedure_code", "reason", "urgency", "state", "created_at",
                    "updated_at"
                )
                .values(
                    SQLBind(ref), SQLBind(submission.accountID), SQLBind(submission.requesterName),
                    SQLBind(submission.requesterPhone), SQLBind(submission.requesterEmail),
                    SQLBind(submission.onBehalfOf), SQLBind(submission.provinceCode), SQLBind(submission.address),
                    SQLBind(submission.procedureCode), SQLBind(submission.reason),
                    SQLBind(submission.urgency.rawValue), SQLBind(State.new.rawValue),
                    SQLBind(now.epochMilliseconds), SQLBind(now.epochMilliseconds)
                )
                .run()
            try await tell(
                accountID: submission.accountID, phone: submission.requesterPhone, email: submission.requesterEmail,
                vi: "Đã nhận yêu cầu hỗ trợ tại nhà của bạn. Cán bộ sẽ liên hệ để hẹn lịch.",
                en: "Your request for home support was received. An officer will call to arrange a visit.",
                at: now, on: db)
        }
        return ref
    }

    /// Tells the requester on every channel they gave.
    func tell(
        accountID: Int64?, phone: String, email: String?, vi: String, en: String, at: Date, on db: any SQLDatabase
    ) async throws {
        try await Notifications.tell(
            accountID: accountID, phone: phone, email: email, subject: "Cổng Dịch vụ công: hỗ trợ tại nhà", vi: vi,
            en: en, at: at, jobs: jobs, on: db)
    }

    /// One request by the requester's reference.
    public func request(ref: String) async throws -> Request? {
        guard ref.count == 32, ref.allSatisfy(\.isHexDigit) else { return nil }
        return try await database.sql.raw(
            "SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins) WHERE r.ref = \(bind: ref)"
        ).first().map(Self.request)
    }

    /// One request in a province (the officer's locality).
    public func request(id: Int64, provinceCode: String) async throws -> Request? {
        try await database.sql.raw(
            """
            SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins)
            WHERE r.id = \(bind: id) AND r.province_code = \(bind: provinceCode)
            """
        ).first().map(Self.request)
    }

    /// A province's queue: the most urgent first, then the oldest.
    public func queue(provinceCode: String, state: State?, limit: Int = 50, offset: Int = 0) async throws -> (
        items: [Request], total: Int
    ) {
        var filter: SQLQueryString = "WHERE r.province_code = \(bind: provinceCode)"
        if let state { filter = filter + " AND r.state = \(bind: state.rawValue)" }
        let items = try await database.sql.raw(
            """
            SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins) \(filter)
            ORDER BY CASE r.state WHEN 'new' THEN 0 WHEN 'scheduled' THEN 1 ELSE 2 END,
            CASE r.urgency WHEN 'emergency' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END, r.created_at, r.id
            LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all().map(Self.request)
        let total =
            try await database.sql.raw("SELECT COUNT(*) AS n \(unsafeRaw: Self.joins) \(filter)").first()?.decode(
                column: "n", as: Int.self) ?? 0
        return (items, total)
    }

    /// The province an officer's agency serves, which decides their queue.
    public func province(ofAgency code: String) async throws -> String? {
        try await database.sql.raw("SELECT province_code FROM agencies WHERE code = \(bind: code)").first()?
            .decode(column: "province_code", as: String?.self)
    }

    /// Schedules (or moves) the visit of an open request and tells the requester.
    public func schedule(
        id: Int64, provinceCode: String, date: LocalDate, window: String, staff: String, officerID: Int64,
        now: Date = Date()
    ) async throws {
        try await database.transaction { db in
            guard
                let row = try await db.update("home_support_requests")
                    .set("state", to: State.scheduled.rawValue).set("visit_date", to: date.description)
                    .set("visit_window", to: window).set("staff", to: staff).set("handled_by", to: officerID)
                    .set("updated_at", to: now.epochMilliseconds)
                    .where("id", .equal, id).where("province_code", .equal, provinceCode)
                    .where("state", .in, [State.new.rawValue, State.scheduled.rawValue])
                    .returning("account_id", "requester_phone", "requester_email").first()
            else { throw HomeSupportError.notOpen }
            let day = String(format: "%02d/%02d/%04d", date.day, date.month, date.year)
            try await tell(
                accountID: try row.decode(column: "account_id", as: Int64?.self),
                phone: try row.decode(column: "requester_phone", as: String.self),
                email: try row.decode(column: "requester_email", as: String?.self),
                vi: "Lịch hỗ trợ tại nhà: ngày \(day), \(window). Cán bộ: \(staff).",
                en: "Home support visit: \(date.description), \(window). Staff: \(staff).", at: now, on: db)
        }
    }

    /// Records the visit's outcome; with `receive`, the dossier handed over is received on the spot and gets its
    /// code. Returns that code.
    public func complete(
        id: Int64, provinceCode: String, outcome: String, receive: (procedureCode: String, agencyCode: String)?,
        officer: DossierStore.Actor, processingTime: ProcessingTime?, calendar: WorkingCalendar, now: Date = Date()
    ) async throws -> String? {
        try await database.transaction { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins)
                    WHERE r.id = \(bind: id) AND r.province_code = \(bind: provinceCode)
                    """
                ).first()
            else { throw HomeSupportError.notOpen }
            let request = try Self.request(row)
            guard request.state == .new || request.state == .scheduled else { throw HomeSupportError.notOpen }
            var dossierID: Int64?
            var code: String?
            if let receive {
                let applicant = Applicant(
                    accountType: "citizen", fullName: request.onBehalfOf ?? request.requesterName, personalID: nil,
                    taxCode: nil, birthDate: nil, sex: nil, phone: request.requesterPhone,
                    email: request.requesterEmail, provinceName: request.provinceName, communeName: nil)
                let received = try await DossierStore.receiveInPerson(
                    procedureCode: receive.procedureCode, agencyCode: receive.agencyCode,
                    applicantID: request.accountID, applicant: applicant, officer: officer,
                    note: "Tiếp nhận khi hỗ trợ tại nhà", processingTime: processingTime, calendar: calendar, at: now,
                    on: db)
                dossierID = received.id
                code = received.code
            }
            try await db.update("home_support_requests")
                .set("state", to: State.done.rawValue).set("outcome", to: outcome).set("dossier_id", to: dossierID)
                .set("handled_by", to: officer.accountID).set("updated_at", to: now.epochMilliseconds)
                .where("id", .equal, id).run()
            let vi =
                code.map { "Đã hỗ trợ tại nhà. Hồ sơ của bạn đã được tiếp nhận, mã hồ sơ \($0)." }
                ?? "Đã hỗ trợ tại nhà: \(outcome)"
            let en =
                code.map { "Home support done. Your dossier was received: code \($0)." }
                ?? "Home support done: \(outcome)"
            try await tell(
                accountID: request.accountID, phone: request.requesterPhone, email: request.requesterEmail, vi: vi,
                en: en, at: now, on: db)
            return code
        }
    }
}

/// Why a home-support step could not be taken.
public enum HomeSupportError: Error, Sendable, Equatable {
    /// No open request with this id in the officer's province.
    case notOpen
}
