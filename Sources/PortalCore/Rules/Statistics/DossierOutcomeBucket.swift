import Foundation

/// Where one dossier counts in the timeliness statistics at an instant.
public enum DossierOutcomeBucket: String, Sendable, Hashable, Codable, CaseIterable {
    /// Not yet received at the instant (the clock has not started).
    case notReceived = "not_received"
    /// Result ready on a local day before the due day (trước hạn).
    case finishedEarly = "finished_early"
    /// Result ready on the due day, by the due instant (đúng hạn).
    case finishedOnTime = "finished_on_time"
    /// Result ready after the due instant (quá hạn).
    case finishedLate = "finished_late"
    /// Still open and not past the due instant (or paused before it, or without a time limit).
    case openWithinDeadline = "open_within_deadline"
    /// Still open and past the due instant (or paused after it).
    case openPastDeadline = "open_past_deadline"
    /// Closed without a result: refused, withdrawn or stopped.
    case closedWithoutResult = "closed_without_result"

    /// The bucket of a dossier at an instant.
    ///
    /// A result counts once `finishedAt <= instant`. A paused dossier is judged at the moment it paused,
    /// since its clock does not run. A dossier exactly at its due instant is still within it.
    public static func classify(_ dossier: DossierSnapshot, at instant: Date) -> DossierOutcomeBucket {
        if let finishedAt = dossier.finishedAt, finishedAt <= instant {
            guard let due = dossier.dueAt else { return .finishedOnTime }
            if finishedAt > due { return .finishedLate }
            return VietnamTime.localDate(of: finishedAt) < VietnamTime.localDate(of: due)
                ? .finishedEarly : .finishedOnTime
        }
        if [.refused, .withdrawn, .stopped].contains(dossier.status) { return .closedWithoutResult }
        guard let receivedAt = dossier.receivedAt, receivedAt <= instant else { return .notReceived }
        guard let due = dossier.dueAt else { return .openWithinDeadline }
        let reference = dossier.pausedSince.map { min($0, instant) } ?? instant
        return reference <= due ? .openWithinDeadline : .openPastDeadline
    }
}
