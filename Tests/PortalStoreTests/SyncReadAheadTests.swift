import Foundation
import PortalCore
import PortalTestSupport
import SQLKit
import Testing

@testable import PortalStore

/// Sync decides a batch before its transaction, from what the database held then, and writes it only if that still
/// holds when the transaction starts; otherwise it decides again inside. These tests let another writer change the
/// database between the two steps.
@Suite struct SyncReadAheadTests {
    static let agency = DossierStoreTests.agency
    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    static func item(_ code: String, _ procedure: String, _ status: DossierStatus, event: String, minute: Int)
        -> SyncItem
    {
        SyncItem(
            dossierCode: code, procedureCode: procedure, agency: agency, applicantType: 1, applicantID: "001090001234",
            applicantName: "Nguyễn Văn An", channel: 1, receivedAt: start, dueAt: nil, status: status, eventID: event,
            eventAt: start.addingTimeInterval(Double(minute) * 60), note: nil)
    }

    /// What a dossier's rows and the counters hold, to compare before and after.
    static func snapshot(_ database: Database) async throws -> [String] {
        var lines: [String] = []
        for row in try await database.sql.raw(
            "SELECT code, status, version, finished_at FROM dossiers WHERE code IS NOT NULL ORDER BY code"
        ).all() {
            lines.append(
                "dossier \(try row.decode(column: "code", as: String.self)) "
                    + "\(try row.decode(column: "status", as: Int?.self) ?? 0) "
                    + "v\(try row.decode(column: "version", as: Int.self)) "
                    + "\(try row.decode(column: "finished_at", as: Int64?.self) ?? 0)")
        }
        for row in try await database.sql.raw(
            "SELECT event_id, outcome FROM sync_events ORDER BY agency_code, event_id"
        ).all() {
            lines.append(
                "seen \(try row.decode(column: "event_id", as: String.self)) "
                    + (try row.decode(column: "outcome", as: String.self)))
        }
        let events = try await database.sql.raw("SELECT COUNT(*) AS n FROM dossier_events").first()
        lines.append("events \(try events?.decode(column: "n", as: Int.self) ?? -1)")
        let counters = try await CounterStore(database: database).values()
        lines.append("syncs \(counters[.statusSyncs] ?? 0) processed \(counters[.dossiersProcessed] ?? 0)")
        return lines
    }

    /// After `first` is ingested, decides `items` as the sync does before its transaction, lets `meanwhile`
    /// write, then checks that writing the decision fails and leaves the database as `meanwhile` left it, and that
    /// `ingest` then decides again.
    static func expectDecidedAgain(
        _ database: Database, first: [SyncItem] = [], items: [SyncItem], meanwhile: [SyncItem],
        expected: [SyncOutcome]
    ) async throws {
        let sync = DossierSync(database: database)
        if !first.isEmpty {
            let results = try await sync.ingest(
                first.enumerated().map { (index: $0.offset, item: $0.element) }, agencyCode: agency, now: start)
            #expect(results.allSatisfy { $0.outcome == .applied })
        }
        let batch = items.enumerated().map { (index: $0.offset, item: $0.element) }
        let context = try await sync.context(of: batch)
        let ahead = try #require(
            try await sync.readAhead(batch, agencyCode: agency, context: context, now: start))
        #expect(ahead.checked)
        let other = try await sync.ingest(
            meanwhile.enumerated().map { (index: $0.offset, item: $0.element) }, agencyCode: agency, now: start)
        #expect(other.allSatisfy { $0.outcome != .rejected })
        let before = try await snapshot(database)
        await #expect(throws: (any Error).self) {
            try await database.transaction { db in try await ahead.write(on: db) }
        }
        #expect(try await snapshot(database) == before)
        let results = try await sync.ingest(batch, agencyCode: agency, now: start)
        #expect(results.map(\.outcome) == expected)
    }

    @Test(arguments: TestEngine.available)
    func aDossierMovedByAnotherWriterIsReadAgain(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let procedure = try await DossierStoreTests.prepared(database).procedure.code
            // Decided ahead, processing at minute 3 applies; meanwhile processing at minute 5 applies first, so
            // minute 3 comes late.
            try await Self.expectDecidedAgain(
                database, first: [Self.item("HS-1", procedure, .received, event: "e1", minute: 1)],
                items: [Self.item("HS-1", procedure, .processing, event: "e3", minute: 3)],
                meanwhile: [Self.item("HS-1", procedure, .processing, event: "e5", minute: 5)], expected: [.stale])
            let row = try #require(
                try await database.sql.raw("SELECT status, version FROM dossiers WHERE code = 'HS-1'").first())
            #expect(try row.decode(column: "status", as: Int.self) == DossierStatus.processing.rawValue)
            // Created, moved by minute 5, then minute 3 recorded late: a late event counts for the statistics
            // columns, so it moves the version too.
            #expect(try row.decode(column: "version", as: Int.self) == 3)
        }
    }

    @Test(arguments: TestEngine.available)
    func aDossierCreatedByAnotherWriterIsNotCreatedTwice(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let procedure = try await DossierStoreTests.prepared(database).procedure.code
            try await Self.expectDecidedAgain(
                database, items: [Self.item("HS-2", procedure, .processing, event: "b", minute: 2)],
                meanwhile: [Self.item("HS-2", procedure, .received, event: "a", minute: 1)], expected: [.applied])
            let count = try await database.sql.raw("SELECT COUNT(*) AS n FROM dossiers WHERE code = 'HS-2'").first()
            #expect(try count?.decode(column: "n", as: Int.self) == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func anEventRecordedByAnotherWriterIsADuplicate(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let procedure = try await DossierStoreTests.prepared(database).procedure.code
            // The same status again under a new id is recorded as a repeat without moving the dossier (its version
            // stays): only the event's key tells the two writers apart.
            try await Self.expectDecidedAgain(
                database, first: [Self.item("HS-3", procedure, .received, event: "r", minute: 1)],
                items: [Self.item("HS-3", procedure, .received, event: "again", minute: 2)],
                meanwhile: [Self.item("HS-3", procedure, .received, event: "again", minute: 2)],
                expected: [.duplicate])
        }
    }

    /// The same streams sent by concurrent clients, batches interleaved, end as they do sent one after another.
    @Test(arguments: TestEngine.available)
    func concurrentBatchesOnTheSameDossiersConverge(engine: TestEngine) async throws {
        // No status twice in a path: the same status again would be a repeat or not depending on what came between.
        let paths: [[DossierStatus]] = [
            [.submitted, .received, .processing, .processed, .resultReturned],
            [.received, .supplementRequested, .processing, .processed, .resultReturned],
            [.submitted, .received, .processing, .stopped],
        ]
        func stream(_ procedure: String) -> [SyncItem] {
            (0..<6).flatMap { dossier in
                paths[dossier % paths.count].enumerated().map { step, status in
                    Self.item("HS-C\(dossier)", procedure, status, event: "c\(dossier).\(step)", minute: step + 1)
                }
            }
        }
        func finalState(_ database: Database) async throws -> [String] {
            var lines: [String] = []
            for row in try await database.sql.raw(
                """
                SELECT d.code, d.status, (SELECT COUNT(*) FROM dossier_events e WHERE e.dossier_id = d.id) AS events, \
                d.submitted_at, d.finished_at, d.paused_at, d.supplemented, d.work_seconds \
                FROM dossiers d WHERE d.code IS NOT NULL ORDER BY d.code
                """
            ).all() {
                // The statistics columns too: every order of delivery leaves the same.
                let columns = try ["submitted_at", "finished_at", "paused_at", "work_seconds"].map {
                    try row.decode(column: $0, as: Int64?.self).map(String.init) ?? "-"
                }
                lines.append(
                    "\(try row.decode(column: "code", as: String.self)) "
                        + "\(try row.decode(column: "status", as: Int.self)) "
                        + "\(try row.decode(column: "events", as: Int.self)) "
                        + "\(columns.joined(separator: " ")) \(try row.decode(column: "supplemented", as: Int.self))")
            }
            let counters = try await CounterStore(database: database).values()
            lines.append("syncs \(counters[.statusSyncs] ?? 0) processed \(counters[.dossiersProcessed] ?? 0)")
            return lines
        }
        var expected: [String] = []
        try await TestDatabases.withDatabase(engine) { database in
            let procedure = try await DossierStoreTests.prepared(database).procedure.code
            _ = try await DossierSync(database: database).ingest(
                stream(procedure).enumerated().map { (index: $0.offset, item: $0.element) }, agencyCode: Self.agency,
                now: Self.start)
            expected = try await finalState(database)
        }
        #expect(expected.count == 7)
        try await TestDatabases.withDatabase(engine) { database in
            let procedure = try await DossierStoreTests.prepared(database).procedure.code
            let sync = DossierSync(database: database)
            let items = stream(procedure)
            // Four clients each send every event, in batches of three, each client in another order; every
            // event is then recorded once and repeated three times. An event that comes before what it follows
            // can be refused by the rules (a jump they do not allow); another client's copy of it comes later.
            var generator = SystemRandomNumberGenerator()
            let orders = (0..<4).map { _ in Array(items.indices).shuffled(using: &generator) }
            let results = try await withThrowingTaskGroup(of: [SyncResult].self) { group in
                for order in orders {
                    group.addTask {
                        var results: [SyncResult] = []
                        for start in stride(from: 0, to: order.count, by: 3) {
                            let batch = order[start..<min(start + 3, order.count)].enumerated().map {
                                (index: $0.offset, item: items[$0.element])
                            }
                            results += try await sync.ingest(batch, agencyCode: Self.agency, now: Self.start)
                        }
                        return results
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let refused = results.filter { $0.outcome == .rejected }
            #expect(refused.allSatisfy { $0.field == "status" }, "\(refused)")
            let recorded = try await database.sql.raw("SELECT COUNT(*) AS n FROM sync_events").first()
            #expect(try recorded?.decode(column: "n", as: Int.self) == items.count)
            #expect(try await finalState(database) == expected)
        }
    }
}
