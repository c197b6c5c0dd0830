import Foundation
import PortalCore
import SQLKit

/// Stores dossiers and makes every change to them through the domain rules: the state machine decides whether a
/// change is allowed, the deadline calculator runs the legal clock, and each change writes its event, the
/// applicant's notification, the outbox message and the access-log record in one transaction.
public struct DossierStore: Sendable {
    let database: Database
    let jobs: JobQueue

    /// A store on the portal database.
    public init(database: Database) {
        self.database = database
        self.jobs = JobQueue(database: database)
    }

    /// Who acts on a dossier, for the event and the access log.
    public struct Actor: Sendable, Hashable {
        public let accountID: Int64
        /// The account's role: `citizen`, `business`, `officer`, `agency_admin`, `admin`.
        public let role: String

        /// Creates an actor.
        public init(accountID: Int64, role: String) {
            self.accountID = accountID
            self.role = role
        }
    }

    // MARK: Drafts

    /// Starts a draft of `procedure` at `agencyCode` for an applicant; returns its reference.
    public func createDraft(
        procedureCode: String, agencyCode: String, applicantID: Int64, applicant: Applicant, actorRole: String,
        now: Date = Date()
    ) async throws -> String {
        let ref = SessionStore.randomToken()
        let applicantJSON = try Self.encode(applicant)
        try await database.transaction { db in
            let row = try await db.insert(into: "dossiers")
                .columns(
                    "ref", "procedure_code", "agency_code", "applicant_id", "applicant", "form", "version",
                    "created_at", "updated_at"
                )
                .values(
                    SQLBind(ref), SQLBind(procedureCode), SQLBind(agencyCode), SQLBind(applicantID),
                    SQLBind(applicantJSON), SQLBind("{}"), SQLBind(0), SQLBind(now.epochMilliseconds),
                    SQLBind(now.epochMilliseconds)
                )
                .returning("id")
                .first()
            let id = try row?.decode(column: "id", as: Int64.self)
            try await AccessLog.record(
                action: "create_draft", reason: "applicant", dossierID: id, accountID: applicantID,
                actorRole: actorRole, at: now, on: db)
        }
        return ref
    }

    /// Saves the form values of a draft (the caller keeps only the schema's fields).
    public func saveForm(ref: String, applicantID: Int64, values: [String: String], now: Date = Date()) async throws {
        let form = try Self.encode(values)
        try await database.transaction { db in
            let updated = try await db.update("dossiers")
                .set("form", to: form).set("updated_at", to: now.epochMilliseconds)
                .set(SQLIdentifier("version"), to: SQLRaw("version + 1"))
                .where("ref", .equal, ref).where("applicant_id", .equal, applicantID).where(SQLRaw("status IS NULL"))
                .returning("id")
                .first()
            guard updated != nil else { throw DossierStoreError.notDraft }
        }
    }

    /// Deletes a draft and its files' records; returns the hashes of files no dossier references any more.
    public func deleteDraft(ref: String, applicantID: Int64) async throws -> [String] {
        try await database.transaction { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT id FROM dossiers WHERE ref = \(bind: ref) AND applicant_id = \(bind: applicantID)
                    AND status IS NULL
                    """
                ).first()
            else { throw DossierStoreError.notDraft }
            let id = try row.decode(column: "id", as: Int64.self)
            let hashes = try await db.raw("SELECT sha256 FROM dossier_files WHERE dossier_id = \(bind: id)").all()
                .map { try $0.decode(column: "sha256", as: String.self) }
            try await db.delete(from: "dossier_files").where("dossier_id", .equal, id).run()
            try await db.delete(from: "notifications").where("dossier_id", .equal, id).run()
            // The access log keeps its records (it is append-only); they then name a dossier id that no longer
            // exists, so the reference is cleared rather than the record.
            try await db.raw("UPDATE access_log SET dossier_id = NULL WHERE dossier_id = \(bind: id)").run()
            try await db.delete(from: "dossiers").where("id", .equal, id).run()
            return try await Self.unreferenced(hashes, on: db)
        }
    }

    // MARK: Files

    /// Records a stored file on a dossier. Application files only on a draft; supplements only while a supplement
    /// is requested; results only by the handling agency while processing. The caller checks who may upload.
    public func addFile(
        dossierID: Int64, purpose: DossierFilePurpose, slot: Int, name: String, sha256: String, size: Int,
        kind: String, uploadedBy actor: Actor, maximumDossierBytes: Int, now: Date = Date()
    ) async throws -> Int64 {
        try await database.transaction { db in
            guard
                let row = try await db.raw("SELECT status FROM dossiers WHERE id = \(bind: dossierID)").first()
            else { throw DossierStoreError.notFound }
            let status = try row.decode(column: "status", as: Int?.self).flatMap(DossierStatus.init(rawValue:))
            switch purpose {
            case .application: guard status == nil else { throw DossierStoreError.notDraft }
            case .supplement: guard status == .supplementRequested else { throw DossierStoreError.wrongStatus }
            case .result:
                guard status == .received || status == .processing || status == .paymentRequested else {
                    throw DossierStoreError.wrongStatus
                }
            }
            let total =
                try await db.raw(
                    "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) AS total FROM dossier_files WHERE dossier_id = \(bind: dossierID)"
                ).first()?.decode(column: "total", as: Int64.self) ?? 0
            guard Int(total) + size <= maximumDossierBytes else {
                throw DossierStoreError.dossierTooLarge(limit: maximumDossierBytes)
            }
            let inserted = try await db.insert(into: "dossier_files")
                .columns(
                    "dossier_id", "purpose", "slot", "name", "sha256", "size", "kind", "uploaded_by", "created_at"
                )
                .values(
                    SQLBind(dossierID), SQLBind(purpose.rawValue), SQLBind(slot), SQLBind(name), SQLBind(sha256),
                    SQLBind(size), SQLBind(kind), SQLBind(actor.accountID), SQLBind(now.epochMilliseconds)
                )
                .returning("id")
                .first()
            guard let id = try inserted?.decode(column: "id", as: Int64.self) else {
                throw DossierStoreError.insertFailed
            }
            try await AccessLog.record(
                action: "add_file", reason: purpose.rawValue, dossierID: dossierID, accountID: actor.accountID,
                actorRole: actor.role, at: now, on: db)
            return id
        }
    }

    /// Removes a file the applicant added to a draft or to a pending supplement; returns its hash when no
    /// dossier references that content any more (the caller then deletes the blob).
    public func removeFile(dossierID: Int64, fileID: Int64, actor: Actor, now: Date = Date()) async throws -> String? {
        try await database.transaction { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT f.sha256, f.purpose, d.status FROM dossier_files f JOIN dossiers d ON d.id = f.dossier_id
                    WHERE f.id = \(bind: fileID) AND f.dossier_id = \(bind: dossierID)
                    """
                ).first()
            else { throw DossierStoreError.notFound }
            let purpose = try row.decode(column: "purpose", as: String.self)
            let status = try row.decode(column: "status", as: Int?.self)
            let removable =
                (purpose == DossierFilePurpose.application.rawValue && status == nil)
                || (purpose == DossierFilePurpose.supplement.rawValue
                    && status == DossierStatus.supplementRequested.rawValue)
            guard removable else { throw DossierStoreError.wrongStatus }
            let hash = try row.decode(column: "sha256", as: String.self)
            try await db.delete(from: "dossier_files").where("id", .equal, fileID).run()
            try await AccessLog.record(
                action: "remove_file", reason: purpose, dossierID: dossierID, accountID: actor.accountID,
                actorRole: actor.role, at: now, on: db)
            return try await Self.unreferenced([hash], on: db).first
        }
    }

    static func unreferenced(_ hashes: [String], on db: any SQLDatabase) async throws -> [String] {
        var result: [String] = []
        for hash in Set(hashes) {
            let used = try await db.raw("SELECT 1 AS used FROM dossier_files WHERE sha256 = \(bind: hash) LIMIT 1")
                .first()
            if used == nil { result.append(hash) }
        }
        return result
    }

    // MARK: Changes

    /// Submits a draft: checks the form and the required slots, allocates the dossier code for the agency and
    /// the day, records status 1, notifies the applicant and queues the message, in one transaction.
    ///
    /// Until reception the due date is the acknowledgement deadline (8 working hours, Decree 45/2020): by then the
    /// desk must receive the dossier, refuse it or ask for more. Reception replaces it with the processing due date.
    ///
    /// `feeDue` is the procedure's fee when it is paid with the application: an obligation is recorded in the same
    /// transaction, and the desk cannot receive the dossier until a verified payment has settled it.
    public func submit(
        ref: String, actor: Actor, schema: DossierFormSchema, notifyEmail: String?, feeDue: Int64? = nil,
        calendar: WorkingCalendar = .vietnam, now: Date = Date()
    ) async throws -> Dossier {
        try await database.transaction { db in
            guard let dossier = try await Self.load(where: ("d.ref = \(bind: ref)" as SQLQueryString), on: db),
                dossier.applicantID == actor.accountID
            else { throw DossierStoreError.notFound }
            guard dossier.isDraft else { throw DossierStoreError.notDraft }
            let problems = schema.problems(in: dossier.form)
            let filled = Set(dossier.files(.application).map(\.slot))
            let missing = schema.slots.filter { $0.required && !filled.contains($0.index) }
            if !problems.isEmpty || !missing.isEmpty {
                throw DossierStoreError.incomplete(form: problems, documents: missing.map(\.name))
            }
            let event = DossierEvent(status: .submitted, at: now, actor: .applicant, note: nil, source: .portal)
            do {
                try DossierStateMachine.validate(event, after: dossier.history)
            } catch let error as DossierTransitionError {
                throw DossierStoreError.transition(error)
            }
            let code = try await Self.allocateCode(agencyCode: dossier.agencyCode, at: now, on: db)
            let updated = try await db.update("dossiers")
                .set("code", to: code.description).set("status", to: DossierStatus.submitted.rawValue)
                .set("submitted_at", to: now.epochMilliseconds).set("updated_at", to: now.epochMilliseconds)
                .set(
                    "due_at",
                    to: DeadlineCalculator(calendar: calendar).acknowledgementDeadline(submittedAt: now)
                        .epochMilliseconds
                )
                .set(SQLIdentifier("version"), to: SQLRaw("version + 1"))
                .where("id", .equal, dossier.id).where("version", .equal, dossier.version)
                .returning("id").first()
            guard updated != nil else { throw DossierStoreError.conflict }
            try await Self.insert(event, dossierID: dossier.id, accountID: actor.accountID, on: db)
            if let feeDue, feeDue > 0 {
                try await Payments.createObligation(
                    dossierID: dossier.id, agencyCode: dossier.agencyCode, amount: feeDue,
                    description: "Lệ phí \(dossier.procedureName) — \(code.description)", at: now, on: db)
            }
            try await Self.announce(
                dossier: dossier, code: code.description, status: .submitted, note: nil, email: notifyEmail,
                jobs: jobs, at: now, on: db)
            try await Webhooks.enqueue(
                .dossierSubmitted, dossierCode: code.description, procedureCode: dossier.procedureCode,
                agencyCode: dossier.agencyCode, status: .submitted, at: now, jobs: jobs, on: db)
            try await AccessLog.record(
                action: "submit", reason: "applicant", dossierID: dossier.id, accountID: actor.accountID,
                actorRole: actor.role, at: now, on: db)
            guard let result = try await Self.load(where: ("d.id = \(bind: dossier.id)" as SQLQueryString), on: db)
            else {
                throw DossierStoreError.notFound
            }
            return result
        }
    }

    /// The next dossier code of an agency for the local day of `now` (Circular 01/2018/TT-VPCP).
    ///
    /// The agency's own one-stop system may already have reported codes of the same day through sync; when the
    /// next number is taken, the sequence moves past the highest one in use, so a code is never given twice.
    static func allocateCode(agencyCode: String, at now: Date, on db: any SQLDatabase) async throws -> DossierCode {
        let agency = try AgencyIdentifier(validating: agencyCode)
        let day = VietnamTime.localDate(of: now)
        for _ in 0..<3 {
            guard
                let sequenceRow = try await db.raw(
                    """
                    INSERT INTO dossier_code_sequences (agency_code, day, last_sequence)
                    VALUES (\(bind: agency.fullForm), \(bind: day.description), 1)
                    ON CONFLICT (agency_code, day)
                    DO UPDATE SET last_sequence = dossier_code_sequences.last_sequence + 1
                    RETURNING last_sequence
                    """
                ).first()
            else { throw DossierStoreError.insertFailed }
            let sequence = try sequenceRow.decode(column: "last_sequence", as: Int.self)
            let code = try DossierCode(agency: agency, receiptDate: day, sequence: sequence)
            guard try await db.raw("SELECT id FROM dossiers WHERE code = \(bind: code.description)").first() != nil
            else { return code }
            // Taken by a reported dossier: continue after the highest number reported for this agency and day.
            let text = code.description
            guard let dash = text.lastIndex(of: "-") else { throw DossierStoreError.insertFailed }
            let prefix = String(text[...dash])
            let used = try await db.raw("SELECT code FROM dossiers WHERE code LIKE \(bind: prefix + "%")").all()
                .compactMap { row in
                    try? row.decode(column: "code", as: String.self).split(separator: "-").last.flatMap { Int($0) }
                }
            try await db.update("dossier_code_sequences").set("last_sequence", to: used.max() ?? sequence)
                .where("agency_code", .equal, agency.fullForm).where("day", .equal, day.description).run()
        }
        throw DossierStoreError.insertFailed
    }

    /// Receives a dossier handed to an officer in person (at the desk or on a home visit): it gets its code, is
    /// received on the spot (channel 1) and its legal clock starts, in the caller's transaction.
    static func receiveInPerson(
        procedureCode: String, agencyCode: String, applicantID: Int64?, applicant: Applicant, officer: Actor,
        note: String?, processingTime: ProcessingTime?, calendar: WorkingCalendar, at now: Date,
        on db: any SQLDatabase
    ) async throws -> (id: Int64, code: String) {
        let code = try await allocateCode(agencyCode: agencyCode, at: now, on: db)
        let clock = processingTime.map {
            DeadlineCalculator(calendar: calendar).startClock(
                receivedAt: now, processingTime: $0, policy: .resumeRemaining)
        }
        guard
            let row = try await db.insert(into: "dossiers")
                .columns(
                    "ref", "code", "procedure_code", "agency_code", "applicant_id", "channel", "status", "applicant",
                    "form", "clock", "submitted_at", "received_at", "due_at", "version", "created_at", "updated_at"
                )
                .values(
                    SQLBind(SessionStore.randomToken()), SQLBind(code.description), SQLBind(procedureCode),
                    SQLBind(agencyCode), SQLBind(applicantID), SQLBind(1), SQLBind(DossierStatus.received.rawValue),
                    SQLBind(try encode(applicant)), SQLBind("{}"), SQLBind(try clock.map { try encode($0) }),
                    SQLBind(now.epochMilliseconds), SQLBind(now.epochMilliseconds),
                    SQLBind(clock?.dueAt.epochMilliseconds), SQLBind(0), SQLBind(now.epochMilliseconds),
                    SQLBind(now.epochMilliseconds)
                )
                .returning("id").first()
        else { throw DossierStoreError.insertFailed }
        let id = try row.decode(column: "id", as: Int64.self)
        let event = DossierEvent(status: .received, at: now, actor: .officer, note: note, source: .portal)
        try DossierStateMachine.validate(event, after: [])
        try await insert(event, dossierID: id, accountID: officer.accountID, on: db)
        try await AccessLog.record(
            action: "receive", reason: "in person", dossierID: id, accountID: officer.accountID,
            actorRole: officer.role, at: now, on: db)
        return (id, code.description)
    }

    /// Applies an applicant's or an officer's action to a submitted dossier.
    ///
    /// `expectedVersion` is the version the officer saw; if the dossier changed since, the action is a conflict
    /// and nothing is written. The caller has checked that the actor may act on this dossier at all.
    public func apply(
        _ action: DossierAction, ref: String, expectedVersion: Int?, actor: Actor,
        processingTime: ProcessingTime?, calendar: WorkingCalendar, notifyEmail: String?, now: Date = Date()
    ) async throws -> Dossier {
        try await database.transaction { db in
            guard let dossier = try await Self.load(where: ("d.ref = \(bind: ref)" as SQLQueryString), on: db) else {
                throw DossierStoreError.notFound
            }
            if let expectedVersion, expectedVersion != dossier.version { throw DossierStoreError.conflict }
            guard let current = dossier.status else { throw DossierStoreError.wrongStatus }
            let calculator = DeadlineCalculator(calendar: calendar)
            var clock = dossier.clock
            var receivedAt = dossier.receivedAt
            var finishedAt = dossier.finishedAt
            let target = action.target(after: dossier.history)
            do {
                if let target {
                    let event = DossierEvent(
                        status: target, at: now, actor: action.actor, note: action.note, source: .portal)
                    try DossierStateMachine.validate(event, after: dossier.history)
                }
                switch (action, target) {
                case (.extend(let newDueAt, let apology), _):
                    guard let running = clock, [.received, .processing].contains(current) else {
                        throw DossierStoreError.wrongStatus
                    }
                    clock = try calculator.extend(
                        running, with: ExtensionNotice(issuedAt: now, newDueAt: newDueAt, apology: apology))
                case (_, .received?):
                    // A fee paid with the application must be settled before the desk receives the dossier.
                    let unpaid =
                        try await db.raw(
                            "SELECT COUNT(*) AS n FROM payment_obligations WHERE dossier_id = \(bind: dossier.id) AND state = 'due'"
                        ).first()?.decode(column: "n", as: Int.self) ?? 0
                    guard unpaid == 0 else { throw DossierStoreError.feeUnpaid }
                    receivedAt = now
                    if let processingTime {
                        clock = calculator.startClock(
                            receivedAt: now, processingTime: processingTime, policy: .resumeRemaining)
                    }
                case (.requestSupplement(let missing), _):
                    if let running = clock {
                        clock = try calculator.requestSupplement(running, at: now, reason: missing)
                    }
                case (.supplement, .processing?):
                    if let paused = clock, paused.isPaused {
                        clock = try calculator.resumeAfterSupplement(paused, at: now)
                    }
                case (_, .processed?):
                    finishedAt = now
                    if let running = clock { clock = try calculator.finish(running, at: now) }
                default:
                    break
                }
            } catch let error as DossierTransitionError {
                throw DossierStoreError.transition(error)
            } catch let error as LegalClockError {
                throw DossierStoreError.clock(error)
            }
            if case .finish = action, dossier.files(.result).isEmpty { throw DossierStoreError.resultRequired }
            if case .supplement = action, dossier.files(.supplement).isEmpty {
                throw DossierStoreError.supplementRequired
            }
            let clockJSON = try clock.map { try Self.encode($0) }
            let events =
                dossier.history
                + (target.map {
                    [DossierEvent(status: $0, at: now, actor: action.actor, note: action.note, source: .portal)]
                } ?? [])
            var update = db.update("dossiers")
                .set("clock", to: clockJSON).set("due_at", to: clock?.dueAt.epochMilliseconds)
                .set("received_at", to: receivedAt?.epochMilliseconds)
                .set("finished_at", to: finishedAt?.epochMilliseconds)
            update = Self.setStatisticsColumns(
                update, events: events, receivedAt: receivedAt, finishedAt: finishedAt, calendar: calendar
            )
            .set("updated_at", to: now.epochMilliseconds)
            .set(SQLIdentifier("version"), to: SQLRaw("version + 1"))
            if let target { update = update.set("status", to: target.rawValue) }
            let updated = try await update.where("id", .equal, dossier.id).where("version", .equal, dossier.version)
                .returning("id").first()
            guard updated != nil else { throw DossierStoreError.conflict }
            if dossier.finishedAt == nil, finishedAt != nil {
                try await CounterStore.increment(.dossiersProcessed, on: db)
            }
            if let target {
                let event = DossierEvent(
                    status: target, at: now, actor: action.actor, note: action.note, source: .portal)
                try await Self.insert(event, dossierID: dossier.id, accountID: actor.accountID, on: db)
            }
            if case .requestPayment(let amount) = action {
                try await Payments.createObligation(
                    dossierID: dossier.id, agencyCode: dossier.agencyCode, amount: amount,
                    description: "\(dossier.procedureName) — \(dossier.code ?? "")", at: now, on: db)
            }
            let webhookEvent: WebhookEvent? =
                switch action {
                case .supplement: .dossierSupplemented
                case .withdraw: .dossierWithdrawn
                default: nil
                }
            if let webhookEvent, let code = dossier.code {
                try await Webhooks.enqueue(
                    webhookEvent, dossierCode: code, procedureCode: dossier.procedureCode,
                    agencyCode: dossier.agencyCode, status: target, at: now, jobs: jobs, on: db)
            }
            if actor.accountID != dossier.applicantID {
                try await Self.announce(
                    dossier: dossier, code: dossier.code ?? "", status: target, note: action.note,
                    email: notifyEmail, jobs: jobs, at: now, on: db)
            }
            try await AccessLog.record(
                action: action.name, reason: target.map { "status \($0.rawValue)" } ?? "due date",
                dossierID: dossier.id, accountID: actor.accountID, actorRole: actor.role, at: now, on: db)
            guard let result = try await Self.load(where: ("d.id = \(bind: dossier.id)" as SQLQueryString), on: db)
            else {
                throw DossierStoreError.notFound
            }
            return result
        }
    }

    /// Records the applicant's rating (1–5) once the result was returned; a second rating replaces the first.
    public func rate(ref: String, actor: Actor, rating: Int, comment: String, now: Date = Date()) async throws {
        guard (1...5).contains(rating) else { throw DossierStoreError.invalidRating }
        try await database.transaction { db in
            let updated = try await db.update("dossiers")
                .set("rating", to: rating).set("rating_comment", to: comment.isEmpty ? nil : comment)
                .set("updated_at", to: now.epochMilliseconds)
                .where("ref", .equal, ref).where("applicant_id", .equal, actor.accountID)
                .where("status", .equal, DossierStatus.resultReturned.rawValue)
                .returning("id").first()
            guard let id = try updated?.decode(column: "id", as: Int64.self) else {
                throw DossierStoreError.wrongStatus
            }
            try await AccessLog.record(
                action: "rate", reason: String(rating), dossierID: id, accountID: actor.accountID,
                actorRole: actor.role, at: now, on: db)
        }
    }

    static func insert(_ event: DossierEvent, dossierID: Int64, accountID: Int64?, on db: any SQLDatabase) async throws
    {
        try await db.insert(into: "dossier_events")
            .columns("dossier_id", "status", "at", "actor", "actor_account_id", "note", "source")
            .values(
                SQLBind(dossierID), SQLBind(event.status.rawValue), SQLBind(event.at.epochMilliseconds),
                SQLBind(event.actor.rawValue), SQLBind(accountID), SQLBind(event.note), SQLBind(event.source.rawValue)
            )
            .run()
    }

    /// Tells the applicant about a change: in the portal and by e-mail through the outbox.
    static func announce(
        dossier: Dossier, code: String, status: DossierStatus?, note: String?, email: String?, jobs: JobQueue,
        at: Date, on db: any SQLDatabase
    ) async throws {
        let vi: String
        let en: String
        if let status {
            vi = "Hồ sơ \(code) (\(dossier.procedureName)): \(status.nameVi)."
            en = "Dossier \(code) (\(dossier.procedureName)): \(status.nameEn)."
        } else {
            vi = "Hồ sơ \(code): thời hạn trả kết quả được gia hạn."
            en = "Dossier \(code): the date for the result has been extended."
        }
        let detailVi = note.map { vi + " " + $0 } ?? vi
        let detailEn = note.map { en + " " + $0 } ?? en
        // A dossier reported by an agency's system has no portal applicant to notify.
        guard let applicantID = dossier.applicantID else { return }
        try await Notifications.notify(
            accountID: applicantID, dossierID: dossier.id, messageVi: detailVi, messageEn: detailEn, at: at, on: db)
        if let email, !email.isEmpty {
            try await Notifications.queueMessage(
                channel: .email, recipient: email, subject: "Cổng Dịch vụ công: hồ sơ \(code)",
                body: detailVi + "\n\n" + detailEn, at: at, jobs: jobs, on: db)
        }
        // A short text message as well, without the note (which may be long or personal).
        if let phone = dossier.applicant.phone, !phone.isEmpty {
            try await Notifications.queueMessage(
                channel: .sms, recipient: phone, subject: "", body: vi, at: at, jobs: jobs, on: db)
        }
    }

    /// Sets the columns the statistics read, from the dossier's applied events after a change: when its clock
    /// paused for a supplement, whether one was ever requested, and the working time it took to reach a result.
    static func setStatisticsColumns(
        _ update: SQLUpdateBuilder, events: [DossierEvent], receivedAt: Date?, finishedAt: Date?,
        calendar: WorkingCalendar
    ) -> SQLUpdateBuilder {
        let working = DossierTimes.workingTimeToResult(
            events, receivedAt: receivedAt, finishedAt: finishedAt, calendar: calendar)
        return update.set("paused_at", to: DossierTimes.pausedSince(events)?.epochMilliseconds)
            .set("supplemented", to: events.contains { $0.status == .supplementRequested } ? 1 : 0)
            .set("work_seconds", to: working.map { Int64($0.rounded()) })
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try decoder.decode(type, from: Data(text.utf8))
    }
}

/// Why a dossier change was refused.
public enum DossierStoreError: Error, Sendable, Equatable {
    case notFound
    case notDraft
    case wrongStatus
    /// Someone else changed the dossier since the page was shown.
    case conflict
    /// The form has problems or required documents are missing (every one is listed).
    case incomplete(form: [String: DossierFormProblem], documents: [String])
    case dossierTooLarge(limit: Int)
    case transition(DossierTransitionError)
    case clock(LegalClockError)
    case resultRequired
    case supplementRequired
    case invalidRating
    case insertFailed
    /// The fee due with the application has not been paid yet.
    case feeUnpaid
}
