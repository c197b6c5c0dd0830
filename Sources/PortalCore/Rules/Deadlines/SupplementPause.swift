import Foundation

/// The one pause of a dossier's clock while a supplement is requested (status 5).
public struct SupplementPause: Sendable, Hashable, Codable {
    /// When the supplement was requested.
    public let requestedAt: Date
    /// The reason given to the applicant.
    public let reason: String
    /// The due instant when the clock paused.
    public let dueAtPause: Date
    /// The time left when the clock paused, in seconds: working time for working units, elapsed time
    /// otherwise; zero or negative when the dossier was already late.
    public let remaining: TimeInterval
    /// When the complete supplement arrived and the clock resumed; `nil` while paused.
    public internal(set) var resumedAt: Date?
}
