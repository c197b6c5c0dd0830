import Foundation
import PortalCore
import Testing

@Suite("Working calendar")
struct WorkingCalendarTests {
    let calendar = WorkingCalendar.vietnam

    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let from: String
        let amount: Double
        let expected: String
        var testDescription: String { label }
    }

    static let workingHourCases: [Case] = [
        Case(
            label: "ends exactly at 17:00", from: "2026-03-02T16:00", amount: 1, expected: "2026-03-02T17:00:00+07:00"),
        Case(
            label: "starts at 17:00 exactly", from: "2026-03-02T17:00", amount: 1, expected: "2026-03-03T08:00:00+07:00"
        ),
        Case(label: "starts at 11:30", from: "2026-03-02T11:30", amount: 1, expected: "2026-03-02T14:30:00+07:00"),
        Case(label: "starts at 13:30", from: "2026-03-02T13:30", amount: 1, expected: "2026-03-02T14:30:00+07:00"),
        Case(
            label: "ends exactly at 11:30", from: "2026-03-02T10:30", amount: 1, expected: "2026-03-02T11:30:00+07:00"),
        Case(label: "across lunch", from: "2026-03-02T11:00", amount: 1, expected: "2026-03-02T14:00:00+07:00"),
        Case(label: "from lunch", from: "2026-03-02T12:15", amount: 0.5, expected: "2026-03-02T14:00:00+07:00"),
        Case(label: "before opening", from: "2026-03-02T05:00", amount: 1, expected: "2026-03-02T08:00:00+07:00"),
        Case(label: "Friday to Monday", from: "2026-03-06T16:00", amount: 2, expected: "2026-03-09T08:00:00+07:00"),
        Case(label: "from Saturday", from: "2026-03-07T10:00", amount: 1, expected: "2026-03-09T08:00:00+07:00"),
        Case(
            label: "across 30 April and 1 May 2026", from: "2026-04-29T16:00", amount: 2,
            expected: "2026-05-04T08:00:00+07:00"),
        Case(
            label: "across 30 April 2024 with swapped 29 April", from: "2024-04-26T16:00", amount: 2,
            expected: "2024-05-02T08:00:00+07:00"),
        Case(
            label: "onto make-up Saturday 4 May 2024", from: "2024-05-03T16:00", amount: 2,
            expected: "2024-05-04T08:00:00+07:00"),
        Case(label: "across Tết 2026", from: "2026-02-13T16:00", amount: 2, expected: "2026-02-23T08:00:00+07:00"),
        Case(
            label: "across Tết 2024 with compensatory days", from: "2024-02-07T16:00", amount: 2,
            expected: "2024-02-15T08:00:00+07:00"),
        Case(
            label: "onto make-up Saturday 10 January 2026", from: "2026-01-09T16:00", amount: 2,
            expected: "2026-01-10T08:00:00+07:00"),
        Case(
            label: "over swapped day off 2 January 2026", from: "2025-12-31T16:00", amount: 2,
            expected: "2026-01-05T08:00:00+07:00"),
        Case(
            label: "over swapped day off 31 August 2026", from: "2026-08-28T16:00", amount: 2,
            expected: "2026-09-03T08:00:00+07:00"),
        Case(
            label: "over Hùng Kings nghỉ bù 27 April 2026", from: "2026-04-24T16:00", amount: 2,
            expected: "2026-04-28T08:00:00+07:00"),
        Case(
            label: "zero hours outside working time", from: "2026-03-07T10:00", amount: 0,
            expected: "2026-03-09T07:00:00+07:00"),
        Case(
            label: "zero hours inside working time", from: "2026-03-02T09:15", amount: 0,
            expected: "2026-03-02T09:15:00+07:00"),
        Case(
            label: "acknowledgement of 8 hours", from: "2026-03-02T09:00", amount: 8,
            expected: "2026-03-03T09:00:00+07:00"),
    ]

    @Test("adding working hours lands on the expected instant", arguments: workingHourCases)
    func addingWorkingHoursLandsOnTheExpectedInstant(_ testCase: Case) throws {
        let result = calendar.add(workingHours: testCase.amount, to: try instant(testCase.from))
        #expect(VietnamTime.iso8601(result) == testCase.expected)
    }

    static let workingDayCases: [Case] = [
        Case(
            label: "five days keep the time of day", from: "2026-03-02T09:00", amount: 5,
            expected: "2026-03-09T09:00:00+07:00"),
        Case(
            label: "received at 07:00 is due at 17:00", from: "2026-03-02T07:00", amount: 1,
            expected: "2026-03-02T17:00:00+07:00"),
        Case(
            label: "received at 17:00 is due next day 17:00", from: "2026-03-02T17:00", amount: 1,
            expected: "2026-03-03T17:00:00+07:00"),
        Case(label: "received at 11:30", from: "2026-03-02T11:30", amount: 1, expected: "2026-03-03T11:30:00+07:00"),
        Case(
            label: "received at 13:30 is the same point as 11:30", from: "2026-03-02T13:30", amount: 1,
            expected: "2026-03-03T11:30:00+07:00"),
        Case(label: "received on Saturday", from: "2026-03-07T10:00", amount: 1, expected: "2026-03-09T17:00:00+07:00"),
        Case(label: "Friday to Monday", from: "2026-03-06T10:00", amount: 1, expected: "2026-03-09T10:00:00+07:00"),
        Case(
            label: "across 30 April and 1 May 2026", from: "2026-04-29T09:00", amount: 2,
            expected: "2026-05-05T09:00:00+07:00"),
        Case(label: "across Tết 2026", from: "2026-02-12T10:00", amount: 3, expected: "2026-02-24T10:00:00+07:00"),
        Case(
            label: "onto make-up Saturday", from: "2026-01-09T10:00", amount: 1, expected: "2026-01-10T10:00:00+07:00"),
        Case(label: "over swapped day off", from: "2025-12-31T10:00", amount: 1, expected: "2026-01-05T10:00:00+07:00"),
    ]

    @Test("adding working days lands on the expected instant", arguments: workingDayCases)
    func addingWorkingDaysLandsOnTheExpectedInstant(_ testCase: Case) throws {
        let result = calendar.add(workingDays: Int(testCase.amount), to: try instant(testCase.from))
        #expect(VietnamTime.iso8601(result) == testCase.expected)
    }

    static let betweenCases: [(String, String, Double)] = [
        ("2026-03-02T07:00", "2026-03-02T17:00", 8),
        ("2026-03-02T11:30", "2026-03-02T13:30", 0),
        ("2026-03-02T11:00", "2026-03-02T14:00", 1),
        ("2026-03-06T16:00", "2026-03-09T08:00", 2),
        ("2026-04-29T07:00", "2026-05-04T17:00", 16),
        ("2026-02-13T07:00", "2026-02-23T17:00", 16),
        ("2024-05-03T07:00", "2024-05-06T17:00", 24),
        ("2026-03-07T00:00", "2026-03-08T23:59", 0),
        ("2026-03-02T17:00", "2026-03-02T09:00", -6),
    ]

    @Test("working time between two instants skips breaks, weekends and holidays", arguments: betweenCases)
    func workingTimeBetweenTwoInstantsSkipsBreaksWeekendsAndHolidays(_ from: String, _ to: String, _ hours: Double)
        throws
    {
        #expect(calendar.workingHours(from: try instant(from), to: try instant(to)) == hours)
    }

    @Test func workingHoursAreBoundedByTheEndOfAPeriodButTheClockStopsThere() throws {
        #expect(calendar.isWithinWorkingHours(try instant("2026-03-02T17:00")))
        #expect(calendar.isWithinWorkingHours(try instant("2026-03-02T11:30")))
        #expect(!calendar.isWithinWorkingHours(try instant("2026-03-02T12:00")))
        #expect(!calendar.isWithinWorkingHours(try instant("2026-04-30T09:00")))
        #expect(calendar.isWithinWorkingHours(try instant("2026-01-10T09:00")))
        #expect(calendar.nextWorkingMoment(from: try instant("2026-03-02T17:00")) == (try instant("2026-03-03T07:00")))
        #expect(calendar.nextWorkingMoment(from: try instant("2026-03-02T11:30")) == (try instant("2026-03-02T13:30")))
    }

    @Test func anInstantGivenInUTCIsReadInVietnamTime() throws {
        // 23:30 UTC on Friday is 06:30 local on Saturday: nothing is worked until Monday.
        let start = try #require(VietnamTime.parseISO8601("2026-03-06T23:30:00Z"))
        #expect(VietnamTime.iso8601(calendar.add(workingHours: 1, to: start)) == "2026-03-09T08:00:00+07:00")
    }

    @Test func aScheduleForAnAgencyThatWorksSaturdayMorningsIsHonoured() throws {
        let morning = try WorkingPeriod(start: try #require(TimeOfDay("07:30")), end: try #require(TimeOfDay("11:30")))
        var periods = WorkingSchedule.standard.periodsByWeekday
        periods[.saturday] = [morning]
        let schedule = try WorkingSchedule(periodsByWeekday: periods, makeUpDayPeriods: [morning])
        let agency = WorkingCalendar(schedule: schedule, holidays: .vietnam)
        let due = agency.add(workingHours: 2, to: try instant("2026-03-06T16:00"))
        #expect(VietnamTime.iso8601(due) == "2026-03-07T08:30:00+07:00")
        // A shorter target day caps a working-day deadline at its end.
        let capped = agency.add(workingDays: 1, to: try instant("2026-03-06T16:00"))
        #expect(VietnamTime.iso8601(capped) == "2026-03-07T11:30:00+07:00")
    }

    @Test func aScheduleWithoutWorkingTimeOrWithOverlapsIsRejected() throws {
        #expect(throws: WorkingScheduleError.noWorkingTime) {
            try WorkingSchedule(periodsByWeekday: [:], makeUpDayPeriods: [])
        }
        let a = try WorkingPeriod(start: try #require(TimeOfDay("07:00")), end: try #require(TimeOfDay("12:00")))
        let b = try WorkingPeriod(start: try #require(TimeOfDay("11:00")), end: try #require(TimeOfDay("17:00")))
        #expect(throws: WorkingScheduleError.overlappingPeriods(.monday)) {
            try WorkingSchedule(periodsByWeekday: [.monday: [a, b]], makeUpDayPeriods: [])
        }
        let seven = try #require(TimeOfDay("07:00"))
        #expect(throws: WorkingScheduleError.emptyPeriod(start: seven, end: seven)) {
            try WorkingPeriod(start: seven, end: seven)
        }
    }

    @Test func isoInstantsParseWithAndWithoutOffsetAndRejectNonsense() throws {
        let local = try #require(VietnamTime.parseISO8601("2026-04-29T16:00"))
        #expect(VietnamTime.parseISO8601("2026-04-29T16:00:00") == local)
        #expect(VietnamTime.parseISO8601("2026-04-29T16:00:00+07:00") == local)
        #expect(VietnamTime.parseISO8601("2026-04-29T09:00:00Z") == local)
        #expect(VietnamTime.parseISO8601("2026-04-29T11:00:00+0200") == local)
        #expect(VietnamTime.parseISO8601("2026-04-29T16:00:00.500")?.timeIntervalSince(local) == 0.5)
        #expect(VietnamTime.parseISO8601("2026-04-29 16:00:00") == local)
        #expect(VietnamTime.parseISO8601(" \t2026-04-29T16:00:00+07:00 ") == local)
        #expect(VietnamTime.parseISO8601("\u{00A0}2026-04-29T16:00:00+07:00\u{3000}") == local)
        #expect(VietnamTime.parseISO8601("2026-04-29T04:30:00-04:30") == local)
        #expect(VietnamTime.parseISO8601("2026-04-29T16:00:00,25")?.timeIntervalSince(local) == 0.25)
        // The offset's colons are ignored wherever they stand; its four digits are required.
        #expect(VietnamTime.parseISO8601("2026-04-29T16:00:00+0:7:00") == local)
        #expect(VietnamTime.parseISO8601("2026-04-29T16:00:00+07:00:") == local)
        for bad in [
            "2026-04-29", "2026-02-30T10:00", "2026-04-29T24:00", "2026-04-29T16:00+7", "tomorrow", "",
            "2026-04-29T16:0٠", "２026-04-29T16:00", "2026-04-29T16:00:00.", "2026-04-29T16:00:00Zx",
            "2026-04-29T16:00:00+19:00", "2026/04/29T16:00", "2026-04-29T16:00\n",
            "2026-04-29T16:00:00+07:0", "2026-04-29T16:00:00+07:000", "2026-04-29T16:00:00+0x:00",
            "2026-04-29T16:00:00+07:60", "2026-04-29T16:00:00+", "2026-04-29T16:00:00+07:00 x",
        ] {
            #expect(VietnamTime.parseISO8601(bad) == nil, "\(bad)")
        }
        #expect(VietnamTime.iso8601(local) == "2026-04-29T16:00:00+07:00")
    }

    @Test func localDatesConvertToDayNumbersAndBack() throws {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            let number = Int.random(in: -200_000...200_000, using: &generator)
            let date = LocalDate(dayNumber: number)
            #expect(date.dayNumber == number)
            #expect(LocalDate(date.description) == date)
        }
        #expect(try date("2026-04-29").weekday == .wednesday)
        #expect(try date("2024-02-29").adding(months: 12) == (try date("2025-02-28")))
        // At the ends of the years a date holds, month arithmetic stops instead of trapping (a statistics period
        // "to 0001-01-05" once crashed the server).
        #expect(try date("0001-01-05").adding(months: -11) == (try date("0001-01-05")))
        #expect(try date("0001-03-31").adding(months: -2) == (try date("0001-01-31")))
        #expect(try date("9999-12-31").adding(months: 1) == (try date("9999-12-31")))
        #expect(try date("2026-01-31").adding(months: .max) == (try date("9999-12-31")))
        #expect(try date("2026-01-31").adding(months: .min) == (try date("0001-01-31")))
        #expect(LocalDate(year: 2025, month: 2, day: 29) == nil)
    }

    // MARK: Properties

    @Test func addingWorkingHoursThenMeasuringBackGivesTheSameHours() {
        var generator = SplitMix64(seed: 20_260_429)
        for _ in 0..<3_000 {
            let start = randomInstant(using: &generator)
            let quarterHours = Int.random(in: 1...1_600, using: &generator)
            let seconds = TimeInterval(quarterHours * 900)
            let due = calendar.add(workingTime: seconds, to: start)
            #expect(calendar.workingTime(from: start, to: due) == seconds, "from \(VietnamTime.iso8601(start))")
            // Earliest instant: a second earlier, not all of it has elapsed.
            #expect(calendar.workingTime(from: start, to: due.addingTimeInterval(-1)) < seconds)
        }
    }

    @Test func addingWorkingDaysEqualsEightWorkingHoursADayAndStaysInWorkingHours() {
        var generator = SplitMix64(seed: 45)
        for _ in 0..<2_000 {
            let start = randomInstant(using: &generator)
            let days = Int.random(in: 1...60, using: &generator)
            let due = calendar.add(workingDays: days, to: start)
            #expect(due == calendar.add(workingHours: Double(8 * days), to: start), "\(VietnamTime.iso8601(start))")
            #expect(calendar.isWithinWorkingHours(due))
            #expect(calendar.isWorkingDay(VietnamTime.localDate(of: due)))
        }
    }
}
