import Foundation
import PortalCore
import PortalStore
import PortalTestSupport
import SQLKit
import Testing

/// Every aggregate the statistics publish, compared with a brute-force count over the same generated dossiers:
/// dossiers reported by agencies' systems (every path, out of order across dossiers, with repeats and refused
/// items) and dossiers handled on the portal (with a supplement pause, a result and a rating).
@Suite struct StatisticsStoreTests {
    static let agencies = ["000.00.61.H29", "000.00.62.H29", "000.00.63.H29"]
    static let procedures = ["1.001193", "1.000894", "1.004222"]
    /// The refresh instant: 12:00 on 1 November 2026 in Hà Nội. Some results arrive after it.
    static let instant = VietnamTime.instant(on: LocalDate(year: 2026, month: 11, day: 1)!, hour: 12, minute: 0)

    /// What the test knows of a dossier, independently of the database.
    struct Truth {
        let agency: String
        let procedure: String
        let online: Bool
        let receivedAt: Date
        let dueAt: Date?
        var events: [DossierEvent]
        var rating: Int?

        var snapshot: DossierSnapshot {
            let last = events.last!
            return DossierSnapshot(
                receivedAt: receivedAt, dueAt: dueAt, finishedAt: events.first { $0.status.hasResult }?.at,
                status: last.status, isOnline: online,
                hadSupplementRequest: events.contains { $0.status == .supplementRequested },
                pausedSince: last.status == .supplementRequested ? last.at : nil)
        }
    }

    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Dossiers received at agencies' counters between January and October 2026, each along one of the paths an
    /// agency's system reports, with a due date before or after the refresh instant, or none.
    static func generated(count: Int, random: inout Generator) -> [(code: String, truth: Truth)] {
        let paths: [[DossierStatus]] = [
            [.received], [.received, .processing], [.received, .processing, .processed],
            [.received, .processing, .processed, .resultReturned], [.received, .processed],
            [.received, .processing, .supplementRequested], [.received, .supplementRequested, .processing, .processed],
            [.received, .processing, .stopped], [.received, .withdrawn], [.received, .paymentRequested],
        ]
        let first = LocalDate(year: 2026, month: 1, day: 5)!
        return (0..<count).map { number in
            let day = first.adding(days: Int.random(in: 0...298, using: &random))
            let receivedAt = VietnamTime.instant(
                on: day, hour: Int.random(in: 7...16, using: &random), minute: Int.random(in: 0...59, using: &random))
            let dueAt: Date? =
                Int.random(in: 0..<10, using: &random) == 0
                ? nil
                : VietnamTime.instant(on: day.adding(days: Int.random(in: 1...20, using: &random)), hour: 17, minute: 0)
            var at = receivedAt
            var events: [DossierEvent] = []
            for status in paths[number % paths.count] {
                if !events.isEmpty {
                    at = at.addingTimeInterval(Double(Int.random(in: 1...(9 * 86_400), using: &random)))
                }
                let note = DossierStateMachine.statusesRequiringReason.contains(status) ? "Lý do \(number)" : nil
                events.append(
                    DossierEvent(status: status, at: at, actor: .agencySystem, note: note, source: .agencySync))
            }
            let agency = agencies[Int.random(in: 0..<agencies.count, using: &random)]
            let code =
                "\(agency)-\(String(format: "%02d%02d%02d", day.year % 100, day.month, day.day))-\(String(format: "%04d", number + 1))"
            return (
                code,
                Truth(
                    agency: agency, procedure: procedures[Int.random(in: 0..<procedures.count, using: &random)],
                    online: Int.random(in: 0..<3, using: &random) == 0, receivedAt: receivedAt, dueAt: dueAt,
                    events: events)
            )
        }
    }

    static func item(_ code: String, _ truth: Truth, _ event: DossierEvent, id: String, agency: String? = nil)
        -> SyncItem
    {
        SyncItem(
            dossierCode: code, procedureCode: truth.procedure, agency: agency ?? truth.agency, applicantType: 1,
            applicantID: "001090001234", applicantName: "Nguyễn Văn An", channel: truth.online ? 2 : 1,
            receivedAt: truth.receivedAt, dueAt: truth.dueAt, status: event.status, eventID: id, eventAt: event.at,
            note: event.note)
    }

    /// A portal dossier taken through reception, a supplement request and, unless `pausedAt` says where to stop,
    /// the supplement, the result, its return and a rating.
    static func portalDossier(
        _ store: DossierStore, citizen: Int64, officer: Int64, procedure: Procedure, start: LocalDate,
        stopWhilePaused: Bool, rating: Int
    ) async throws -> Truth {
        let dossier = try await DossierStoreTests.submitted(
            store, citizen: citizen, procedure: procedure, at: VietnamTime.instant(on: start, hour: 8, minute: 0))
        let officerActor = DossierStore.Actor(accountID: officer, role: "officer")
        let citizenActor = DossierStore.Actor(accountID: citizen, role: "citizen")
        let time = try #require(ProcessingTime.workingDays(3))
        func act(_ action: DossierAction, _ actor: DossierStore.Actor, day: Int, hour: Int) async throws -> Dossier {
            try await store.apply(
                action, ref: dossier.ref, expectedVersion: nil, actor: actor, processingTime: time, calendar: .vietnam,
                notifyEmail: nil, now: VietnamTime.instant(on: start.adding(days: day), hour: hour, minute: 0))
        }
        _ = try await act(.receive, officerActor, day: 0, hour: 9)
        var last = try await act(.requestSupplement(missing: "Thiếu giấy chứng sinh"), officerActor, day: 1, hour: 9)
        if !stopWhilePaused {
            _ = try await store.addFile(
                dossierID: dossier.id, purpose: .supplement, slot: 0, name: "bo-sung.pdf",
                sha256: String(repeating: "b", count: 64), size: 10, kind: "pdf", uploadedBy: citizenActor,
                maximumDossierBytes: 1000)
            _ = try await act(.supplement(note: ""), citizenActor, day: 6, hour: 10)
            _ = try await store.addFile(
                dossierID: dossier.id, purpose: .result, slot: 0, name: "ket-qua.pdf",
                sha256: String(repeating: "c", count: 64), size: 10, kind: "pdf", uploadedBy: officerActor,
                maximumDossierBytes: 1000)
            _ = try await act(.finish(note: "Xong"), officerActor, day: 7, hour: 15)
            last = try await act(.returnResult, officerActor, day: 7, hour: 16)
            try await store.rate(
                ref: dossier.ref, actor: citizenActor, rating: rating, comment: "",
                now: VietnamTime.instant(on: start.adding(days: 8), hour: 8, minute: 0))
        }
        return Truth(
            agency: DossierStoreTests.agency, procedure: procedure.code, online: true,
            receivedAt: try #require(last.receivedAt), dueAt: last.dueAt, events: last.history,
            rating: stopWhilePaused ? nil : rating)
    }

    /// The brute-force figures of the dossiers received in a period, from the domain rules alone.
    static func expected(_ truths: [Truth], from: LocalDate, to: LocalDate) -> StatisticsFigures {
        let chosen = truths.filter {
            let day = VietnamTime.localDate(of: $0.receivedAt)
            return from <= day && day <= to && $0.receivedAt <= instant
        }
        let statistics = DossierStatistics(dossiers: chosen.map(\.snapshot), at: instant)
        var figures = StatisticsFigures()
        figures.received = Int64(statistics.received)
        figures.online = Int64(statistics.onlineShare.numerator)
        figures.supplemented = Int64(statistics.supplementRate.numerator)
        figures.finishedEarly = Int64(statistics.count(.finishedEarly))
        figures.finishedOnTime = Int64(statistics.count(.finishedOnTime))
        figures.finishedLate = Int64(statistics.count(.finishedLate))
        figures.closedWithoutResult = Int64(statistics.count(.closedWithoutResult))
        figures.openWithinDeadline = Int64(statistics.count(.openWithinDeadline))
        figures.openPastDeadline = Int64(statistics.count(.openPastDeadline))
        for truth in chosen {
            if let seconds = DossierTimes.workingTimeToResult(
                truth.events, receivedAt: truth.receivedAt, finishedAt: truth.snapshot.finishedAt, calendar: .vietnam)
            {
                figures.workSeconds += Int64(seconds.rounded())
                figures.workCount += 1
            }
            if let rating = truth.rating {
                figures.ratingSum += Int64(rating)
                figures.ratingCount += 1
            }
        }
        return figures
    }

    @Test(arguments: TestEngine.available)
    func everyAggregateMatchesABruteForceCount(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let (citizen, officer, procedure) = try await DossierStoreTests.prepared(database)
            for (index, agency) in Self.agencies.enumerated() {
                _ = try await AgencyClients(database: database).add(agencyCode: agency, name: "client-\(index)")
            }
            var random = Generator(state: 20_261_101)
            let generated = Self.generated(count: 240, random: &random)
            var truths = generated.map(\.truth)

            // Every event, each dossier's in order, dossiers interleaved, in batches per agency; each batch also
            // carries an event sent before (a repeat) and one for another agency's dossier (refused).
            var pending = generated.flatMap { code, truth in
                truth.events.enumerated().map { (code: code, truth: truth, event: $1, id: "\(code)#\($0)") }
            }
            pending.sort { ($0.event.at, $0.id) < ($1.event.at, $1.id) }
            let sync = DossierSync(database: database)
            let before = try await CounterStore(database: database).values()
            var applied = 0
            var sent: [String: SyncItem] = [:]
            for agency in Self.agencies {
                let mine = pending.filter { $0.truth.agency == agency }
                for start in stride(from: 0, to: mine.count, by: 50) {
                    var items = mine[start..<min(start + 50, mine.count)].map {
                        Self.item($0.code, $0.truth, $0.event, id: $0.id)
                    }
                    if let repeated = sent.values.first(where: { $0.agency == agency }) { items.append(repeated) }
                    items.append(
                        Self.item(
                            "\(agency)-260105-9999", truths[0], truths[0].events[0], id: "foreign-\(start)",
                            agency: Self.agencies.first { $0 != agency }))
                    let results = try await sync.ingest(
                        items.enumerated().map { ($0, $1) }, agencyCode: agency, now: Self.instant)
                    applied += results.filter { $0.outcome == .applied }.count
                    #expect(results.filter { $0.outcome == .stale }.isEmpty)
                    #expect(results.filter { $0.outcome == .rejected }.count == 1)
                    for item in items.dropLast() { sent[item.eventID] = item }
                }
            }
            #expect(applied == pending.count)

            // Portal dossiers: two finished after a supplement pause (rated), one still paused.
            let store = DossierStore(database: database)
            for (offset, paused) in [(0, false), (14, false), (30, true)] {
                truths.append(
                    try await Self.portalDossier(
                        store, citizen: citizen, officer: officer, procedure: procedure,
                        start: LocalDate(year: 2026, month: 9, day: 1)!.adding(days: offset), stopWhilePaused: paused,
                        rating: offset == 0 ? 5 : 3))
            }
            #expect(
                truths.contains {
                    $0.snapshot.pausedSince != nil
                        && DossierOutcomeBucket.classify($0.snapshot, at: Self.instant) == .openPastDeadline
                })
            #expect(
                truths.contains {
                    $0.snapshot.pausedSince != nil
                        && DossierOutcomeBucket.classify($0.snapshot, at: Self.instant) == .openWithinDeadline
                })
            #expect(truths.contains { DossierOutcomeBucket.classify($0.snapshot, at: Self.instant) == .finishedLate })

            let statistics = StatisticsStore(database: database)
            try await statistics.refresh(now: Self.instant)
            #expect(try await statistics.refreshedAt() == Self.instant)

            // The running counters.
            let after = try await CounterStore(database: database).values()
            #expect(after[.statusSyncs]! - (before[.statusSyncs] ?? 0) == Int64(pending.count))
            #expect(
                after[.dossiersProcessed]! - (before[.dossiersProcessed] ?? 0)
                    == Int64(truths.filter { $0.snapshot.finishedAt != nil }.count))
            let summary = try await statistics.summary()
            #expect(summary.agenciesSyncing == Int64(Self.agencies.count))
            #expect(summary.statusSyncs == after[.statusSyncs])

            // Per agency, over several periods, and the whole portal per day.
            let periods: [(LocalDate, LocalDate)] = [
                (LocalDate(year: 2026, month: 1, day: 1)!, LocalDate(year: 2026, month: 12, day: 31)!),
                (LocalDate(year: 2026, month: 3, day: 1)!, LocalDate(year: 2026, month: 3, day: 31)!),
                (LocalDate(year: 2026, month: 9, day: 1)!, LocalDate(year: 2026, month: 10, day: 15)!),
                (LocalDate(year: 2025, month: 1, day: 1)!, LocalDate(year: 2025, month: 12, day: 31)!),
            ]
            var compared = 0
            for (from, to) in periods {
                let ranking = try await statistics.agencies(from: from, to: to)
                let touched = Set(
                    truths.filter {
                        let day = VietnamTime.localDate(of: $0.receivedAt)
                        return from <= day && day <= to
                    }.map(\.agency))
                #expect(Set(ranking.map(\.agencyCode)) == touched)
                for agency in ranking {
                    #expect(
                        agency.figures
                            == Self.expected(truths.filter { $0.agency == agency.agencyCode }, from: from, to: to))
                    compared += 1
                }
                #expect(ranking.map(\.rank) == Array(0..<ranking.count).map { $0 + 1 })
                let rates = ranking.compactMap(\.figures.onTimeRate.value)
                #expect(rates == rates.sorted(by: >))
                for agency in Self.agencies {
                    for row in try await statistics.procedures(agency: agency, from: from, to: to) {
                        #expect(
                            row.figures
                                == Self.expected(
                                    truths.filter { $0.agency == agency && $0.procedure == row.procedureCode },
                                    from: from, to: to))
                    }
                }
                var total = StatisticsFigures()
                for (day, figures) in try await statistics.daily(from: from, to: to) {
                    #expect(figures == Self.expected(truths, from: day, to: day))
                    total.add(figures)
                }
                #expect(total == Self.expected(truths, from: from, to: to))
            }
            #expect(compared >= 6)

            // The status distribution counts every dossier at its current status.
            var statuses: [DossierStatus: Int64] = [:]
            for truth in truths { statuses[truth.events.last!.status, default: 0] += 1 }
            #expect(try await statistics.statusCounts() == statuses)
        }
    }

    @Test(arguments: TestEngine.available)
    func aRefreshReplacesTheFiguresAndOnlineServicesCountTheCatalogue(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            _ = try await DossierStoreTests.prepared(database)
            let statistics = StatisticsStore(database: database)
            #expect(try await statistics.refreshedAt() == nil)
            try await statistics.refresh(now: Self.instant)
            let rows = try await database.sql.raw(
                "SELECT online_level, COUNT(*) AS n FROM procedures GROUP BY online_level"
            ).all()
            var expected: [String: Int64] = [:]
            for row in rows {
                expected[try row.decode(column: "online_level", as: String.self)] = try row.decode(
                    column: "n", as: Int64.self)
            }
            let summary = try await statistics.summary()
            #expect(summary.servicesFull == expected["full"] ?? 0 && summary.servicesFull > 0)
            #expect(summary.servicesPartial == expected["partial"] ?? 0)
            let byField = try await statistics.servicesByField()
            #expect(byField.reduce(0) { $0 + $1.full } == summary.servicesFull)
            #expect(byField.reduce(0) { $0 + $1.partial } == summary.servicesPartial)
            // A second refresh gives the same figures, not doubled ones.
            try await statistics.refresh(now: Self.instant)
            #expect(try await statistics.summary() == summary)
        }
    }

    /// Period figures are summed once a refresh and served from memory until the next refresh, even one made at
    /// the same instant: a dossier synchronised in between shows only after it.
    @Test(arguments: TestEngine.available)
    func periodFiguresAreSummedOnceARefreshAndMoveWithTheNext(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let (_, _, procedure) = try await DossierStoreTests.prepared(database)
            let statistics = StatisticsStore(database: database)
            try await statistics.refresh(now: Self.instant)
            let today = VietnamTime.localDate(of: Self.instant)
            let week = today.adding(days: -7)
            #expect(try await statistics.daily(from: week, to: today).isEmpty)
            #expect(try await statistics.agencies(from: week, to: today).isEmpty)

            let received = Self.instant.addingTimeInterval(-86_400)
            let day = VietnamTime.localDate(of: received)
            _ = try await DossierStoreTests.synced(
                database, procedure: procedure, sequence: 42, applicantName: "Nguyễn Văn An", channel: 2,
                receivedAt: received, now: Self.instant)
            // As of the last refresh: not yet counted, by every reader at once.
            let readers = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await statistics.daily(from: week, to: today).count }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(readers == Array(repeating: 0, count: 8))

            try await statistics.refresh(now: Self.instant)
            let daily = try await statistics.daily(from: week, to: today)
            #expect(daily.map(\.day) == [day] && daily.first?.figures.received == 1)
            #expect(daily.first?.figures.online == 1)
            #expect(
                try await statistics.agencies(from: week, to: today).map(\.agencyCode) == [DossierStoreTests.agency])
            #expect(
                try await statistics.procedures(agency: DossierStoreTests.agency, from: week, to: today).map(
                    \.procedureCode) == [procedure.code])
        }
    }

    @Test(arguments: TestEngine.available)
    func pageViewsAreWrittenInBatchesNotPerView(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let hits = HitCounter()
            for _ in 0..<25 { hits.record() }
            let statistics = StatisticsStore(database: database)
            #expect(try await CounterStore(database: database).values()[.hits] == 0)
            #expect(try await statistics.summary(unflushedHits: hits.unflushed).hits == 25)
            try await hits.flush(to: database)
            #expect(hits.unflushed == 0)
            #expect(try await CounterStore(database: database).values()[.hits] == 25)
            hits.record()
            try await hits.flush(to: database)
            #expect(try await statistics.summary(unflushedHits: hits.unflushed).hits == 26)
        }
    }
}
