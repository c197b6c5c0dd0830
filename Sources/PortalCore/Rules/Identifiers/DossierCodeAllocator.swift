import Foundation

/// Issues dossier codes in memory: the next number of each agency's daily sequence.
///
/// Storage keeps the same counters in a table keyed by ``DailySequenceKey``; this value is the rule.
public struct DossierCodeAllocator: Sendable, Hashable, Codable {
    /// The last number issued per agency and local day.
    public private(set) var lastIssued: [DailySequenceKey: Int]

    /// Creates an allocator, optionally resuming from numbers already issued.
    public init(lastIssued: [DailySequenceKey: Int] = [:]) { self.lastIssued = lastIssued }

    /// Issues the next code for a dossier received at an instant.
    public mutating func next(agency: AgencyIdentifier, receivedAt: Date) throws(DossierCodeError) -> DossierCode {
        let key = DailySequenceKey(agency: agency, receivedAt: receivedAt)
        let number = (lastIssued[key] ?? 0) + 1
        let code = try DossierCode(agency: agency, receiptDate: key.date, sequence: number)
        lastIssued[key] = number
        return code
    }
}
