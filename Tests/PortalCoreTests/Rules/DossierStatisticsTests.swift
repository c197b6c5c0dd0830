import Foundation
import PortalCore
import Testing

@Suite("Statistics buckets")
struct DossierStatisticsTests {
    static func snapshot(
        received: String?, due: String?, finished: String? = nil, status: DossierStatus, online: Bool = true,
        supplement: Bool = false, paused: String? = nil
    ) throws -> DossierSnapshot {
        DossierSnapshot(
            receivedAt: try received.map { try instant($0) }, dueAt: try due.map { try instant($0) },
            finishedAt: try finished.map { try instant($0) }, status: status, isOnline: online,
            hadSupplementRequest: supplement, pausedSince: try paused.map { try instant($0) })
    }

    static let now = "2026-03-10T12:00"

    static let cases: [(String, DossierOutcomeBucket, DossierStatus, String?, String?, String?, String?)] = [
        (
            "finished a day before the due day", .finishedEarly, .resultReturned, "2026-03-02T09:00",
            "2026-03-09T09:00", "2026-03-06T16:00", nil
        ),
        (
            "finished on the due day before the due instant", .finishedOnTime, .processed, "2026-03-02T09:00",
            "2026-03-09T17:00", "2026-03-09T08:00", nil
        ),
        (
            "finished exactly at the due instant", .finishedOnTime, .processed, "2026-03-02T09:00", "2026-03-09T09:00",
            "2026-03-09T09:00", nil
        ),
        (
            "finished a second late", .finishedLate, .resultReturned, "2026-03-02T09:00", "2026-03-09T09:00",
            "2026-03-09T09:00:01", nil
        ),
        (
            "finished after the instant counts as open", .openPastDeadline, .processing, "2026-03-02T09:00",
            "2026-03-09T09:00", "2026-03-11T09:00", nil
        ),
        ("open within", .openWithinDeadline, .processing, "2026-03-02T09:00", "2026-03-10T12:00", nil, nil),
        ("open past", .openPastDeadline, .processing, "2026-03-02T09:00", "2026-03-10T11:59", nil, nil),
        (
            "paused before the due instant", .openWithinDeadline, .supplementRequested, "2026-03-02T09:00",
            "2026-03-09T09:00", nil, "2026-03-05T09:00"
        ),
        (
            "paused after the due instant", .openPastDeadline, .supplementRequested, "2026-03-02T09:00",
            "2026-03-04T09:00", nil, "2026-03-05T09:00"
        ),
        ("no time limit", .openWithinDeadline, .processing, "2026-03-02T09:00", nil, nil, nil),
        ("not yet received", .notReceived, .submitted, nil, nil, nil, nil),
        ("received after the instant", .notReceived, .received, "2026-03-11T09:00", "2026-03-18T09:00", nil, nil),
        ("refused", .closedWithoutResult, .refused, nil, nil, nil, nil),
        ("withdrawn", .closedWithoutResult, .withdrawn, "2026-03-02T09:00", "2026-03-09T09:00", nil, nil),
        ("stopped", .closedWithoutResult, .stopped, "2026-03-02T09:00", "2026-03-04T09:00", nil, nil),
    ]

    @Test("each dossier falls in exactly one bucket", arguments: cases)
    func eachDossierFallsInExactlyOneBucket(
        _ label: String, _ bucket: DossierOutcomeBucket, _ status: DossierStatus, _ received: String?, _ due: String?,
        _ finished: String?, _ paused: String?
    ) throws {
        let dossier = try Self.snapshot(
            received: received, due: due, finished: finished, status: status, paused: paused)
        #expect(DossierOutcomeBucket.classify(dossier, at: try instant(Self.now)) == bucket, "\(label)")
    }

    @Test func theSummaryCountsBucketsReceivedOnlineShareAndSupplementRate() throws {
        var dossiers: [DossierSnapshot] = []
        for (_, _, status, received, due, finished, paused) in Self.cases {
            dossiers.append(
                try Self.snapshot(
                    received: received, due: due, finished: finished, status: status,
                    online: dossiers.count % 2 == 0, supplement: paused != nil, paused: paused))
        }
        let now = try instant(Self.now)
        let statistics = DossierStatistics(dossiers: dossiers, at: now)
        for bucket in DossierOutcomeBucket.allCases {
            #expect(statistics.count(bucket) == Self.cases.filter { $0.1 == bucket }.count, "\(bucket)")
        }
        #expect(DossierOutcomeBucket.allCases.map(statistics.count).reduce(0, +) == dossiers.count)
        let received = dossiers.filter { ($0.receivedAt ?? .distantFuture) <= now }
        #expect(statistics.received == received.count && received.count == 12)
        #expect(statistics.onlineShare == Ratio(received.filter(\.isOnline).count, of: 12))
        #expect(statistics.supplementRate == Ratio(2, of: 12))
        #expect(statistics.onTimeRate == Ratio(3, of: 4))
        // Deterministic: the order of the dossiers does not matter.
        var generator = SplitMix64(seed: 31)
        #expect(DossierStatistics(dossiers: dossiers.shuffled(using: &generator), at: now) == statistics)
        #expect(DossierStatistics(dossiers: [], at: now).onTimeRate.value == nil)
    }
}
