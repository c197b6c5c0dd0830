import Foundation
import PortalCore
import SQLKit

/// Ingests the status events agencies' one-stop systems report, in batches: creates the dossiers the portal has
/// not seen, applies events through the domain state machine (agency systems may jump forward, never back),
/// recognises repeats whatever their order, and keeps late older events in the timeline without moving the status
/// back. One transaction per batch; an item the rules refuse is reported and the others still apply.
public struct DossierSync: Sendable {
    let database: Database

    /// Sync on the portal database.
    public init(database: Database) {
        self.database = database
    }

    /// Applies a batch for one agency client. Items are validated by the caller (they name their own fields);
    /// here they are checked against the portal's state.
    ///
    /// The batch is decided in memory, item after item exactly as if each were applied on its own, from what it
    /// reads first in a few queries (the events already seen, the dossiers named and their applied events); then
    /// it is written with one statement per table: the new dossiers as the batch leaves them, the sync records, the
    /// timeline events, and one update of every known dossier whose status moved.
    ///
    /// The batch is read and decided before its transaction, outside SQLite's one write lock, and written in the
    /// transaction only if what it read still holds (see `Plan`); otherwise it is read and decided again inside.
    public func ingest(_ items: [(index: Int, item: SyncItem)], agencyCode: String, now: Date = Date()) async throws
        -> [SyncResult]
    {
        try await ingest(items, agencyCode: agencyCode, now: now, prepare: { _ in }) { plan, _, db in
            try await plan.write(on: db)
            return plan.results
        }
    }

    /// Decides the batch ahead and runs `write` with it in a transaction; if that fails (another writer changed
    /// what the plan read, or the write failed), decides it again inside a new transaction and runs `write` there.
    /// `prepare` makes from a plan what `write` needs besides it, outside the transaction when it can.
    private func ingest<Prepared: Sendable, Result: Sendable>(
        _ items: [(index: Int, item: SyncItem)], agencyCode: String, now: Date,
        prepare: @escaping @Sendable (Plan) throws -> Prepared,
        write: @escaping @Sendable (Plan, Prepared, any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        let context = try await context(of: items)
        if let plan = try await readAhead(items, agencyCode: agencyCode, context: context, now: now) {
            let prepared = try prepare(plan)
            do {
                return try await database.transaction { db in
                    try await Self.lockWriters(checked: true, on: db, dialect: context.dialect)
                    return try await write(plan, prepared, db)
                }
            } catch {
                // Decided again below.
            }
        }
        return try await database.transaction { db in
            try await Self.lockWriters(checked: false, on: db, dialect: context.dialect)
            let plan = try await Self.plan(items, agencyCode: agencyCode, context: context, now: now, reading: db)
            return try await write(plan, try prepare(plan), db)
        }
    }

    /// What ingestion reads and prepares before its transaction.
    struct Context: Sendable {
        let calendar: WorkingCalendar
        let procedures: Set<String>
        let dialect: EngineDialect
        /// The `applicant` column of a dossier the batch may create, by the item's applicant.
        let applicants: [SyncItem.ApplicantKey: String]
    }

    func context(of items: [(index: Int, item: SyncItem)]) async throws -> Context {
        // Read in place (`items[position]`): an item holds a dozen strings, and a copy of it retains each.
        var applicants: [SyncItem.ApplicantKey: String] = [:]
        var procedures: Set<String> = []
        for position in items.indices where !items[position].item.progressOnly {
            let key = items[position].item.applicantKey
            if applicants[key] == nil { applicants[key] = items[position].item.applicantColumn() }
            procedures.insert(items[position].item.procedureCode)
        }
        return Context(
            calendar: WorkingCalendar(holidays: try await HolidayStore(database: database).table()),
            procedures: try await Self.knownProcedures(Array(procedures), on: database.sql, dialect: database.dialect),
            dialect: database.dialect, applicants: applicants)
    }

    /// The batch decided from what the database holds now, outside any transaction; nil if that read fails (the
    /// batch is then read again inside its transaction).
    func readAhead(
        _ items: [(index: Int, item: SyncItem)], agencyCode: String, context: Context, now: Date
    ) async throws -> Plan? {
        do {
            var plan = try await Self.plan(
                items, agencyCode: agencyCode, context: context, now: now, reading: database.sql)
            plan.checked = true
            return plan
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return nil
        }
    }

    /// What an ingestion under an Idempotency-Key gave.
    public enum KeyedOutcome: Sendable, Equatable {
        /// The batch was ingested; the answer is stored with the key.
        case ingested(String)
        /// The key already answered this body.
        case replay(String)
        /// The key was used with another body; nothing was ingested.
        case otherBody
    }

    /// Applies a batch under an Idempotency-Key, in one transaction with the key: `answer` makes the response
    /// from the results, and it is stored with the key before the commit.
    public func ingest(
        _ items: [(index: Int, item: SyncItem)], agencyCode: String, claim: IdempotencyKeys.Claim,
        now: Date = Date(), answer: @escaping @Sendable ([SyncResult]) throws -> String
    ) async throws -> KeyedOutcome {
        try await ingest(items, agencyCode: agencyCode, now: now, prepare: { try answer($0.results) }) {
            plan, answered, db in
            switch try await IdempotencyKeys.claim(claim, response: answered, now: now, on: db) {
            case .replay(let response): return .replay(response)
            case .otherBody: return .otherBody
            case .claimed:
                try await plan.write(on: db)
                return .ingested(answered)
            }
        }
    }

    /// A batch decided: its results, and the rows that record it, ready to be written.
    ///
    /// A plan made before its transaction (`checked`) relied on what it read staying so until it is written. Its
    /// write checks that first: the known dossiers it read still have the version it read (every change of a
    /// dossier's status or dates moves its version), the dossiers it creates do not exist yet and the events it
    /// records are new (both by the tables' unique keys, which make the write fail). On PostgreSQL the check locks
    /// those dossiers until the commit.
    struct Plan: Sendable {
        var results: [SyncResult] = []
        /// The known dossiers the decisions read, with their versions.
        var versions: [Int64: Int64] = [:]
        var checked = false
        let agencyCode: String
        let dialect: EngineDialect
        let now: Date
        /// The dossiers to create: their codes, and their rows (see `insertDossiers`).
        var created: [String] = []
        var createdRows: JSONRows
        /// Sync records and timeline events: each row's dossier, then the rest of its row as JSON text.
        var syncRows: [(code: String, id: Int64?, rest: String)] = []
        var eventRows: [(code: String, id: Int64?, rest: String)] = []
        /// The known dossiers whose status moved (see `updateDossiers`).
        var updateRows: JSONRows
        var counted: Int64 = 0
        var processed: Int64 = 0

        /// Writes the batch in the caller's transaction.
        func write(on db: any SQLDatabase) async throws {
            if checked, !versions.isEmpty {
                try await DossierSync.checkVersions(versions, on: db, dialect: dialect)
            }
            var ids: [String: Int64] = [:]
            if !created.isEmpty {
                ids = try await DossierSync.insertDossiers(
                    createdRows, count: created.count, agencyCode: agencyCode, now: now, on: db, dialect: dialect)
            }
            try await DossierSync.insertSyncEvents(
                try Self.rows(syncRows, ids: ids), agencyCode: agencyCode, on: db, dialect: dialect)
            try await DossierSync.insertEvents(try Self.rows(eventRows, ids: ids), on: db, dialect: dialect)
            // The dossiers created here were inserted as the batch leaves them.
            try await DossierSync.updateDossiers(updateRows, now: now, on: db, dialect: dialect)
            // The public counter counts every new event recorded, applied or late, so that the same stream
            // delivered in any order counts the same.
            try await CounterStore.increment([(.statusSyncs, counted), (.dossiersProcessed, processed)], on: db)
            if counted > 0 {
                try await db.update("agency_clients").set("last_sync_at", to: now.epochMilliseconds)
                    .where("agency_code", .equal, agencyCode).where("revoked_at", .is, SQLLiteral.null).run()
            }
        }

        /// The rows as one JSON array, each led by its dossier's id.
        static func rows(_ rows: [(code: String, id: Int64?, rest: String)], ids: [String: Int64]) throws -> String? {
            guard !rows.isEmpty else { return nil }
            var text = "["
            text.reserveCapacity(rows.count * (rows[0].rest.utf8.count + 16) + 2)
            for (position, row) in rows.enumerated() {
                guard let id = row.id ?? ids[row.code] else { throw DossierStoreError.insertFailed }
                text += position == 0 ? "[" : ",["
                text += String(id)
                text += ","
                text += row.rest
                text += "]"
            }
            return text + "]"
        }
    }

    /// Reads what the batch depends on (through `db`: the transaction's connection, or the pool before it) and
    /// decides every item.
    static func plan(
        _ items: [(index: Int, item: SyncItem)], agencyCode: String, context: Context, now: Date,
        reading db: any SQLDatabase
    ) async throws -> Plan {
        let dialect = context.dialect
        let procedures = context.procedures
        var eventIDs: Set<String> = []
        var codes: Set<String> = []
        for position in items.indices where items[position].item.agency == agencyCode {
            eventIDs.insert(items[position].item.eventID)
            codes.insert(items[position].item.dossierCode)
        }
        var seen = try await Self.seenEvents(Array(eventIDs), agencyCode: agencyCode, on: db, dialect: dialect)
        // The dossiers by code, each state kept in `dossiers` and changed there in place: a copy of a state would
        // make its history be copied whole on the next event it applies.
        var slots: [String: Int] = [:]
        var dossiers: [DossierState] = []
        for (code, state) in try await Self.states(of: Array(codes), on: db, dialect: dialect) {
            slots[code] = dossiers.count
            dossiers.append(state)
        }

        var plan = Plan(
            agencyCode: agencyCode, dialect: dialect, now: now,
            createdRows: JSONRows(count: items.count / 4, bytesPerRow: 400),
            updateRows: JSONRows(count: items.count / 4, bytesPerRow: 128))
        for state in dossiers {
            if let id = state.id { plan.versions[id] = state.version }
        }
        var created: [(code: String, item: SyncItem)] = []
        var moved: [Int] = []
        plan.syncRows.reserveCapacity(items.count)
        plan.eventRows.reserveCapacity(items.count)
        for (index, item) in items {
            func rejected(_ field: String, _ message: String) -> SyncResult {
                SyncResult(
                    index: index, dossierCode: item.dossierCode, outcome: .rejected, field: field, message: message)
            }
            guard item.agency == agencyCode else {
                plan.results.append(rejected("agency", "this token acts for agency \(agencyCode) only"))
                continue
            }
            if seen.contains(item.eventID) {
                plan.results.append(SyncResult(index: index, dossierCode: item.dossierCode, outcome: .duplicate))
                continue
            }
            var slot = slots[item.dossierCode]
            if item.progressOnly && slot == nil {
                plan.results.append(rejected("dossier_code", "no dossier has this code yet; send the dossier first"))
                continue
            }
            if !item.progressOnly && !procedures.contains(item.procedureCode) {
                plan.results.append(rejected("procedure_code", "no procedure has this code"))
                continue
            }
            if let slot, dossiers[slot].agencyCode != agencyCode {
                plan.results.append(rejected("dossier_code", "this dossier belongs to another agency"))
                continue
            }
            if slot == nil {
                created.append((item.dossierCode, item))
                slot = dossiers.count
                slots[item.dossierCode] = dossiers.count
                dossiers.append(DossierState(agencyCode: agencyCode))
            }
            guard let slot else { throw DossierStoreError.insertFailed }
            let event = DossierEvent(
                status: item.status, at: item.eventAt, actor: .agencySystem, note: item.note, source: .agencySync)
            var outcome = SyncOutcome.applied
            if let last = dossiers[slot].history.last, item.eventAt < last.at {
                outcome = .stale
            } else {
                do {
                    try DossierStateMachine.validate(event, after: dossiers[slot].history)
                } catch DossierTransitionError.noChange {
                    // The same status again under another event id: a repeat in the agency's system.
                    outcome = .duplicate
                } catch {
                    plan.results.append(rejected("status", error.messageEn))
                    continue
                }
            }
            seen.insert(item.eventID)
            var rest = ""
            JSONText.appendString(item.eventID, to: &rest)
            rest += ",\""
            rest += outcome.rawValue
            rest += "\""
            plan.syncRows.append((item.dossierCode, dossiers[slot].id, rest))
            guard outcome != .duplicate else {
                plan.results.append(SyncResult(index: index, dossierCode: item.dossierCode, outcome: .duplicate))
                continue
            }
            plan.eventRows.append(
                (item.dossierCode, dossiers[slot].id, Self.eventRest(event, applied: outcome == .applied)))
            plan.counted += 1
            var finishedNow = false
            let before = dossiers[slot].finishedAt
            if outcome == .applied {
                let finished = item.status.hasResult ? (before ?? item.eventAt) : before
                finishedNow = before == nil && finished != nil
                dossiers[slot].submittedAt = dossiers[slot].submittedAt ?? item.receivedAt ?? item.eventAt
                dossiers[slot].receivedAt = item.receivedAt ?? dossiers[slot].receivedAt
                dossiers[slot].dueAt = item.dueAt ?? dossiers[slot].dueAt
                dossiers[slot].finishedAt = finished
                dossiers[slot].history.append(event)
                dossiers[slot].timeline.append(event)
            } else {
                // A late older event leaves the status alone but counts for the dates and the statistics columns
                // as it would have in order, so that every order of delivery leaves the same columns: it takes its
                // place in the timeline; a result it reports may be the first; it may be the first event of all.
                let position = dossiers[slot].timeline.firstIndex { $0.at > item.eventAt }
                if position == 0 { dossiers[slot].submittedAt = item.receivedAt ?? item.eventAt }
                dossiers[slot].timeline.insert(event, at: position ?? dossiers[slot].timeline.endIndex)
                if item.status.hasResult { dossiers[slot].finishedAt = min(before ?? item.eventAt, item.eventAt) }
                dossiers[slot].receivedAt = dossiers[slot].receivedAt ?? item.receivedAt
                dossiers[slot].dueAt = dossiers[slot].dueAt ?? item.dueAt
            }
            if before == nil && dossiers[slot].finishedAt != nil { plan.processed += 1 }
            if dossiers[slot].changedHere == 0 { moved.append(slot) }
            dossiers[slot].changedHere += 1
            plan.results.append(
                SyncResult(
                    index: index, dossierCode: item.dossierCode, outcome: outcome, field: nil, message: nil,
                    finished: finishedNow))
        }

        for (code, item) in created {
            guard let slot = slots[code] else { throw DossierStoreError.insertFailed }
            let state = dossiers[slot]
            plan.created.append(code)
            plan.createdRows.append(
                [
                    .text(SessionStore.randomToken()), .text(code), .text(item.procedureCode),
                    .integer(Int64(item.channel)),
                    .text(context.applicants[item.applicantKey] ?? item.applicantColumn()),
                ] + state.columns(calendar: context.calendar))
        }
        for slot in moved {
            let state = dossiers[slot]
            guard let id = state.id, !state.history.isEmpty else { continue }
            plan.updateRows.append([.integer(id)] + state.columns(calendar: context.calendar))
        }
        return plan
    }

    /// A timeline event's row after its dossier: status, instant, note, applied.
    static func eventRest(_ event: DossierEvent, applied: Bool) -> String {
        var rest = String(event.status.rawValue)
        rest += ","
        rest += String(event.at.epochMilliseconds)
        rest += ","
        if let note = event.note { JSONText.appendString(note, to: &rest) } else { rest += "null" }
        rest += applied ? ",1" : ",0"
        return rest
    }

    /// Orders this transaction among the sync writers (see `EngineDialect.syncWriterLock`); first in the
    /// transaction, so that it is taken before any row lock.
    static func lockWriters(checked: Bool, on db: any SQLDatabase, dialect: EngineDialect) async throws {
        guard let lock = dialect.syncWriterLock(exclusive: !checked) else { return }
        try await db.raw(SQLQueryString(lock)).run()
    }

    /// Fails if a known dossier's version is not the one read (`DossierStoreError.conflict`); on PostgreSQL it
    /// locks them, in the order of their ids, until the commit.
    static func checkVersions(_ versions: [Int64: Int64], on db: any SQLDatabase, dialect: EngineDialect) async throws {
        var found = 0
        for row in try await db.raw(
            """
            SELECT id, version FROM dossiers \
            WHERE id IN (\(dialect.jsonList(JSONRows.array(of: Array(versions.keys)), of: "BIGINT"))) \
            ORDER BY id \(unsafeRaw: dialect.lockRows)
            """
        ).all() {
            let id = try row.decode(column: "id", as: Int64.self)
            guard versions[id] == (try row.decode(column: "version", as: Int64.self)) else {
                throw DossierStoreError.conflict
            }
            found += 1
        }
        guard found == versions.count else { throw DossierStoreError.conflict }
    }

    /// What ingestion needs of a dossier: who it belongs to, its applied events and its dates.
    struct DossierState {
        var id: Int64?
        var version: Int64 = 0
        let agencyCode: String
        var history: [DossierEvent] = []
        var receivedAt: Date?
        var dueAt: Date?
        var submittedAt: Date?
        var finishedAt: Date?
        /// Every recorded event, applied or late, in time order (the order of recording among equal times): what the
        /// dates and statistics columns are derived from, whatever the order of delivery.
        var timeline: [DossierEvent] = []
        /// Events of this batch that changed the dossier: applied, or recorded late.
        var changedHere = 0

        init(
            id: Int64? = nil, version: Int64 = 0, agencyCode: String, receivedAt: Date? = nil, dueAt: Date? = nil,
            submittedAt: Date? = nil, finishedAt: Date? = nil
        ) {
            self.id = id
            self.version = version
            self.agencyCode = agencyCode
            self.receivedAt = receivedAt
            self.dueAt = dueAt
            self.submittedAt = submittedAt
            self.finishedAt = finishedAt
        }
    }

    // Every statement below binds its list or its rows as one JSON array (`EngineDialect.jsonList` and
    // `jsonElements`): a batch of 500 events as thousands of separate values cost more to build and to parse than
    // to store.

    static func seenEvents(_ eventIDs: [String], agencyCode: String, on db: any SQLDatabase, dialect: EngineDialect)
        async throws -> Set<String>
    {
        guard !eventIDs.isEmpty else { return [] }
        return Set(
            try await db.raw(
                """
                SELECT event_id FROM sync_events WHERE agency_code = \(bind: agencyCode) \
                AND event_id IN (\(dialect.jsonList(JSONRows.array(of: eventIDs), of: "TEXT")))
                """
            ).all().map { try $0.decode(column: "event_id", as: String.self) })
    }

    static func knownProcedures(_ codes: [String], on db: any SQLDatabase, dialect: EngineDialect) async throws
        -> Set<String>
    {
        guard !codes.isEmpty else { return [] }
        return Set(
            try await db.raw(
                """
                SELECT code FROM procedures WHERE code IN (\(dialect.jsonList(JSONRows.array(of: codes), of: "TEXT")))
                """
            ).all().map { try $0.decode(column: "code", as: String.self) })
    }

    static func states(of codes: [String], on db: any SQLDatabase, dialect: EngineDialect) async throws
        -> [String: DossierState]
    {
        guard !codes.isEmpty else { return [:] }
        var states: [String: DossierState] = [:]
        var codeOfID: [Int64: String] = [:]
        for row in try await db.raw(
            """
            SELECT id, version, code, agency_code, received_at, due_at, submitted_at, finished_at FROM dossiers \
            WHERE code IN (\(dialect.jsonList(JSONRows.array(of: codes), of: "TEXT")))
            """
        ).all() {
            func date(_ column: String) throws -> Date? {
                try row.decode(column: column, as: Int64?.self).map(Date.init(epochMilliseconds:))
            }
            let id = try row.decode(column: "id", as: Int64.self)
            let code = try row.decode(column: "code", as: String.self)
            codeOfID[id] = code
            states[code] = DossierState(
                id: id, version: try row.decode(column: "version", as: Int64.self),
                agencyCode: try row.decode(column: "agency_code", as: String.self),
                receivedAt: try date("received_at"), dueAt: try date("due_at"), submittedAt: try date("submitted_at"),
                finishedAt: try date("finished_at"))
        }
        guard !codeOfID.isEmpty else { return states }
        for row in try await db.raw(
            """
            SELECT dossier_id, status, at, actor, note, source, applied FROM dossier_events \
            WHERE dossier_id IN (\(dialect.jsonList(JSONRows.array(of: Array(codeOfID.keys)), of: "BIGINT"))) \
            ORDER BY dossier_id, at, id
            """
        ).all() {
            guard let code = codeOfID[try row.decode(column: "dossier_id", as: Int64.self)] else { continue }
            let event = DossierEvent(
                status: DossierStatus(rawValue: try row.decode(column: "status", as: Int.self)) ?? .submitted,
                at: Date(epochMilliseconds: try row.decode(column: "at", as: Int64.self)),
                actor: DossierActorKind(rawValue: try row.decode(column: "actor", as: String.self)) ?? .system,
                note: try row.decode(column: "note", as: String?.self),
                source: DossierEventSource(rawValue: try row.decode(column: "source", as: String.self)) ?? .portal)
            // Both lists in time order: the applied events, for the rules; every recorded one, for the columns.
            if try row.decode(column: "applied", as: Int.self) != 0 { states[code]?.history.append(event) }
            states[code]?.timeline.append(event)
        }
        return states
    }

    /// Inserts the dossiers first reported in this batch, with the status, dates and statistics columns the batch
    /// leaves them in (rows: ref, code, procedure, channel, applicant, then `DossierState.columns`); returns their
    /// ids by code.
    static func insertDossiers(
        _ rows: JSONRows, count: Int, agencyCode: String, now: Date, on db: any SQLDatabase, dialect: EngineDialect
    ) async throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for row in try await db.raw(
            """
            INSERT INTO dossiers (ref, code, procedure_code, agency_code, origin, channel, applicant, form, \
            status, received_at, due_at, submitted_at, finished_at, paused_at, supplemented, work_seconds, version, \
            created_at, updated_at) \
            SELECT element.value ->> 0, element.value ->> 1, element.value ->> 2, \(bind: agencyCode), 'sync', \
            CAST(element.value ->> 3 AS INTEGER), element.value ->> 4, '{}', \
            CAST(element.value ->> 5 AS INTEGER), CAST(element.value ->> 6 AS BIGINT), \
            CAST(element.value ->> 7 AS BIGINT), CAST(element.value ->> 8 AS BIGINT), \
            CAST(element.value ->> 9 AS BIGINT), CAST(element.value ->> 10 AS BIGINT), \
            CAST(element.value ->> 11 AS INTEGER), CAST(element.value ->> 12 AS BIGINT), \
            CAST(element.value ->> 13 AS INTEGER), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds) \
            FROM \(dialect.jsonElements(rows.text)) \(dialect.jsonElementsInOrder) \
            RETURNING id, code
            """
        ).all() {
            ids[try row.decode(column: "code", as: String.self)] = try row.decode(column: "id", as: Int64.self)
        }
        guard ids.count == count else { throw DossierStoreError.insertFailed }
        return ids
    }

    /// Records events as seen (rows: dossier id, event id, outcome).
    static func insertSyncEvents(
        _ rows: String?, agencyCode: String, on db: any SQLDatabase, dialect: EngineDialect
    ) async throws {
        guard let rows else { return }
        try await db.raw(
            """
            INSERT INTO sync_events (agency_code, event_id, dossier_id, outcome) \
            SELECT \(bind: agencyCode), element.value ->> 1, CAST(element.value ->> 0 AS BIGINT), element.value ->> 2 \
            FROM \(dialect.jsonElements(rows)) \(dialect.jsonElementsInOrder)
            """
        ).run()
    }

    /// Adds timeline events (rows: dossier id, then `eventRest`).
    static func insertEvents(_ rows: String?, on db: any SQLDatabase, dialect: EngineDialect) async throws {
        guard let rows else { return }
        try await db.raw(
            """
            INSERT INTO dossier_events (dossier_id, status, at, actor, note, source, applied) \
            SELECT CAST(element.value ->> 0 AS BIGINT), CAST(element.value ->> 1 AS INTEGER), \
            CAST(element.value ->> 2 AS BIGINT), \(bind: DossierActorKind.agencySystem.rawValue), element.value ->> 3, \
            \(bind: DossierEventSource.agencySync.rawValue), CAST(element.value ->> 4 AS SMALLINT) \
            FROM \(dialect.jsonElements(rows)) \(dialect.jsonElementsInOrder)
            """
        ).run()
    }

    /// One statement sets the new status, dates and statistics columns of every known dossier whose status moved
    /// (rows: id, then `DossierState.columns`).
    static func updateDossiers(_ json: JSONRows, now: Date, on db: any SQLDatabase, dialect: EngineDialect)
        async throws
    {
        guard !json.isEmpty else { return }
        try await db.raw(
            """
            WITH v AS (SELECT CAST(element.value ->> 0 AS BIGINT) AS id, CAST(element.value ->> 1 AS INTEGER) AS status, \
            CAST(element.value ->> 2 AS BIGINT) AS received_at, CAST(element.value ->> 3 AS BIGINT) AS due_at, \
            CAST(element.value ->> 4 AS BIGINT) AS submitted_at, CAST(element.value ->> 5 AS BIGINT) AS finished_at, \
            CAST(element.value ->> 6 AS BIGINT) AS paused_at, CAST(element.value ->> 7 AS INTEGER) AS supplemented, \
            CAST(element.value ->> 8 AS BIGINT) AS work_seconds, CAST(element.value ->> 9 AS INTEGER) AS n \
            FROM \(dialect.jsonElements(json.text))) \
            UPDATE dossiers SET status = v.status, received_at = v.received_at, due_at = v.due_at, \
            submitted_at = v.submitted_at, finished_at = v.finished_at, paused_at = v.paused_at, \
            supplemented = v.supplemented, work_seconds = v.work_seconds, \
            updated_at = \(bind: now.epochMilliseconds), version = dossiers.version + v.n \
            FROM v WHERE dossiers.id = v.id
            """
        ).run()
    }
}

extension DossierSync.DossierState {
    /// The dossier's columns that ingestion sets, in this order: status, received_at, due_at, submitted_at,
    /// finished_at, paused_at, supplemented, work_seconds, and the number of events this batch applied or recorded
    /// late (the version's step). A dossier created without an applied event has them all empty. The status is the
    /// last applied one; the statistics columns come from the whole timeline, late events included.
    func columns(calendar: WorkingCalendar) -> [JSONRows.Value] {
        guard let status = history.last?.status else {
            return [.null, .null, .null, .null, .null, .null, .integer(0), .null, .integer(0)]
        }
        func instant(_ date: Date?) -> JSONRows.Value { date.map { .integer($0.epochMilliseconds) } ?? .null }
        let working = DossierTimes.workingTimeToResult(
            timeline, receivedAt: receivedAt, finishedAt: finishedAt, calendar: calendar)
        return [
            .integer(Int64(status.rawValue)), instant(receivedAt), instant(dueAt), instant(submittedAt),
            instant(finishedAt), instant(DossierTimes.pausedSince(timeline)),
            .integer(timeline.contains { $0.status == .supplementRequested } ? 1 : 0),
            working.map { .integer(Int64($0.rounded())) } ?? .null, .integer(Int64(changedHere)),
        ]
    }
}

/// Rows written as one JSON array of arrays, bound as a single value (see `EngineDialect.jsonElements`).
struct JSONRows {
    enum Value {
        case integer(Int64)
        case text(String)
        case null
    }

    private var rows = "["
    private(set) var isEmpty = true

    /// Rows of about `bytesPerRow` bytes each: reserved at once rather than grown row by row.
    init(count: Int = 0, bytesPerRow: Int = 64) {
        rows.reserveCapacity(count * bytesPerRow + 2)
    }

    /// The array's text.
    var text: String { rows + "]" }

    mutating func append(_ row: [Value]) {
        rows += isEmpty ? "[" : ",["
        isEmpty = false
        for (position, value) in row.enumerated() {
            if position > 0 { rows += "," }
            Self.write(value, to: &rows)
        }
        rows += "]"
    }

    static func write(_ value: Value, to text: inout String) {
        switch value {
        case .integer(let number): text += String(number)
        case .text(let string): JSONText.appendString(string, to: &text)
        case .null: text += "null"
        }
    }

    /// A JSON array of strings or of whole numbers.
    static func array(of values: [String]) -> String {
        var text = "["
        for (position, value) in values.enumerated() {
            if position > 0 { text += "," }
            JSONText.appendString(value, to: &text)
        }
        return text + "]"
    }

    static func array(of values: [Int64]) -> String {
        "[" + values.map(String.init).joined(separator: ",") + "]"
    }
}
