import Foundation
import PortalCore
import Testing

@Suite("Deadlines")
struct DeadlineCalculatorTests {
    let calculator = DeadlineCalculator(calendar: .vietnam)

    static let dueCases: [(String, Int, ProcessingTimeUnit, String)] = [
        ("2026-03-02T09:00", 5, .workingDays, "2026-03-09T09:00:00+07:00"),
        ("2026-04-29T09:00", 2, .workingDays, "2026-05-05T09:00:00+07:00"),
        ("2026-03-06T16:00", 2, .hours, "2026-03-09T08:00:00+07:00"),
        ("2026-03-02T09:00", 10, .calendarDays, "2026-03-12T17:00:00+07:00"),
        ("2026-03-02T09:00", 5, .calendarDays, "2026-03-09T17:00:00+07:00"),  // 7 March is a Saturday
        ("2026-04-20T09:00", 10, .calendarDays, "2026-05-04T17:00:00+07:00"),  // 30/4 is a holiday
        ("2026-01-31T09:00", 1, .months, "2026-03-02T17:00:00+07:00"),  // 28 Feb is a Saturday
        ("2026-03-02T18:00", 0, .calendarDays, "2026-03-03T17:00:00+07:00"),
    ]

    @Test("the due date follows the processing time's unit", arguments: dueCases)
    func theDueDateFollowsTheProcessingTimesUnit(
        _ from: String, _ amount: Int, _ unit: ProcessingTimeUnit, _ due: String
    )
        throws
    {
        let time = try #require(ProcessingTime(amount: amount, unit: unit))
        #expect(VietnamTime.iso8601(calculator.dueDate(for: time, from: try instant(from))) == due)
    }

    @Test func anOnlineSubmissionMustBeAcknowledgedWithinEightWorkingHours() throws {
        let friday = calculator.acknowledgementDeadline(submittedAt: try instant("2026-03-06T15:00"))
        #expect(VietnamTime.iso8601(friday) == "2026-03-09T15:00:00+07:00")
        let night = calculator.acknowledgementDeadline(submittedAt: try instant("2026-04-29T22:00"))
        #expect(VietnamTime.iso8601(night) == "2026-05-04T17:00:00+07:00")
    }

    @Test func theClockPausesForASupplementAndResumesWithTheRemainingTime() throws {
        let time = try #require(ProcessingTime.workingDays(5))
        var clock = calculator.startClock(
            receivedAt: try instant("2026-03-02T09:00"), processingTime: time,
            policy: .resumeRemaining)
        #expect(VietnamTime.iso8601(clock.dueAt) == "2026-03-09T09:00:00+07:00")
        // Paused Wednesday 09:00 with 3 working days (24 h) left; the supplement arrives Tuesday 28 April 09:00.
        clock = try calculator.requestSupplement(clock, at: try instant("2026-03-04T09:00"), reason: "Thiếu bản sao")
        #expect(clock.isPaused && clock.supplement?.remaining == 24 * 3_600)
        #expect(calculator.remainingTime(clock, at: try instant("2026-03-20T09:00")) == 24 * 3_600)
        #expect(clock.state(at: try instant("2026-03-20T09:00")) == .paused)
        clock = try calculator.resumeAfterSupplement(clock, at: try instant("2026-04-28T09:00"))
        // 24 h left: Tue 28/4 from 09:00 (6 h), Wed 29/4 (8 h), 30/4 and 1/5 holidays, Mon 4/5 (8 h), Tue 5/5 2 h.
        #expect(VietnamTime.iso8601(clock.dueAt) == "2026-05-05T09:00:00+07:00")
        #expect(clock.state(at: try instant("2026-04-28T10:00")) == .running)
        #expect(throws: LegalClockError.supplementAlreadyRequested) {
            try calculator.requestSupplement(clock, at: try instant("2026-04-29T09:00"), reason: "Lần hai")
        }
    }

    @Test func theClockRestartsFromTheCompleteDossierWhenTheProcedureSaysSo() throws {
        let time = try #require(ProcessingTime.workingDays(5))
        var clock = calculator.startClock(
            receivedAt: try instant("2026-03-02T09:00"), processingTime: time,
            policy: .restartFromCompleteDossier)
        clock = try calculator.requestSupplement(clock, at: try instant("2026-03-04T09:00"), reason: "Thiếu tờ khai")
        clock = try calculator.resumeAfterSupplement(clock, at: try instant("2026-03-10T10:00"))
        #expect(VietnamTime.iso8601(clock.dueAt) == "2026-03-17T10:00:00+07:00")
    }

    @Test func aDossierAlreadyLateWhenPausedKeepsItsPassedDueDate() throws {
        let time = try #require(ProcessingTime.workingDays(1))
        var clock = calculator.startClock(
            receivedAt: try instant("2026-03-02T09:00"), processingTime: time,
            policy: .resumeRemaining)
        clock = try calculator.requestSupplement(clock, at: try instant("2026-03-05T09:00"), reason: "Thiếu")
        #expect(clock.supplement?.remaining ?? 0 < 0)
        clock = try calculator.resumeAfterSupplement(clock, at: try instant("2026-03-10T09:00"))
        #expect(VietnamTime.iso8601(clock.dueAt) == "2026-03-03T09:00:00+07:00")
    }

    @Test func theClockRulesAreTypedErrors() throws {
        let time = try #require(ProcessingTime.workingDays(5))
        let start = calculator.startClock(
            receivedAt: try instant("2026-03-02T09:00"), processingTime: time,
            policy: .resumeRemaining)
        #expect(throws: LegalClockError.supplementReasonRequired) {
            try calculator.requestSupplement(start, at: try instant("2026-03-03T09:00"), reason: " ")
        }
        #expect(throws: LegalClockError.notPaused) {
            try calculator.resumeAfterSupplement(start, at: try instant("2026-03-03T09:00"))
        }
        #expect(throws: LegalClockError.beforePreviousChange) {
            try calculator.requestSupplement(start, at: try instant("2026-03-01T09:00"), reason: "x")
        }
        let paused = try calculator.requestSupplement(start, at: try instant("2026-03-03T09:00"), reason: "Thiếu")
        #expect(throws: LegalClockError.paused) { try calculator.finish(paused, at: try instant("2026-03-04T09:00")) }
        let newDue = try instant("2026-03-12T09:00")
        #expect(throws: LegalClockError.paused) {
            try calculator.extend(
                paused,
                with: ExtensionNotice(issuedAt: try instant("2026-03-04T09:00"), newDueAt: newDue, apology: "Xin lỗi"))
        }
        let finished = try calculator.finish(start, at: try instant("2026-03-05T09:00"))
        #expect(finished.state(at: try instant("2026-03-06T09:00")) == .finished)
        #expect(throws: LegalClockError.finished) {
            try calculator.finish(finished, at: try instant("2026-03-06T09:00"))
        }
    }

    @Test func anExtensionNeedsAnApologyNoticeWithALaterDateAndIsGrantedOnce() throws {
        let time = try #require(ProcessingTime.workingDays(5))
        let clock = calculator.startClock(
            receivedAt: try instant("2026-03-02T09:00"), processingTime: time,
            policy: .resumeRemaining)
        let issued = try instant("2026-03-06T09:00")
        let later = try instant("2026-03-12T09:00")
        #expect(throws: LegalClockError.apologyRequired) {
            try calculator.extend(clock, with: ExtensionNotice(issuedAt: issued, newDueAt: later, apology: ""))
        }
        #expect(throws: LegalClockError.extensionNotLater(current: clock.dueAt, requested: clock.dueAt)) {
            try calculator.extend(
                clock, with: ExtensionNotice(issuedAt: issued, newDueAt: clock.dueAt, apology: "Xin lỗi"))
        }
        let sunday = try instant("2026-03-15T09:00")
        #expect(throws: LegalClockError.dueOutsideWorkingHours(sunday)) {
            try calculator.extend(clock, with: ExtensionNotice(issuedAt: issued, newDueAt: sunday, apology: "Xin lỗi"))
        }
        let extended = try calculator.extend(
            clock, with: ExtensionNotice(issuedAt: issued, newDueAt: later, apology: "Xin lỗi"))
        #expect(extended.dueAt == later && extended.extensionNotice?.apology == "Xin lỗi")
        #expect(throws: LegalClockError.extensionAlreadyGranted) {
            try calculator.extend(
                extended,
                with: ExtensionNotice(issuedAt: issued, newDueAt: try instant("2026-03-13T09:00"), apology: "Lần hai"))
        }
    }

    // MARK: Properties

    @Test func aDueDateNeverLandsOnARestDayOrOutsideWorkingHours() throws {
        var generator = SplitMix64(seed: 61_2018)
        for _ in 0..<3_000 {
            let start = randomInstant(using: &generator)
            let unit = ProcessingTimeUnit.allCases[Int.random(in: 0..<4, using: &generator)]
            let amount = Int.random(in: 0...(unit == .months ? 6 : 60), using: &generator)
            let time = try #require(ProcessingTime(amount: amount, unit: unit))
            let due = calculator.dueDate(for: time, from: start)
            let label = "\(time) from \(VietnamTime.iso8601(start)) → \(VietnamTime.iso8601(due))"
            #expect(calculator.calendar.isWithinWorkingHours(due), "\(label)")
            #expect(calculator.calendar.isWorkingDay(VietnamTime.localDate(of: due)), "\(label)")
            #expect(due >= start || amount == 0, "\(label)")
        }
    }

    @Test func pausingAndResumingNeverShortensTheRemainingTime() throws {
        var generator = SplitMix64(seed: 107_2021)
        for _ in 0..<1_500 {
            let received = randomInstant(using: &generator)
            let unit = ProcessingTimeUnit.allCases[Int.random(in: 0..<4, using: &generator)]
            let time = try #require(
                ProcessingTime(amount: Int.random(in: 1...(unit == .months ? 3 : 30), using: &generator), unit: unit))
            let policy = SupplementPolicy.allCases[Int.random(in: 0..<2, using: &generator)]
            let clock = calculator.startClock(receivedAt: received, processingTime: time, policy: policy)
            let span = clock.dueAt.timeIntervalSince(received)
            let pauseAt = received.addingTimeInterval(
                (Double.random(in: 0..<1, using: &generator) * span).rounded(.down))
            let paused = try calculator.requestSupplement(clock, at: pauseAt, reason: "Thiếu giấy tờ")
            let before = try #require(paused.supplement?.remaining)
            let resumeAt = pauseAt.addingTimeInterval(Double(Int.random(in: 0...(90 * 1_440), using: &generator) * 60))
            let resumed = try calculator.resumeAfterSupplement(paused, at: resumeAt)
            let after = calculator.remainingTime(resumed, at: resumeAt)
            let label =
                "\(time) \(policy) received \(VietnamTime.iso8601(received)) paused \(VietnamTime.iso8601(pauseAt)) resumed \(VietnamTime.iso8601(resumeAt))"
            #expect(after >= before, "\(label)")
            #expect(resumed.dueAt >= clock.dueAt, "\(label)")
            if policy == .resumeRemaining && unit.countsWorkingTime { #expect(after == before, "\(label)") }
        }
    }
}
