import Foundation

/// Computes due instants and runs dossiers' legal clocks on an agency's working calendar.
public struct DeadlineCalculator: Sendable, Hashable {
    /// The agency's calendar.
    public let calendar: WorkingCalendar

    /// Working hours within which an online submission must be checked (Decree 45/2020/NĐ-CP).
    public static let acknowledgementWorkingHours = 8.0

    /// Creates a calculator.
    public init(calendar: WorkingCalendar = .vietnam) { self.calendar = calendar }

    /// The due instant of a processing time counted from an instant.
    ///
    /// Working days and hours use ``WorkingCalendar/add(workingDays:to:)`` and
    /// ``WorkingCalendar/add(workingHours:to:)``. Calendar days and months end at the end of working hours
    /// of the last day, moved to the next working day when that day is not one (Civil Code 2015 art. 148).
    public func dueDate(for time: ProcessingTime, from start: Date) -> Date {
        switch time.unit {
        case .workingDays: return calendar.add(workingDays: time.amount, to: start)
        case .hours: return calendar.add(workingHours: Double(time.amount), to: start)
        case .calendarDays:
            return endOfPeriod(lastDay: VietnamTime.localDate(of: start).adding(days: time.amount), after: start)
        case .months:
            return endOfPeriod(lastDay: VietnamTime.localDate(of: start).adding(months: time.amount), after: start)
        }
    }

    /// The instant by which an online submission must be received, refused or sent back for supplement.
    public func acknowledgementDeadline(submittedAt: Date) -> Date {
        calendar.add(workingHours: Self.acknowledgementWorkingHours, to: submittedAt)
    }

    /// Starts the clock of a dossier received at an instant.
    public func startClock(receivedAt: Date, processingTime: ProcessingTime, policy: SupplementPolicy) -> LegalClock {
        LegalClock(
            receivedAt: receivedAt, processingTime: processingTime, supplementPolicy: policy,
            dueAt: dueDate(for: processingTime, from: receivedAt))
    }

    /// Pauses the clock for the one supplement request of the processing phase.
    public func requestSupplement(
        _ clock: LegalClock, at instant: Date, reason: String
    ) throws(LegalClockError) -> LegalClock {
        guard clock.finishedAt == nil else { throw .finished }
        guard clock.supplement == nil else { throw .supplementAlreadyRequested }
        guard !reason.allSatisfy(\.isWhitespace) else { throw .supplementReasonRequired }
        guard instant >= latestChange(of: clock) else { throw .beforePreviousChange }
        var copy = clock
        copy.supplement = SupplementPause(
            requestedAt: instant, reason: reason, dueAtPause: clock.dueAt,
            remaining: remainingTime(clock, at: instant), resumedAt: nil)
        return copy
    }

    /// Resumes the clock when the complete supplement arrives, by the procedure's policy.
    ///
    /// With ``SupplementPolicy/resumeRemaining`` the time left at the pause is added from `instant`; a
    /// dossier already late when paused keeps its passed due instant. With
    /// ``SupplementPolicy/restartFromCompleteDossier`` the full processing time restarts from `instant`.
    /// Either way the new due instant is never earlier than the one before the pause.
    public func resumeAfterSupplement(_ clock: LegalClock, at instant: Date) throws(LegalClockError) -> LegalClock {
        guard clock.finishedAt == nil else { throw .finished }
        guard var pause = clock.supplement, pause.resumedAt == nil else { throw .notPaused }
        guard instant >= pause.requestedAt else { throw .beforePreviousChange }
        let remainingDue: Date
        if pause.remaining <= 0 {
            remainingDue = pause.dueAtPause
        } else if clock.processingTime.unit.countsWorkingTime {
            remainingDue = calendar.add(workingTime: pause.remaining, to: instant)
        } else {
            let target = instant.addingTimeInterval(pause.remaining)
            remainingDue = endOfPeriod(lastDay: VietnamTime.localDate(of: target), after: target)
        }
        let due: Date
        switch clock.supplementPolicy {
        case .resumeRemaining: due = remainingDue
        // A restart never gives less than the time that was left (possible with calendar units near holidays).
        case .restartFromCompleteDossier: due = max(dueDate(for: clock.processingTime, from: instant), remainingDue)
        }
        pause.resumedAt = instant
        var copy = clock
        copy.supplement = pause
        copy.dueAt = max(due, pause.dueAtPause)
        return copy
    }

    /// Grants the one extension, which needs an apology notice with a later due instant in working hours.
    public func extend(_ clock: LegalClock, with notice: ExtensionNotice) throws(LegalClockError) -> LegalClock {
        guard clock.finishedAt == nil else { throw .finished }
        guard !clock.isPaused else { throw .paused }
        guard clock.extensionNotice == nil else { throw .extensionAlreadyGranted }
        guard !notice.apology.allSatisfy(\.isWhitespace) else { throw .apologyRequired }
        guard notice.issuedAt >= latestChange(of: clock) else { throw .beforePreviousChange }
        guard notice.newDueAt > clock.dueAt else {
            throw .extensionNotLater(current: clock.dueAt, requested: notice.newDueAt)
        }
        guard calendar.isWithinWorkingHours(notice.newDueAt) else { throw .dueOutsideWorkingHours(notice.newDueAt) }
        var copy = clock
        copy.extensionNotice = notice
        copy.dueAt = notice.newDueAt
        return copy
    }

    /// Stops the clock when the result is ready.
    public func finish(_ clock: LegalClock, at instant: Date) throws(LegalClockError) -> LegalClock {
        guard clock.finishedAt == nil else { throw .finished }
        guard !clock.isPaused else { throw .paused }
        guard instant >= latestChange(of: clock) else { throw .beforePreviousChange }
        var copy = clock
        copy.finishedAt = instant
        return copy
    }

    /// The time left at an instant in seconds (working time for working units), frozen while paused.
    public func remainingTime(_ clock: LegalClock, at instant: Date) -> TimeInterval {
        var reference = instant
        if let finishedAt = clock.finishedAt { reference = min(reference, finishedAt) }
        if let pause = clock.supplement, pause.requestedAt <= reference {
            guard let resumedAt = pause.resumedAt else { return pause.remaining }
            if reference < resumedAt { return pause.remaining }
        }
        return clock.processingTime.unit.countsWorkingTime
            ? calendar.workingTime(from: reference, to: clock.dueAt) : clock.dueAt.timeIntervalSince(reference)
    }

    /// The end of working hours on `lastDay`, or of the next working day; never before `instant`.
    private func endOfPeriod(lastDay: LocalDate, after instant: Date) -> Date {
        var due = calendar.endOfWorkingDay(onOrAfter: lastDay)
        while due < instant {
            due = calendar.endOfWorkingDay(calendar.nextWorkingDay(after: VietnamTime.localDate(of: due)))
        }
        return due
    }

    private func latestChange(of clock: LegalClock) -> Date {
        [clock.receivedAt, clock.supplement?.requestedAt, clock.supplement?.resumedAt, clock.extensionNotice?.issuedAt]
            .compactMap { $0 }.max() ?? clock.receivedAt
    }
}
