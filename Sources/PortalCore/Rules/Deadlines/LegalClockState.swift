/// Whether a dossier's clock is running at an instant.
public enum LegalClockState: String, Sendable, Hashable, Codable, CaseIterable {
    /// The clock runs toward the due instant.
    case running
    /// The clock is paused for a supplement.
    case paused
    /// The result is ready; the clock stopped.
    case finished
}
