/// The dossier status lifecycle: which changes are allowed, by whom, and the legal conditions on them.
///
/// Portal actors (applicant, officer, system) must follow ``transitions`` step by step. An agency's own
/// one-stop system is the system of record for the dossiers it handles and reports them late, in
/// batches, or only from some status on (a dossier first seen at status 4). Its events may therefore
/// start at any status and jump forward to any status reachable through the table (the skipped steps
/// happened in the agency's system); they may never go backwards, leave a terminal status or repeat the
/// current status (a repeat is a duplicate for the sync layer to drop). The legal conditions on notes
/// and on supplement requests are checked for portal actors only: the portal must not let its own users
/// break them, but it records what an agency reports rather than lose it.
public enum DossierStateMachine {
    /// Every allowed change, with the actors who may make it through the portal and why it exists.
    public static let transitions: [DossierTransitionRule] = [
        rule(nil, .submitted, [.applicant, .system], "An applicant submits online; the clock has not started."),
        rule(nil, .received, [.officer], "A dossier handed in at the one-stop desk is received on the spot."),
        rule(.submitted, .received, [.officer], "The desk checks an online dossier and accepts it; the clock starts."),
        rule(.submitted, .refused, [.officer], "The desk refuses an online dossier, giving the reason."),
        rule(.submitted, .supplementRequested, [.officer], "The desk asks, once, for missing documents."),
        rule(.submitted, .withdrawn, [.applicant], "The applicant cancels before reception."),
        rule(.received, .processing, [.officer, .system], "The desk transfers the dossier to the competent unit."),
        rule(.received, .supplementRequested, [.officer], "Checking shows documents are missing."),
        rule(.received, .paymentRequested, [.officer, .system], "Fees or taxes must be paid first."),
        rule(.received, .withdrawn, [.applicant], "The applicant withdraws a received dossier."),
        rule(.received, .stopped, [.officer], "Processing is stopped, giving the reason."),
        rule(.received, .processed, [.officer], "A simple procedure is settled at the desk."),
        rule(.processing, .supplementRequested, [.officer], "The competent unit asks, once, for more documents."),
        rule(.processing, .paymentRequested, [.officer, .system], "A financial obligation arises."),
        rule(.processing, .withdrawn, [.applicant], "The applicant withdraws during processing."),
        rule(.processing, .stopped, [.officer], "Conditions are not met; processing stops, giving the reason."),
        rule(.processing, .processed, [.officer], "The result is ready."),
        rule(.supplementRequested, .submitted, [.applicant, .officer], "Supplement before reception handed in."),
        rule(.supplementRequested, .refused, [.officer], "Supplement before reception not completed."),
        rule(.supplementRequested, .processing, [.applicant, .officer], "Supplement during processing handed in."),
        rule(.supplementRequested, .withdrawn, [.applicant], "The applicant withdraws instead of supplementing."),
        rule(.supplementRequested, .stopped, [.officer], "Supplement during processing not provided in time."),
        rule(.paymentRequested, .processing, [.applicant, .officer, .system], "The payment is made and confirmed."),
        rule(.paymentRequested, .processed, [.officer, .system], "Payment was the last step; the result is ready."),
        rule(.paymentRequested, .withdrawn, [.applicant], "The applicant withdraws instead of paying."),
        rule(.paymentRequested, .stopped, [.officer], "The obligation is not met; processing stops."),
        rule(.processed, .resultReturned, [.officer, .system], "The result is handed over or delivered online."),
    ]

    /// Statuses whose entry needs a reason in the note (refusal, supplement request, stop).
    public static let statusesRequiringReason: Set<DossierStatus> = [.refused, .supplementRequested, .stopped]

    /// The rule for a change, if the table has one.
    public static func rule(from: DossierStatus?, to: DossierStatus) -> DossierTransitionRule? {
        transitions.first { $0.from == from && $0.to == to }
    }

    /// The statuses one step away in the table.
    public static func targets(from status: DossierStatus?) -> Set<DossierStatus> {
        Set(transitions.filter { $0.from == status }.map(\.to))
    }

    /// The statuses reachable in one or more steps (the forward jumps an agency system may report).
    ///
    /// Leaving a supplement request goes back to the phase it was made in, so the walk is phase-aware:
    /// after reception it never passes through "submitted" or "refused at reception" again.
    public static func reachable(from status: DossierStatus, afterReception: Bool) -> Set<DossierStatus> {
        reachableTable[status.rawValue * 2 + (afterReception ? 1 : 0)]
            ?? walk(from: status, afterReception: afterReception)
    }

    /// `reachable(from:afterReception:)` for every status and phase, worked out once: a sync batch asks it for
    /// every event.
    private static let reachableTable: [Int: Set<DossierStatus>] = {
        var table: [Int: Set<DossierStatus>] = [:]
        for status in DossierStatus.allCases {
            for received in [false, true] {
                table[status.rawValue * 2 + (received ? 1 : 0)] = walk(from: status, afterReception: received)
            }
        }
        return table
    }()

    private static func walk(from status: DossierStatus, afterReception: Bool) -> Set<DossierStatus> {
        var seen: Set<DossierStatus> = []
        var frontier = [(status, afterReception)]
        while let (current, received) = frontier.popLast() {
            for next in targets(from: current) {
                if current == .supplementRequested && excludedReturn(to: next, afterReception: received) { continue }
                guard seen.insert(next).inserted else { continue }
                frontier.append((next, received || next == .received || next == .processing))
            }
        }
        return seen
    }

    /// Checks that `event` may follow `history` (the earlier events, in order).
    public static func validate(_ event: DossierEvent, after history: [DossierEvent]) throws(DossierTransitionError) {
        let current = history.last?.status
        if let last = history.last, event.at < last.at { throw .outOfOrder(previous: last.at, event: event.at) }
        if let current, current.isTerminal { throw .alreadyTerminal(current) }
        if current == event.status { throw .noChange(event.status) }
        if event.actor == .agencySystem {
            guard let current else { return }
            guard reachable(from: current, afterReception: wasReceived(history)).contains(event.status) else {
                throw .illegalTransition(from: current, to: event.status)
            }
            return
        }
        guard let rule = rule(from: current, to: event.status) else {
            throw .illegalTransition(from: current, to: event.status)
        }
        guard rule.actors.contains(event.actor) else {
            throw .actorNotAllowed(from: current, to: event.status, actor: event.actor)
        }
        let received = wasReceived(history)
        if current == .supplementRequested && excludedReturn(to: event.status, afterReception: received) {
            // Leaving a supplement request returns to the phase it was made in: before or after reception.
            throw .illegalTransition(from: current, to: event.status)
        }
        if statusesRequiringReason.contains(event.status) && !event.hasNote { throw .reasonRequired(event.status) }
        if event.status == .supplementRequested {
            // Decree 61/2018 art. 18–19: one supplement request at reception and one during processing.
            let earlier = history.enumerated().filter { index, item in
                item.status == .supplementRequested && wasReceived(history.prefix(index)) == received
            }
            if !earlier.isEmpty { throw .supplementAlreadyRequested }
        }
    }

    /// Replays events and returns the current status (`nil` without events), rejecting any illegal step.
    public static func currentStatus(of events: [DossierEvent]) throws(DossierTransitionError) -> DossierStatus? {
        for index in events.indices { try validate(events[index], after: Array(events[..<index])) }
        return events.last?.status
    }

    /// Whether the dossier had been received (reached a status past reception) before these events ended.
    static func wasReceived(_ history: some Collection<DossierEvent>) -> Bool {
        history.contains { ![.submitted, .supplementRequested, .refused, .withdrawn].contains($0.status) }
    }

    /// Whether leaving a supplement request for `status` would cross into the other phase.
    static func excludedReturn(to status: DossierStatus, afterReception: Bool) -> Bool {
        afterReception ? [.submitted, .refused].contains(status) : [.processing, .stopped].contains(status)
    }

    private static func rule(
        _ from: DossierStatus?, _ to: DossierStatus, _ actors: Set<DossierActorKind>, _ reason: String
    ) -> DossierTransitionRule {
        DossierTransitionRule(from: from, to: to, actors: actors, reason: reason)
    }
}
