import Foundation

/// Timeliness statistics for a set of dossiers at an instant: outcome buckets, received, online share and supplement rate.
public struct DossierStatistics: Sendable, Hashable, Codable {
    /// The instant the statistics describe.
    public let instant: Date
    /// The number of dossiers in each bucket (every bucket present, zero included).
    public let buckets: [DossierOutcomeBucket: Int]
    /// Dossiers received by the instant.
    public let received: Int
    /// Received dossiers that were submitted online, over received.
    public let onlineShare: Ratio
    /// Received dossiers with a supplement request, over received.
    public let supplementRate: Ratio
    /// Results ready early or on time, over results ready.
    public let onTimeRate: Ratio

    /// Computes the statistics; the order of the dossiers does not matter.
    public init(dossiers: [DossierSnapshot], at instant: Date) {
        var buckets = Dictionary(uniqueKeysWithValues: DossierOutcomeBucket.allCases.map { ($0, 0) })
        var received = 0
        var online = 0
        var supplemented = 0
        for dossier in dossiers {
            buckets[DossierOutcomeBucket.classify(dossier, at: instant), default: 0] += 1
            guard let receivedAt = dossier.receivedAt, receivedAt <= instant else { continue }
            received += 1
            if dossier.isOnline { online += 1 }
            if dossier.hadSupplementRequest { supplemented += 1 }
        }
        self.instant = instant
        self.buckets = buckets
        self.received = received
        onlineShare = Ratio(online, of: received)
        supplementRate = Ratio(supplemented, of: received)
        let finished = (buckets[.finishedEarly] ?? 0) + (buckets[.finishedOnTime] ?? 0) + (buckets[.finishedLate] ?? 0)
        onTimeRate = Ratio((buckets[.finishedEarly] ?? 0) + (buckets[.finishedOnTime] ?? 0), of: finished)
    }

    /// The number of dossiers in a bucket.
    public func count(_ bucket: DossierOutcomeBucket) -> Int { buckets[bucket] ?? 0 }
}
