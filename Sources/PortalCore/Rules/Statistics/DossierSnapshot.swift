import Foundation

/// What the statistics need to know about one dossier.
public struct DossierSnapshot: Sendable, Hashable, Codable {
    /// When the dossier was received (the clock started); `nil` while not yet received or refused at reception.
    public let receivedAt: Date?
    /// The due instant (the current one, after any pause or extension); `nil` for a procedure without a time limit.
    public let dueAt: Date?
    /// When the result was ready (status 9), if it is.
    public let finishedAt: Date?
    /// The current status.
    public let status: DossierStatus
    /// Whether the dossier was submitted online.
    public let isOnline: Bool
    /// Whether a supplement was requested.
    public let hadSupplementRequest: Bool
    /// When the clock paused for a supplement, if it is paused now.
    public let pausedSince: Date?

    /// Creates a snapshot.
    public init(
        receivedAt: Date?, dueAt: Date?, finishedAt: Date? = nil, status: DossierStatus, isOnline: Bool,
        hadSupplementRequest: Bool = false, pausedSince: Date? = nil
    ) {
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.finishedAt = finishedAt
        self.status = status
        self.isOnline = isOnline
        self.hadSupplementRequest = hadSupplementRequest
        self.pausedSince = pausedSince
    }
}
