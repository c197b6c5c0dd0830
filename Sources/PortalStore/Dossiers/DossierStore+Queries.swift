import Foundation
import PortalCore
import SQLKit

extension DossierStore {
    /// A dossier by its URL reference, with its events and files.
    public func dossier(ref: String) async throws -> Dossier? {
        guard ref.count == 32, ref.allSatisfy(\.isHexDigit) else { return nil }
        return try await Self.load(where: ("d.ref = \(bind: ref)" as SQLQueryString), on: database.sql)
    }

    /// A submitted dossier by its official code, with its events and files.
    public func dossier(code: String) async throws -> Dossier? {
        try await Self.load(where: ("d.code = \(bind: code)" as SQLQueryString), on: database.sql)
    }

    /// What the public lookup shows of a submitted dossier: no applicant, no notes.
    public struct PublicStatus: Sendable, Hashable {
        public let code: String
        public let procedureCode: String
        public let procedureName: String
        public let agencyCode: String
        public let agencyName: String
        public let status: DossierStatus
        public let receivedAt: Date?
        public let dueAt: Date?
        /// Every recorded status with its time, in order (late ones included).
        public let timeline: [Step]

        public struct Step: Sendable, Hashable {
            public let status: DossierStatus
            public let at: Date
        }
    }

    /// The public facts of a submitted dossier by its code, in one query (the lookup is the portal's busiest
    /// page).
    public func publicStatus(code: String) async throws -> PublicStatus? {
        let rows = try await database.sql.raw(
            """
            SELECT d.code, d.procedure_code, p.name AS procedure_name, d.agency_code, g.name AS agency_name, d.status,
            d.received_at, d.due_at, e.status AS event_status, e.at AS event_at
            FROM dossiers d JOIN procedures p ON p.code = d.procedure_code JOIN agencies g ON g.code = d.agency_code
            LEFT JOIN dossier_events e ON e.dossier_id = d.id
            WHERE d.code = \(bind: code) AND d.status IS NOT NULL ORDER BY e.at, e.id
            """
        ).all()
        guard let first = rows.first,
            let status = DossierStatus(rawValue: try first.decode(column: "status", as: Int.self))
        else { return nil }
        func date(_ row: any SQLRow, _ column: String) throws -> Date? {
            try row.decode(column: column, as: Int64?.self).map(Date.init(epochMilliseconds:))
        }
        let timeline = try rows.compactMap { row -> PublicStatus.Step? in
            guard let raw = try row.decode(column: "event_status", as: Int?.self), let at = try date(row, "event_at")
            else { return nil }
            return PublicStatus.Step(status: DossierStatus(rawValue: raw) ?? .submitted, at: at)
        }
        return PublicStatus(
            code: try first.decode(column: "code", as: String.self),
            procedureCode: try first.decode(column: "procedure_code", as: String.self),
            procedureName: try first.decode(column: "procedure_name", as: String.self),
            agencyCode: try first.decode(column: "agency_code", as: String.self),
            agencyName: try first.decode(column: "agency_name", as: String.self), status: status,
            receivedAt: try date(first, "received_at"), dueAt: try date(first, "due_at"), timeline: timeline)
    }

    /// The dossier a payment attempt (by its gateway order id) is for.
    public func dossier(paymentOrder order: String) async throws -> Dossier? {
        try await Self.load(
            where: """
                d.id = (SELECT o.dossier_id FROM payments p JOIN payment_obligations o ON o.id = p.obligation_id
                WHERE p.order_id = \(bind: order))
                """ as SQLQueryString, on: database.sql)
    }

    /// One line of a dossier list.
    public struct Summary: Sendable, Hashable {
        public let ref: String
        public let code: String?
        public let procedureCode: String
        public let procedureName: String
        public let agencyName: String
        public let applicantName: String
        public let status: DossierStatus?
        public let submittedAt: Date?
        public let dueAt: Date?
        public let updatedAt: Date
        public let version: Int
    }

    /// A page of a list, with the total for the pager.
    public struct SummaryPage: Sendable {
        public let items: [Summary]
        public let total: Int
        public let page: Int
        public let perPage: Int
    }

    /// The applicant's own dossiers, drafts included, most recently changed first.
    public func list(applicantID: Int64, page: Int = 1, perPage: Int = 20) async throws -> SummaryPage {
        try await summaries(
            where: ("d.applicant_id = \(bind: applicantID)" as SQLQueryString), order: "d.updated_at DESC, d.id DESC",
            page: page, perPage: perPage)
    }

    /// What an officer's inbox shows.
    public struct InboxFilter: Sendable, Hashable {
        public var status: DossierStatus?
        public var procedureCode: String?
        /// `soon` (due within two days) or `overdue`.
        public var due: String?
        /// `due` (earliest due first, the default) or `recent`.
        public var sort: String

        /// A filter; every part optional.
        public init(
            status: DossierStatus? = nil, procedureCode: String? = nil, due: String? = nil, sort: String = "due"
        ) {
            self.status = status
            self.procedureCode = procedureCode
            self.due = due
            self.sort = sort
        }
    }

    /// The submitted dossiers of an agency, filtered, sorted and paginated. Drafts are never shown.
    public func inbox(
        agencyCode: String, filter: InboxFilter, page: Int = 1, perPage: Int = 20, now: Date = Date()
    ) async throws -> SummaryPage {
        // Dossiers an agency's own system reported are handled there, not in the portal's workspace.
        var condition: SQLQueryString =
            "d.agency_code = \(bind: agencyCode) AND d.status IS NOT NULL AND d.origin = 'portal'"
        if let status = filter.status { condition += " AND d.status = \(bind: status.rawValue)" }
        if let code = filter.procedureCode { condition += " AND d.procedure_code = \(bind: code)" }
        let nowMs = now.epochMilliseconds
        switch filter.due {
        case "overdue":
            condition += " AND d.status IN (1, 2, 4, 5, 6) AND d.due_at < \(bind: nowMs)"
        case "soon":
            condition += " AND d.status IN (1, 2, 4, 5, 6) AND d.due_at >= \(bind: nowMs)"
            condition += " AND d.due_at < \(bind: nowMs + 2 * 86_400_000)"
        default: break
        }
        let order =
            filter.sort == "recent"
            ? "d.updated_at DESC, d.id DESC" : "CASE WHEN d.due_at IS NULL THEN 1 ELSE 0 END, d.due_at, d.id"
        return try await summaries(where: condition, order: order, page: page, perPage: perPage)
    }

    func summaries(where condition: some SQLExpression, order: String, page: Int, perPage: Int) async throws
        -> SummaryPage
    {
        let offset = max(0, (page - 1) * perPage)
        let total =
            try await database.sql.raw("SELECT COUNT(*) AS n FROM dossiers d WHERE \(condition)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        let rows = try await database.sql.raw(
            """
            SELECT d.ref, d.code, d.procedure_code, p.name AS procedure_name, g.name AS agency_name, d.applicant,
                d.status, d.submitted_at, d.due_at, d.updated_at, d.version
            FROM dossiers d JOIN procedures p ON p.code = d.procedure_code JOIN agencies g ON g.code = d.agency_code
            WHERE \(condition) ORDER BY \(unsafeRaw: order) LIMIT \(bind: perPage) OFFSET \(bind: offset)
            """
        ).all()
        let items = try rows.map { row in
            let applicant = try Self.decode(Applicant.self, try row.decode(column: "applicant", as: String.self))
            return Summary(
                ref: try row.decode(column: "ref", as: String.self),
                code: try row.decode(column: "code", as: String?.self),
                procedureCode: try row.decode(column: "procedure_code", as: String.self),
                procedureName: try row.decode(column: "procedure_name", as: String.self),
                agencyName: try row.decode(column: "agency_name", as: String.self),
                applicantName: applicant.fullName,
                status: try row.decode(column: "status", as: Int?.self).flatMap(DossierStatus.init(rawValue:)),
                submittedAt: try row.decode(column: "submitted_at", as: Int64?.self).map(Date.init(epochMilliseconds:)),
                dueAt: try row.decode(column: "due_at", as: Int64?.self).map(Date.init(epochMilliseconds:)),
                updatedAt: Date(epochMilliseconds: try row.decode(column: "updated_at", as: Int64.self)),
                version: try row.decode(column: "version", as: Int.self))
        }
        return SummaryPage(items: items, total: total, page: page, perPage: perPage)
    }

    /// Loads one dossier with its events and files.
    static func load(where condition: some SQLExpression, on db: any SQLDatabase) async throws -> Dossier? {
        guard
            let row = try await db.raw(
                """
                SELECT d.*, p.name AS procedure_name, g.name AS agency_name
                FROM dossiers d JOIN procedures p ON p.code = d.procedure_code JOIN agencies g ON g.code = d.agency_code
                WHERE \(condition)
                """
            ).first()
        else { return nil }
        func date(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Int64?.self).map(Date.init(epochMilliseconds:))
        }
        let id = try row.decode(column: "id", as: Int64.self)
        let events = try await db.raw(
            """
            SELECT status, at, actor, actor_account_id, note, source, applied FROM dossier_events
            WHERE dossier_id = \(bind: id) ORDER BY at, id
            """
        ).all().map { event in
            DossierStoredEvent(
                event: DossierEvent(
                    status: DossierStatus(rawValue: try event.decode(column: "status", as: Int.self)) ?? .submitted,
                    at: Date(epochMilliseconds: try event.decode(column: "at", as: Int64.self)),
                    actor: DossierActorKind(rawValue: try event.decode(column: "actor", as: String.self)) ?? .system,
                    note: try event.decode(column: "note", as: String?.self),
                    source: DossierEventSource(rawValue: try event.decode(column: "source", as: String.self)) ?? .portal
                ),
                accountID: try event.decode(column: "actor_account_id", as: Int64?.self),
                applied: try event.decode(column: "applied", as: Int.self) != 0)
        }
        let files = try await db.raw(
            """
            SELECT id, purpose, slot, name, sha256, size, kind, created_at FROM dossier_files
            WHERE dossier_id = \(bind: id) ORDER BY id
            """
        ).all().map { file in
            DossierFile(
                id: try file.decode(column: "id", as: Int64.self),
                purpose: DossierFilePurpose(rawValue: try file.decode(column: "purpose", as: String.self))
                    ?? .application,
                slot: try file.decode(column: "slot", as: Int.self),
                name: try file.decode(column: "name", as: String.self),
                sha256: try file.decode(column: "sha256", as: String.self),
                size: try file.decode(column: "size", as: Int.self),
                kind: try file.decode(column: "kind", as: String.self),
                createdAt: Date(epochMilliseconds: try file.decode(column: "created_at", as: Int64.self)))
        }
        var dossier = Dossier(
            id: id, ref: try row.decode(column: "ref", as: String.self),
            code: try row.decode(column: "code", as: String?.self),
            procedureCode: try row.decode(column: "procedure_code", as: String.self),
            procedureName: try row.decode(column: "procedure_name", as: String.self),
            agencyCode: try row.decode(column: "agency_code", as: String.self),
            agencyName: try row.decode(column: "agency_name", as: String.self),
            applicantID: try row.decode(column: "applicant_id", as: Int64?.self),
            status: try row.decode(column: "status", as: Int?.self).flatMap(DossierStatus.init(rawValue:)),
            applicant: try decode(Applicant.self, try row.decode(column: "applicant", as: String.self)),
            form: try decode([String: String].self, try row.decode(column: "form", as: String.self)),
            clock: try row.decode(column: "clock", as: String?.self).map { try decode(LegalClock.self, $0) },
            submittedAt: try date("submitted_at"), receivedAt: try date("received_at"), dueAt: try date("due_at"),
            finishedAt: try date("finished_at"), rating: try row.decode(column: "rating", as: Int?.self),
            ratingComment: try row.decode(column: "rating_comment", as: String?.self),
            version: try row.decode(column: "version", as: Int.self),
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(epochMilliseconds: try row.decode(column: "updated_at", as: Int64.self)),
            events: events, files: files)
        dossier.origin = try row.decode(column: "origin", as: String.self)
        return dossier
    }

    /// The form of a procedure: the administrator's version when there is one, else the default.
    public func formSchema(for procedure: Procedure) async throws -> DossierFormSchema {
        if let row = try await database.sql.raw(
            "SELECT schema FROM procedure_forms WHERE procedure_code = \(bind: procedure.code)"
        ).first() {
            return try Self.decode(DossierFormSchema.self, try row.decode(column: "schema", as: String.self))
        }
        return .standard(for: procedure)
    }

    /// Replaces the form of a procedure (administrators).
    public func saveFormSchema(_ schema: DossierFormSchema, procedureCode: String, now: Date = Date()) async throws {
        let text = try Self.encode(schema)
        try await database.sql.raw(
            """
            INSERT INTO procedure_forms (procedure_code, schema, updated_at)
            VALUES (\(bind: procedureCode), \(bind: text), \(bind: now.epochMilliseconds))
            ON CONFLICT (procedure_code) DO UPDATE SET schema = excluded.schema, updated_at = excluded.updated_at
            """
        ).run()
    }
}

extension DossierStore {
    /// Whether no dossier file refers to this content (so its blob may be deleted).
    public func isUnreferenced(sha256: String) async throws -> Bool {
        try await Self.unreferenced([sha256], on: database.sql).count == 1
    }
}

extension DossierStore {
    /// Which of these hashes some dossier file still refers to.
    public func referencedHashes(_ hashes: [String]) async throws -> Set<String> {
        guard !hashes.isEmpty else { return [] }
        let rows = try await database.sql.raw(
            "SELECT DISTINCT sha256 FROM dossier_files WHERE sha256 IN (\(binds: hashes))"
        ).all()
        return Set(try rows.map { try $0.decode(column: "sha256", as: String.self) })
    }
}
