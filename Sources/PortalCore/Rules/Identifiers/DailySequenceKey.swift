import Foundation

/// The counter of dossier codes: one sequence per agency per local day, restarting at local midnight.
public struct DailySequenceKey: Sendable, Hashable, Codable {
    /// The receiving agency.
    public let agency: AgencyIdentifier
    /// The local date of receipt.
    public let date: LocalDate

    /// Creates a key.
    public init(agency: AgencyIdentifier, date: LocalDate) {
        self.agency = agency
        self.date = date
    }

    /// The key for a dossier received at an instant (date in Vietnam local time).
    public init(agency: AgencyIdentifier, receivedAt: Date) {
        self.init(agency: agency, date: VietnamTime.localDate(of: receivedAt))
    }
}
