import Foundation

/// A dossier's validated list of status events; the current status is derived from it, never stored apart.
public struct DossierHistory: Sendable, Hashable, Codable {
    /// The events in order.
    public let events: [DossierEvent]

    /// An empty history.
    public init() { events = [] }

    /// Creates a history, replaying the events through ``DossierStateMachine``.
    public init(events: [DossierEvent]) throws(DossierTransitionError) {
        _ = try DossierStateMachine.currentStatus(of: events)
        self.events = events
    }

    /// Decodes and re-validates a history.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(events: container.decode([DossierEvent].self))
    }

    /// Encodes the events.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(events)
    }

    private init(validated: [DossierEvent]) { events = validated }

    /// The current status, or `nil` without events.
    public var currentStatus: DossierStatus? { events.last?.status }

    /// The status at an instant (the last event at or before it).
    public func status(at instant: Date) -> DossierStatus? { events.last { $0.at <= instant }?.status }

    /// A copy with one more event, if the state machine allows it.
    public func appending(_ event: DossierEvent) throws(DossierTransitionError) -> DossierHistory {
        try DossierStateMachine.validate(event, after: events)
        return DossierHistory(validated: events + [event])
    }

    /// When the legal clock started: the first event past reception.
    public var receivedAt: Date? {
        events.first { ![.submitted, .supplementRequested, .refused, .withdrawn].contains($0.status) }?.at
    }

    /// When the result was ready: the first event at status 9 or 10.
    public var finishedAt: Date? { events.first { $0.status.hasResult }?.at }

    /// Whether a supplement was ever requested.
    public var hadSupplementRequest: Bool { events.contains { $0.status == .supplementRequested } }
}
