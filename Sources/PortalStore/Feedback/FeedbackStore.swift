import Foundation
import PortalCore
import SQLKit

/// Feedback and petitions (phản ánh kiến nghị): anyone sends feedback about a procedure, an agency or a dossier;
/// it goes to the queue of the agency concerned (or the portal's own desk when no agency is known); officers
/// answer and the sender is told; an answer can be published with personal data removed, and published answers
/// are searchable without accents.
public struct FeedbackStore: Sendable {
    let database: Database
    let jobs: JobQueue

    /// Feedback on the portal database.
    public init(database: Database) {
        self.database = database
        jobs = JobQueue(database: database)
    }

    public enum Topic: String, Sendable, Hashable, CaseIterable {
        case procedure, agency, dossier, other
    }

    public enum State: String, Sendable, Hashable, CaseIterable {
        case new, answered
    }

    /// What the sender sends. Who it is about has been checked by the caller (the codes exist).
    public struct Submission: Sendable, Hashable {
        public var accountID: Int64?
        public var senderName: String
        public var senderPhone: String?
        public var senderEmail: String?
        public var topic: Topic
        public var procedureCode: String?
        public var agencyCode: String?
        public var dossierCode: String?
        public var title: String
        public var body: String

        public init(
            accountID: Int64?, senderName: String, senderPhone: String?, senderEmail: String?, topic: Topic,
            procedureCode: String?, agencyCode: String?, dossierCode: String?, title: String, body: String
        ) {
            self.accountID = accountID
            self.senderName = senderName
            self.senderPhone = senderPhone
            self.senderEmail = senderEmail
            self.topic = topic
            self.procedureCode = procedureCode
            self.agencyCode = agencyCode
            self.dossierCode = dossierCode
            self.title = title
            self.body = body
        }
    }

    /// One piece of feedback as the sender and the officers see it.
    public struct Item: Sendable, Hashable {
        public let id: Int64
        public let ref: String
        public let accountID: Int64?
        public let senderName: String
        public let senderPhone: String?
        public let senderEmail: String?
        public let topic: Topic
        public let procedureCode: String?
        public let procedureName: String?
        public let agencyCode: String?
        public let agencyName: String?
        public let dossierCode: String?
        public let title: String
        public let body: String
        public let state: State
        public let answer: String?
        public let answeredAt: Date?
        public let publishedAt: Date?
        public let createdAt: Date
    }

    /// A published question and its answer, without personal data.
    public struct Published: Sendable, Hashable {
        public let id: Int64
        public let title: String
        public let question: String
        public let answer: String
        public let agencyName: String?
        public let procedureCode: String?
        public let procedureName: String?
        public let publishedAt: Date
    }

    static let columns = """
        f.id, f.ref, f.account_id, f.sender_name, f.sender_phone, f.sender_email, f.topic, f.procedure_code,
        t.name AS procedure_name, f.agency_code, a.name AS agency_name, d.code AS dossier_code, f.title, f.body,
        f.state, f.answer, f.answered_at, f.published_at, f.created_at
        """
    static let joins = """
        FROM feedback f LEFT JOIN procedures t ON t.code = f.procedure_code
        LEFT JOIN agencies a ON a.code = f.agency_code LEFT JOIN dossiers d ON d.id = f.dossier_id
        """

    static func item(_ row: any SQLRow) throws -> Item {
        Item(
            id: try row.decode(column: "id", as: Int64.self), ref: try row.decode(column: "ref", as: String.self),
            accountID: try row.decode(column: "account_id", as: Int64?.self),
            senderName: try row.decode(column: "sender_name", as: String.self),
            senderPhone: try row.decode(column: "sender_phone", as: String?.self),
            senderEmail: try row.decode(column: "sender_email", as: String?.self),
            topic: Topic(rawValue: try row.decode(column: "topic", as: String.self)) ?? .other,
            procedureCode: try row.decode(column: "procedure_code", as: String?.self),
            procedureName: try row.decode(column: "procedure_name", as: String?.self),
            agencyCode: try row.decode(column: "agency_code", as: String?.self),
            agencyName: try row.decode(column: "agency_name", as: String?.self),
            dossierCode: try row.decode(column: "dossier_code", as: String?.self),
            title: try row.decode(column: "title", as: String.self),
            body: try row.decode(column: "body", as: String.self),
            state: State(rawValue: try row.decode(column: "state", as: String.self)) ?? .new,
            answer: try row.decode(column: "answer", as: String?.self),
            answeredAt: try row.decode(column: "answered_at", as: Int64?.self).map(Date.init(epochMilliseconds:)),
            publishedAt: try row.decode(column: "published_at", as: Int64?.self).map(Date.init(epochMilliseconds:)),
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)))
    }

    /// Records feedback, routes it and tells the sender; returns the sender's reference. The agency is the one
    /// named, else the dossier's, else the procedure's first implementing agency; with none it goes to the portal's
    /// own desk (its administrators).
    public func submit(_ submission: Submission, now: Date = Date()) async throws -> String {
        let ref = SessionStore.randomToken()
        try await database.transaction { db in
            var agency = submission.agencyCode
            var dossierID: Int64?
            if let code = submission.dossierCode,
                let row = try await db.raw("SELECT id, agency_code FROM dossiers WHERE code = \(bind: code)").first()
            {
                dossierID = try row.decode(column: "id", as: Int64.self)
                if agency == nil { agency = try row.decode(column: "agency_code", as: String?.self) }
            }
            if agency == nil, let code = submission.procedureCode,
                let row = try await db.raw("SELECT agency_codes FROM procedures WHERE code = \(bind: code)").first()
            {
                let codes = try row.decode(column: "agency_codes", as: String.self)
                agency = codes.split(separator: ",").first.map(String.init)
                if let candidate = agency,
                    try await db.raw("SELECT code FROM agencies WHERE code = \(bind: candidate)").first() == nil
                {
                    agency = nil
                }
            }
            try await db.insert(into: "feedback")
                .columns(
                    "ref", "account_id", "sender_name", "sender_phone", "sender_email", "topic", "procedure_code",
                    "agency_code", "dossier_id", "title", "body", "state", "created_at", "updated_at"
                )
                .values(
                    SQLBind(ref), SQLBind(submission.accountID), SQLBind(submission.senderName),
                    SQLBind(submission.senderPhone), SQLBind(submission.senderEmail),
                    SQLBind(submission.topic.rawValue), SQLBind(submission.procedureCode), SQLBind(agency),
                    SQLBind(dossierID), SQLBind(submission.title), SQLBind(submission.body),
                    SQLBind(State.new.rawValue), SQLBind(now.epochMilliseconds), SQLBind(now.epochMilliseconds)
                )
                .run()
            try await Notifications.tell(
                accountID: submission.accountID, phone: submission.senderPhone, email: submission.senderEmail,
                subject: "Cổng Dịch vụ công: phản ánh, kiến nghị",
                vi: "Đã nhận phản ánh, kiến nghị \"\(submission.title)\". Bạn sẽ được báo khi có trả lời.",
                en: "Your feedback \"\(submission.title)\" was received. You will be told when it is answered.",
                at: now, jobs: jobs, on: db)
        }
        return ref
    }

    /// One piece of feedback by the sender's reference.
    public func item(ref: String) async throws -> Item? {
        guard ref.count == 32, ref.allSatisfy(\.isHexDigit) else { return nil }
        return try await database.sql.raw(
            "SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins) WHERE f.ref = \(bind: ref)"
        )
        .first().map(Self.item)
    }

    /// Which queue a member of staff works on: one agency's, or the portal desk (everything, for the portal's
    /// administrators).
    public enum Desk: Sendable, Hashable {
        case agency(String)
        case portal
    }

    static func filter(_ desk: Desk) -> SQLQueryString {
        switch desk {
        case .agency(let code): "WHERE f.agency_code = \(bind: code)"
        case .portal: "WHERE 1 = 1"
        }
    }

    /// One piece of feedback on a desk.
    public func item(id: Int64, desk: Desk) async throws -> Item? {
        try await Self.item(id: id, desk: desk, on: database.sql)
    }

    /// The names that must not be published with an item: its sender's and, when it is about a dossier, the
    /// dossier's applicant's.
    public func personalNames(of item: Item) async throws -> [String] {
        try await Self.personalNames(of: item, on: database.sql)
    }

    static func personalNames(of item: Item, on db: any SQLDatabase) async throws -> [String] {
        var names = [item.senderName]
        if let code = item.dossierCode,
            let row = try await db.raw("SELECT applicant FROM dossiers WHERE code = \(bind: code)").first()
        {
            names.append(
                try DossierStore.decode(Applicant.self, try row.decode(column: "applicant", as: String.self)).fullName)
        }
        return names
    }

    static func item(id: Int64, desk: Desk, on db: any SQLDatabase) async throws -> Item? {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins) \(Self.filter(desk)) AND f.id = \(bind: id)"
        ).first().map(Self.item)
    }

    /// A desk's queue: unanswered first, oldest first.
    public func queue(desk: Desk, state: State?, limit: Int = 50, offset: Int = 0) async throws -> (
        items: [Item], total: Int
    ) {
        var filter = Self.filter(desk)
        if let state { filter = filter + " AND f.state = \(bind: state.rawValue)" }
        let items = try await database.sql.raw(
            """
            SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins) \(filter)
            ORDER BY CASE f.state WHEN 'new' THEN 0 ELSE 1 END, f.created_at, f.id
            LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all().map(Self.item)
        let total =
            try await database.sql.raw("SELECT COUNT(*) AS n \(unsafeRaw: Self.joins) \(filter)").first()?.decode(
                column: "n", as: Int.self) ?? 0
        return (items, total)
    }

    /// Answers (or corrects the answer to) feedback on a desk and tells the sender.
    public func answer(id: Int64, desk: Desk, text: String, officerID: Int64, now: Date = Date()) async throws {
        try await database.transaction { db in
            var update: SQLQueryString = """
                UPDATE feedback SET state = \(bind: State.answered.rawValue), answer = \(bind: text),
                answered_by = \(bind: officerID), answered_at = \(bind: now.epochMilliseconds),
                updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id)
                """
            if case .agency(let code) = desk { update = update + " AND agency_code = \(bind: code)" }
            guard
                let row = try await db.raw(update + " RETURNING ref, account_id, sender_phone, sender_email, title")
                    .first()
            else { throw FeedbackError.notFound }
            let title = try row.decode(column: "title", as: String.self)
            try await Notifications.tell(
                accountID: try row.decode(column: "account_id", as: Int64?.self),
                phone: try row.decode(column: "sender_phone", as: String?.self),
                email: try row.decode(column: "sender_email", as: String?.self),
                subject: "Cổng Dịch vụ công: trả lời phản ánh, kiến nghị",
                vi: "Phản ánh, kiến nghị \"\(title)\" đã có trả lời: \(text)",
                en: "Your feedback \"\(title)\" has been answered: \(text)", at: now, jobs: jobs, on: db)
        }
    }

    /// Publishes an answered piece of feedback: the title, question and answer given (the officer's edit), with
    /// personal data removed again here (the sender's name, the dossier's applicant, numbers and e-mail addresses),
    /// so nothing personal reaches the public whatever was typed. Returns the published texts.
    @discardableResult
    public func publish(
        id: Int64, desk: Desk, title: String, question: String, answer: String, now: Date = Date()
    ) async throws -> (title: String, question: String, answer: String) {
        try await database.transaction { db in
            guard let item = try await Self.item(id: id, desk: desk, on: db) else { throw FeedbackError.notFound }
            guard item.state == .answered else { throw FeedbackError.notAnswered }
            let names = try await Self.personalNames(of: item, on: db)
            let texts = (
                title: PersonalDataRedaction.redact(title, names: names),
                question: PersonalDataRedaction.redact(question, names: names),
                answer: PersonalDataRedaction.redact(answer, names: names)
            )
            let search = Self.searchText([texts.title, texts.question, texts.answer].joined(separator: " "))
            try await db.raw(
                """
                UPDATE feedback SET published_title = \(bind: texts.title),
                published_question = \(bind: texts.question), published_answer = \(bind: texts.answer),
                published_search = \(bind: search), published_at = \(bind: now.epochMilliseconds),
                updated_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id)
                """
            ).run()
            return texts
        }
    }

    /// Takes a published answer down.
    public func unpublish(id: Int64, desk: Desk, now: Date = Date()) async throws {
        var update: SQLQueryString = """
            UPDATE feedback SET published_title = NULL, published_question = NULL, published_answer = NULL,
            published_search = NULL, published_at = NULL, updated_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: id)
            """
        if case .agency(let code) = desk { update = update + " AND agency_code = \(bind: code)" }
        try await database.sql.raw(update).run()
    }

    static let publishedColumns = """
        f.id, f.published_title, f.published_question, f.published_answer, a.name AS agency_name, f.procedure_code,
        t.name AS procedure_name, f.published_at
        """

    static func published(_ row: any SQLRow) throws -> Published {
        Published(
            id: try row.decode(column: "id", as: Int64.self),
            title: try row.decode(column: "published_title", as: String.self),
            question: try row.decode(column: "published_question", as: String.self),
            answer: try row.decode(column: "published_answer", as: String.self),
            agencyName: try row.decode(column: "agency_name", as: String?.self),
            procedureCode: try row.decode(column: "procedure_code", as: String?.self),
            procedureName: try row.decode(column: "procedure_name", as: String?.self),
            publishedAt: Date(epochMilliseconds: try row.decode(column: "published_at", as: Int64.self)))
    }

    /// The folded words of a text.
    static func words(_ text: String) -> [String] {
        VietnameseText.fold(text).split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    /// What published answers are searched in: their folded words between spaces, so that a word is found from its
    /// start (`khai si` finds `khai sinh` while it is typed).
    static func searchText(_ text: String) -> String {
        " " + words(text).joined(separator: " ") + " "
    }

    /// The words of a query as LIKE patterns matching the start of a word (at most eight).
    static func terms(_ query: String) -> [String] {
        var seen = Set<String>()
        return words(query).filter { seen.insert($0).inserted }.prefix(8).map { "% \($0)%" }
    }

    /// Published answers, newest first; with a query, those matching the most of its words first (accents and
    /// case ignored).
    public func published(query: String = "", limit: Int = 20, offset: Int = 0) async throws -> (
        items: [Published], total: Int
    ) {
        let terms = Self.terms(query)
        var score: SQLQueryString = "0"
        for term in terms { score = score + " + CASE WHEN f.published_search LIKE \(bind: term) THEN 1 ELSE 0 END" }
        let base: SQLQueryString = """
            FROM feedback f LEFT JOIN procedures t ON t.code = f.procedure_code
            LEFT JOIN agencies a ON a.code = f.agency_code WHERE f.published_at IS NOT NULL
            """
        let matching: SQLQueryString = terms.isEmpty ? "" : " AND (" + score + ") > 0"
        let items = try await database.sql.raw(
            "SELECT \(unsafeRaw: Self.publishedColumns), (" + score + ") AS score " + base + matching
                + " ORDER BY score DESC, f.published_at DESC, f.id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)"
        ).all().map(Self.published)
        let total =
            try await database.sql.raw("SELECT COUNT(*) AS n " + base + matching).first()?.decode(
                column: "n", as: Int.self) ?? 0
        return (items, total)
    }

    /// One published answer.
    public func published(id: Int64) async throws -> Published? {
        try await database.sql.raw(
            """
            SELECT \(unsafeRaw: Self.publishedColumns) FROM feedback f
            LEFT JOIN procedures t ON t.code = f.procedure_code LEFT JOIN agencies a ON a.code = f.agency_code
            WHERE f.id = \(bind: id) AND f.published_at IS NOT NULL
            """
        ).first().map(Self.published)
    }
}

/// Why a feedback step could not be taken.
public enum FeedbackError: Error, Sendable, Equatable {
    /// No such feedback on this desk.
    case notFound
    /// Only answered feedback can be published.
    case notAnswered
}
