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
    /// reads first in a few queries (the events already seen, the dossiers named and their applied events, the
    /// procedures named); then it is written with one statement per table: the new dossiers, the sync records,
    /// the timeline events, and one update of every dossier whose status moved.
    public func ingest(_ items: [(index: Int, item: SyncItem)], agencyCode: String, now: Date = Date()) async throws
        -> [SyncResult]
    {
        let calendar = WorkingCalendar(holidays: try await HolidayStore(database: database).table())
        return try await database.transaction { db in
            try await Self.ingest(items, agencyCode: agencyCode, calendar: calendar, now: now, on: db)
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
        let calendar = WorkingCalendar(holidays: try await HolidayStore(database: database).table())
        return try await database.transaction { db in
            switch try await IdempotencyKeys.claim(claim, now: now, on: db) {
            case .replay(let response): return .replay(response)
            case .otherBody: return .otherBody
            case .claimed: break
            }
            let results = try await Self.ingest(items, agencyCode: agencyCode, calendar: calendar, now: now, on: db)
            let response = try answer(results)
            try await IdempotencyKeys.store(claim, response: response, on: db)
            return .ingested(response)
        }
    }

    static func ingest(
        _ items: [(index: Int, item: SyncItem)], agencyCode: String, calendar: WorkingCalendar, now: Date,
        on db: any SQLDatabase
    ) async throws -> [SyncResult] {
        let mine = items.filter { $0.item.agency == agencyCode }
        var seen = try await Self.seenEvents(Array(Set(mine.map(\.item.eventID))), agencyCode: agencyCode, on: db)
        var states = try await Self.states(of: Array(Set(mine.map(\.item.dossierCode))), on: db)
        let procedures = try await Self.knownProcedures(
            Array(Set(mine.filter { !$0.item.progressOnly }.map(\.item.procedureCode))), on: db)

        var results: [SyncResult] = []
        var created: [(code: String, item: SyncItem)] = []
        var syncRows: [(code: String, eventID: String, outcome: SyncOutcome)] = []
        var eventRows: [(code: String, event: DossierEvent, applied: Bool)] = []
        var moved: [String] = []
        var counted: Int64 = 0
        var processed: Int64 = 0
        for (index, item) in items {
            func rejected(_ field: String, _ message: String) -> SyncResult {
                SyncResult(
                    index: index, dossierCode: item.dossierCode, outcome: .rejected, field: field, message: message)
            }
            guard item.agency == agencyCode else {
                results.append(rejected("agency", "this token acts for agency \(agencyCode) only"))
                continue
            }
            if seen.contains(item.eventID) {
                results.append(SyncResult(index: index, dossierCode: item.dossierCode, outcome: .duplicate))
                continue
            }
            var state = states[item.dossierCode]
            if item.progressOnly && state == nil {
                results.append(rejected("dossier_code", "no dossier has this code yet; send the dossier first"))
                continue
            }
            if !item.progressOnly && !procedures.contains(item.procedureCode) {
                results.append(rejected("procedure_code", "no procedure has this code"))
                continue
            }
            if let existing = state, existing.agencyCode != agencyCode {
                results.append(rejected("dossier_code", "this dossier belongs to another agency"))
                continue
            }
            if state == nil {
                created.append((item.dossierCode, item))
                state = DossierState(agencyCode: agencyCode)
                states[item.dossierCode] = state
            }
            guard var dossier = state else { throw DossierStoreError.insertFailed }
            let event = DossierEvent(
                status: item.status, at: item.eventAt, actor: .agencySystem, note: item.note, source: .agencySync)
            var outcome = SyncOutcome.applied
            if let last = dossier.history.last, item.eventAt < last.at {
                outcome = .stale
            } else {
                do {
                    try DossierStateMachine.validate(event, after: dossier.history)
                } catch DossierTransitionError.noChange {
                    // The same status again under another event id: a repeat in the agency's system.
                    outcome = .duplicate
                } catch {
                    let message =
                        (error as? DossierTransitionError)?.messageEn ?? "cannot follow the current status"
                    results.append(rejected("status", message))
                    continue
                }
            }
            seen.insert(item.eventID)
            syncRows.append((item.dossierCode, item.eventID, outcome))
            guard outcome != .duplicate else {
                results.append(SyncResult(index: index, dossierCode: item.dossierCode, outcome: .duplicate))
                continue
            }
            eventRows.append((item.dossierCode, event, outcome == .applied))
            counted += 1
            var finishedNow = false
            if outcome == .applied {
                let finished = item.status.hasResult ? (dossier.finishedAt ?? item.eventAt) : dossier.finishedAt
                finishedNow = dossier.finishedAt == nil && finished != nil
                if finishedNow { processed += 1 }
                dossier.submittedAt = dossier.submittedAt ?? item.receivedAt ?? item.eventAt
                dossier.receivedAt = item.receivedAt ?? dossier.receivedAt
                dossier.dueAt = item.dueAt ?? dossier.dueAt
                dossier.finishedAt = finished
                dossier.history.append(event)
                if dossier.appliedHere == 0 { moved.append(item.dossierCode) }
                dossier.appliedHere += 1
                states[item.dossierCode] = dossier
            }
            results.append(
                SyncResult(
                    index: index, dossierCode: item.dossierCode, outcome: outcome, field: nil, message: nil,
                    finished: finishedNow))
        }

        var ids = states.compactMapValues(\.id)
        for (code, id) in try await Self.insertDossiers(created, agencyCode: agencyCode, now: now, on: db) {
            ids[code] = id
        }
        try await Self.insertSyncEvents(syncRows, ids: ids, agencyCode: agencyCode, on: db)
        try await Self.insertEvents(eventRows, ids: ids, on: db)
        try await Self.updateDossiers(
            moved.compactMap { code in ids[code].flatMap { id in states[code].map { (id, $0) } } },
            calendar: calendar, now: now, on: db)
        // The public counter counts every new event recorded, applied or late, so that the same stream
        // delivered in any order counts the same.
        if counted > 0 {
            try await CounterStore.increment(.statusSyncs, by: counted, on: db)
            try await db.update("agency_clients").set("last_sync_at", to: now.epochMilliseconds)
                .where("agency_code", .equal, agencyCode).where("revoked_at", .is, SQLLiteral.null).run()
        }
        if processed > 0 { try await CounterStore.increment(.dossiersProcessed, by: processed, on: db) }
        return results
    }

    /// What ingestion needs of a dossier: who it belongs to, its applied events and its dates.
    struct DossierState {
        var id: Int64?
        let agencyCode: String
        var history: [DossierEvent] = []
        var receivedAt: Date?
        var dueAt: Date?
        var submittedAt: Date?
        var finishedAt: Date?
        /// Events of this batch that moved the status.
        var appliedHere = 0

        init(
            id: Int64? = nil, agencyCode: String, receivedAt: Date? = nil, dueAt: Date? = nil,
            submittedAt: Date? = nil, finishedAt: Date? = nil
        ) {
            self.id = id
            self.agencyCode = agencyCode
            self.receivedAt = receivedAt
            self.dueAt = dueAt
            self.submittedAt = submittedAt
            self.finishedAt = finishedAt
        }
    }

    static func seenEvents(_ eventIDs: [String], agencyCode: String, on db: any SQLDatabase) async throws
        -> Set<String>
    {
        guard !eventIDs.isEmpty else { return [] }
        return Set(
            try await db.select().column("event_id").from("sync_events").where("agency_code", .equal, agencyCode)
                .where("event_id", .in, eventIDs).all().map { try $0.decode(column: "event_id", as: String.self) })
    }

    static func knownProcedures(_ codes: [String], on db: any SQLDatabase) async throws -> Set<String> {
        guard !codes.isEmpty else { return [] }
        return Set(
            try await db.select().column("code").from("procedures").where("code", .in, codes).all().map {
                try $0.decode(column: "code", as: String.self)
            })
    }

    static func states(of codes: [String], on db: any SQLDatabase) async throws -> [String: DossierState] {
        guard !codes.isEmpty else { return [:] }
        var states: [String: DossierState] = [:]
        var codeOfID: [Int64: String] = [:]
        for row in try await db.select()
            .columns("id", "code", "agency_code", "received_at", "due_at", "submitted_at", "finished_at")
            .from("dossiers").where("code", .in, codes).all()
        {
            func date(_ column: String) throws -> Date? {
                try row.decode(column: column, as: Int64?.self).map(Date.init(epochMilliseconds:))
            }
            let id = try row.decode(column: "id", as: Int64.self)
            let code = try row.decode(column: "code", as: String.self)
            codeOfID[id] = code
            states[code] = DossierState(
                id: id, agencyCode: try row.decode(column: "agency_code", as: String.self),
                receivedAt: try date("received_at"), dueAt: try date("due_at"), submittedAt: try date("submitted_at"),
                finishedAt: try date("finished_at"))
        }
        guard !codeOfID.isEmpty else { return states }
        for row in try await db.select().columns("dossier_id", "status", "at", "actor", "note", "source")
            .from("dossier_events").where("dossier_id", .in, Array(codeOfID.keys)).where("applied", .equal, 1)
            .orderBy("dossier_id").orderBy("at").orderBy("id").all()
        {
            guard let code = codeOfID[try row.decode(column: "dossier_id", as: Int64.self)] else { continue }
            states[code]?.history.append(
                DossierEvent(
                    status: DossierStatus(rawValue: try row.decode(column: "status", as: Int.self)) ?? .submitted,
                    at: Date(epochMilliseconds: try row.decode(column: "at", as: Int64.self)),
                    actor: DossierActorKind(rawValue: try row.decode(column: "actor", as: String.self)) ?? .system,
                    note: try row.decode(column: "note", as: String?.self),
                    source: DossierEventSource(rawValue: try row.decode(column: "source", as: String.self)) ?? .portal))
        }
        return states
    }

    /// Inserts the dossiers first reported in this batch; returns their ids by code.
    static func insertDossiers(
        _ created: [(code: String, item: SyncItem)], agencyCode: String, now: Date, on db: any SQLDatabase
    ) async throws -> [String: Int64] {
        guard !created.isEmpty else { return [:] }
        var insert = db.insert(into: "dossiers")
            .columns(
                "ref", "code", "procedure_code", "agency_code", "origin", "channel", "applicant", "form", "version",
                "created_at", "updated_at")
        for (code, item) in created {
            let applicant = Applicant(
                accountType: item.applicantType == 2 ? "business" : "citizen", fullName: item.applicantName,
                personalID: item.applicantType == 1 ? item.applicantID : nil,
                taxCode: item.applicantType == 2 ? item.applicantID : nil, birthDate: nil, sex: nil, phone: nil,
                email: nil, provinceName: nil, communeName: nil)
            insert = insert.values(
                SQLBind(SessionStore.randomToken()), SQLBind(code), SQLBind(item.procedureCode), SQLBind(agencyCode),
                SQLBind("sync"), SQLBind(item.channel), SQLBind(try DossierStore.encode(applicant)), SQLBind("{}"),
                SQLBind(0), SQLBind(now.epochMilliseconds), SQLBind(now.epochMilliseconds))
        }
        var ids: [String: Int64] = [:]
        for row in try await insert.returning("id", "code").all() {
            ids[try row.decode(column: "code", as: String.self)] = try row.decode(column: "id", as: Int64.self)
        }
        guard ids.count == created.count else { throw DossierStoreError.insertFailed }
        return ids
    }

    static func insertSyncEvents(
        _ rows: [(code: String, eventID: String, outcome: SyncOutcome)], ids: [String: Int64], agencyCode: String,
        on db: any SQLDatabase
    ) async throws {
        guard !rows.isEmpty else { return }
        var insert = db.insert(into: "sync_events").columns("agency_code", "event_id", "dossier_id", "outcome")
        for row in rows {
            guard let id = ids[row.code] else { throw DossierStoreError.insertFailed }
            insert = insert.values(
                SQLBind(agencyCode), SQLBind(row.eventID), SQLBind(id), SQLBind(row.outcome.rawValue))
        }
        try await insert.run()
    }

    static func insertEvents(
        _ rows: [(code: String, event: DossierEvent, applied: Bool)], ids: [String: Int64], on db: any SQLDatabase
    ) async throws {
        guard !rows.isEmpty else { return }
        var insert = db.insert(into: "dossier_events")
            .columns("dossier_id", "status", "at", "actor", "note", "source", "applied")
        for row in rows {
            guard let id = ids[row.code] else { throw DossierStoreError.insertFailed }
            insert = insert.values(
                SQLBind(id), SQLBind(row.event.status.rawValue), SQLBind(row.event.at.epochMilliseconds),
                SQLBind(DossierActorKind.agencySystem.rawValue), SQLBind(row.event.note),
                SQLBind(DossierEventSource.agencySync.rawValue), SQLBind(row.applied ? 1 : 0))
        }
        try await insert.run()
    }

    /// One statement sets the new status, dates and statistics columns of every dossier whose status moved.
    static func updateDossiers(
        _ moved: [(id: Int64, state: DossierState)], calendar: WorkingCalendar, now: Date, on db: any SQLDatabase
    ) async throws {
        guard !moved.isEmpty else { return }
        var values: [SQLQueryString] = []
        for (id, state) in moved {
            guard let status = state.history.last?.status else { continue }
            let working = DossierTimes.workingTimeToResult(
                state.history, receivedAt: state.receivedAt, finishedAt: state.finishedAt, calendar: calendar)
            let supplemented = state.history.contains { $0.status == .supplementRequested } ? 1 : 0
            values.append(
                """
                (CAST(\(bind: id) AS BIGINT), CAST(\(bind: status.rawValue) AS INTEGER), \
                CAST(\(bind: state.receivedAt?.epochMilliseconds) AS BIGINT), \
                CAST(\(bind: state.dueAt?.epochMilliseconds) AS BIGINT), \
                CAST(\(bind: state.submittedAt?.epochMilliseconds) AS BIGINT), \
                CAST(\(bind: state.finishedAt?.epochMilliseconds) AS BIGINT), \
                CAST(\(bind: DossierTimes.pausedSince(state.history)?.epochMilliseconds) AS BIGINT), \
                CAST(\(bind: supplemented) AS INTEGER), CAST(\(bind: working.map { Int64($0.rounded()) }) AS BIGINT), \
                CAST(\(bind: state.appliedHere) AS INTEGER))
                """)
        }
        guard !values.isEmpty else { return }
        let rows = values.dropFirst().reduce(values[0]) { $0 + ", " + $1 }
        let head: SQLQueryString =
            "WITH v (id, status, received_at, due_at, submitted_at, finished_at, paused_at, supplemented, "
            + "work_seconds, n) AS (VALUES "
        try await db.raw(
            head + rows
                + """
                ) UPDATE dossiers SET status = v.status, received_at = v.received_at, due_at = v.due_at, \
                submitted_at = v.submitted_at, finished_at = v.finished_at, paused_at = v.paused_at, \
                supplemented = v.supplemented, work_seconds = v.work_seconds, \
                updated_at = \(bind: now.epochMilliseconds), version = dossiers.version + v.n \
                FROM v WHERE dossiers.id = v.id
                """
        ).run()
    }
}
