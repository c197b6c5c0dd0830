import Foundation

/// The legal clock of one received dossier: its due instant, its one supplement pause and its one extension.
///
/// A value: ``DeadlineCalculator`` creates it and returns updated copies, checking the rules.
public struct LegalClock: Sendable, Hashable, Codable {
    /// When the dossier was received (the clock started).
    public let receivedAt: Date
    /// The procedure's processing time.
    public let processingTime: ProcessingTime
    /// What happens when the supplement arrives.
    public let supplementPolicy: SupplementPolicy
    /// The current due instant (while paused: the due instant when it paused).
    public internal(set) var dueAt: Date
    /// The supplement pause, if one was requested.
    public internal(set) var supplement: SupplementPause?
    /// The extension, if one was granted.
    public internal(set) var extensionNotice: ExtensionNotice?
    /// When the result was ready.
    public internal(set) var finishedAt: Date?

    /// Whether the clock is paused now.
    public var isPaused: Bool { supplement != nil && supplement?.resumedAt == nil }

    /// The state of the clock at an instant.
    public func state(at instant: Date) -> LegalClockState {
        if let finishedAt, finishedAt <= instant { return .finished }
        if let supplement, supplement.requestedAt <= instant, supplement.resumedAt.map({ instant < $0 }) ?? true {
            return .paused
        }
        return .running
    }
}
