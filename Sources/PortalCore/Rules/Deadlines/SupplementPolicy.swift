/// What the clock does when a requested supplement arrives, chosen per procedure.
public enum SupplementPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// The clock resumes with the time that was left when it paused.
    case resumeRemaining = "resume_remaining"
    /// The full processing time restarts from the complete dossier (“kể từ ngày nhận đủ hồ sơ hợp lệ”).
    case restartFromCompleteDossier = "restart_from_complete_dossier"
}
