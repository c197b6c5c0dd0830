import Foundation

/// The times the statistics read from a dossier's applied events: when its clock paused for a supplement, and how
/// much working time it took to reach a result.
public enum DossierTimes {
    /// When the clock paused, if the latest event asks for a supplement; `nil` otherwise.
    public static func pausedSince(_ events: [DossierEvent]) -> Date? {
        guard let last = events.last, last.status == .supplementRequested else { return nil }
        return last.at
    }

    /// The working time from reception to the result, less the working time spent waiting for a supplement
    /// (from each request to the event after it); `nil` without a result.
    public static func workingTimeToResult(
        _ events: [DossierEvent], receivedAt: Date?, finishedAt: Date?, calendar: WorkingCalendar
    ) -> TimeInterval? {
        guard let receivedAt, let finishedAt, finishedAt >= receivedAt else { return nil }
        var total = calendar.workingTime(from: receivedAt, to: finishedAt)
        for (index, event) in events.enumerated() where event.status == .supplementRequested {
            let resumed = index + 1 < events.count ? events[index + 1].at : finishedAt
            let start = max(event.at, receivedAt)
            let end = min(resumed, finishedAt)
            if end > start { total -= calendar.workingTime(from: start, to: end) }
        }
        return max(total, 0)
    }
}
