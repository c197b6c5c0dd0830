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
    public func ingest(_ items: [(index: Int, item: SyncItem)], agencyCode: String, now: Date = Date()) async throws
        -> [SyncResult]
    {
        let calendar = WorkingCalendar(holidays: try await HolidayStore(database: database).table())
        return try await database.transaction { db in
            var results: [SyncResult] = []
            var counted: Int64 = 0
            var processed: Int64 = 0
            for (index, item) in items {
                let result = try await Self.ingest(
                    item, index: index, agencyCode: agencyCode, calendar: calendar, now: now, on: db)
                if result.outcome == .applied || result.outcome == .stale { counted += 1 }
                if result.finished { processed += 1 }
                results.append(result)
            }
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
    }

    static func ingest(
        _ item: SyncItem, index: Int, agencyCode: String, calendar: WorkingCalendar, now: Date,
        on db: any SQLDatabase
    ) async throws -> SyncResult {
        func rejected(_ field: String, _ message: String) -> SyncResult {
            SyncResult(index: index, dossierCode: item.dossierCode, outcome: .rejected, field: field, message: message)
        }
        guard item.agency == agencyCode else {
            return rejected("agency", "this token acts for agency \(agencyCode) only")
        }
        if try await db.raw(
            "SELECT outcome FROM sync_events WHERE agency_code = \(bind: agencyCode) AND event_id = \(bind: item.eventID)"
        ).first() != nil {
            return SyncResult(index: index, dossierCode: item.dossierCode, outcome: .duplicate)
        }
        var dossier = try await DossierStore.load(
            where: ("d.code = \(bind: item.dossierCode)" as SQLQueryString), on: db)
        if item.progressOnly && dossier == nil {
            return rejected("dossier_code", "no dossier has this code yet; send the dossier first")
        }
        if !item.progressOnly,
            try await db.raw("SELECT code FROM procedures WHERE code = \(bind: item.procedureCode)").first() == nil
        {
            return rejected("procedure_code", "no procedure has this code")
        }
        if let existing = dossier, existing.agencyCode != agencyCode {
            return rejected("dossier_code", "this dossier belongs to another agency")
        }
        if dossier == nil {
            let applicant = Applicant(
                accountType: item.applicantType == 2 ? "business" : "citizen", fullName: item.applicantName,
                personalID: item.applicantType == 1 ? item.applicantID : nil,
                taxCode: item.applicantType == 2 ? item.applicantID : nil, birthDate: nil, sex: nil, phone: nil,
                email: nil, provinceName: nil, communeName: nil)
            try await db.insert(into: "dossiers")
                .columns(
                    "ref", "code", "procedure_code", "agency_code", "origin", "channel", "applicant", "form",
                    "version", "created_at", "updated_at"
                )
                .values(
                    SQLBind(SessionStore.randomToken()), SQLBind(item.dossierCode), SQLBind(item.procedureCode),
                    SQLBind(agencyCode), SQLBind("sync"), SQLBind(item.channel),
                    SQLBind(try DossierStore.encode(applicant)),
                    SQLBind("{}"), SQLBind(0), SQLBind(now.epochMilliseconds), SQLBind(now.epochMilliseconds)
                )
                .run()
            dossier = try await DossierStore.load(
                where: ("d.code = \(bind: item.dossierCode)" as SQLQueryString), on: db)
        }
        guard let dossier else { throw DossierStoreError.insertFailed }
        let event = DossierEvent(
            status: item.status, at: item.eventAt, actor: .agencySystem, note: item.note, source: .agencySync)
        let history = dossier.history
        var outcome = SyncOutcome.applied
        if let last = history.last, item.eventAt < last.at {
            outcome = .stale
        } else {
            do {
                try DossierStateMachine.validate(event, after: history)
            } catch DossierTransitionError.noChange {
                // The same status again under another event id: a repeat in the agency's system.
                outcome = .duplicate
            } catch {
                return rejected("status", error.messageEn)
            }
        }
        try await db.insert(into: "sync_events").columns("agency_code", "event_id", "dossier_id", "outcome")
            .values(SQLBind(agencyCode), SQLBind(item.eventID), SQLBind(dossier.id), SQLBind(outcome.rawValue)).run()
        guard outcome != .duplicate else {
            return SyncResult(index: index, dossierCode: item.dossierCode, outcome: .duplicate)
        }
        try await db.insert(into: "dossier_events")
            .columns("dossier_id", "status", "at", "actor", "note", "source", "applied")
            .values(
                SQLBind(dossier.id), SQLBind(item.status.rawValue), SQLBind(item.eventAt.epochMilliseconds),
                SQLBind(DossierActorKind.agencySystem.rawValue), SQLBind(item.note),
                SQLBind(DossierEventSource.agencySync.rawValue), SQLBind(outcome == .applied ? 1 : 0)
            )
            .run()
        var finishedNow = false
        if outcome == .applied {
            let finished = item.status.hasResult ? (dossier.finishedAt ?? item.eventAt) : dossier.finishedAt
            let receivedAt = item.receivedAt ?? dossier.receivedAt
            finishedNow = dossier.finishedAt == nil && finished != nil
            var update = db.update("dossiers")
                .set("status", to: item.status.rawValue)
                .set("received_at", to: receivedAt?.epochMilliseconds)
                .set("due_at", to: (item.dueAt ?? dossier.dueAt)?.epochMilliseconds)
                .set("submitted_at", to: (dossier.submittedAt ?? item.receivedAt ?? item.eventAt).epochMilliseconds)
                .set("finished_at", to: finished?.epochMilliseconds)
                .set("updated_at", to: now.epochMilliseconds)
                .set(SQLIdentifier("version"), to: SQLRaw("version + 1"))
            update = DossierStore.setStatisticsColumns(
                update, events: history + [event], receivedAt: receivedAt, finishedAt: finished, calendar: calendar)
            try await update.where("id", .equal, dossier.id).run()
        }
        return SyncResult(
            index: index, dossierCode: item.dossierCode, outcome: outcome, field: nil, message: nil,
            finished: finishedNow)
    }
}
