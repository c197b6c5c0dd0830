import Foundation

/// An agency's legal calendar: weekly working hours plus a holiday table, in Vietnam local time.
///
/// Working time is counted only inside working periods; an instant outside them counts from the next
/// working moment. Each period is half-open for the running clock (17:00 itself is not worked), but a
/// deadline may fall exactly on the end of a period: "by 17:00" is within working hours.
public struct WorkingCalendar: Sendable, Hashable, Codable {
    /// The weekly working hours.
    public let schedule: WorkingSchedule
    /// The holidays, compensatory days off and make-up working days.
    public let holidays: HolidayTable

    /// Creates a calendar.
    public init(schedule: WorkingSchedule = .standard, holidays: HolidayTable) {
        self.schedule = schedule
        self.holidays = holidays
    }

    /// Standard Vietnamese public-agency hours with the built-in 2024–2030 holiday table.
    public static let vietnam = WorkingCalendar(schedule: .standard, holidays: .vietnam)

    /// The working periods of a date, after applying the holiday table.
    public func periods(on date: LocalDate) -> [WorkingPeriod] {
        switch holidays.entry(on: date)?.kind {
        case .holiday, .compensatoryDayOff: return []
        case .makeUpWorkingDay:
            let own = schedule.periods(on: date.weekday)
            return own.isEmpty ? schedule.makeUpDayPeriods : own
        case nil: return schedule.periods(on: date.weekday)
        }
    }

    /// Whether a date has working time.
    public func isWorkingDay(_ date: LocalDate) -> Bool { !periods(on: date).isEmpty }

    /// The first working day strictly after a date.
    public func nextWorkingDay(after date: LocalDate) -> LocalDate {
        var day = date.adding(days: 1)
        // Terminates: the schedule has a working weekday and the holiday table is finite.
        while !isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// The first working day on or after a date.
    public func workingDay(onOrAfter date: LocalDate) -> LocalDate {
        isWorkingDay(date) ? date : nextWorkingDay(after: date)
    }

    /// Whether an instant lies within working hours, counting the end of a period (e.g. 17:00) as within.
    public func isWithinWorkingHours(_ instant: Date) -> Bool {
        let second = VietnamTime.secondOfDay(of: instant)
        return periods(on: VietnamTime.localDate(of: instant)).contains {
            Double($0.start.secondOfDay) <= second && second <= Double($0.end.secondOfDay)
        }
    }

    /// The instant itself when the clock runs then, otherwise the start of the next working period.
    public func nextWorkingMoment(from instant: Date) -> Date {
        var date = VietnamTime.localDate(of: instant)
        let second = VietnamTime.secondOfDay(of: instant)
        for period in periods(on: date) where second < Double(period.end.secondOfDay) {
            return second >= Double(period.start.secondOfDay)
                ? instant : VietnamTime.instant(on: date, secondOfDay: Double(period.start.secondOfDay))
        }
        date = nextWorkingDay(after: date)
        // SAFETY: a working day has at least one period.
        let first = periods(on: date).first!
        return VietnamTime.instant(on: date, secondOfDay: Double(first.start.secondOfDay))
    }

    /// The earliest instant at which `seconds` of working time have elapsed since `instant`.
    ///
    /// Zero (or a negative amount) gives ``nextWorkingMoment(from:)``. A result exactly at the end of a
    /// period is kept there (Friday 17:00), not moved to the next period (Monday 07:00).
    public func add(workingTime seconds: TimeInterval, to instant: Date) -> Date {
        guard seconds > 0 else { return nextWorkingMoment(from: instant) }
        var remaining = seconds
        var date = VietnamTime.localDate(of: instant)
        var second = VietnamTime.secondOfDay(of: instant)
        while true {
            for period in periods(on: date) where second < Double(period.end.secondOfDay) {
                let start = max(Double(period.start.secondOfDay), second)
                let available = Double(period.end.secondOfDay) - start
                if remaining <= available { return VietnamTime.instant(on: date, secondOfDay: start + remaining) }
                remaining -= available
            }
            date = nextWorkingDay(after: date)
            second = 0
        }
    }

    /// The earliest instant at which `hours` working hours have elapsed since `instant`.
    public func add(workingHours hours: Double, to instant: Date) -> Date {
        add(workingTime: hours * 3_600, to: instant)
    }

    /// The instant `days` working days after `instant`: the same point of the working day, `days` working days on.
    ///
    /// The point of the day is the working time already elapsed that day (09:00 is 2 h in). An instant
    /// before the day's first period or after its last counts from the next working moment, and an
    /// instant with nothing elapsed yet (07:00) is due at the end of the day before the same point
    /// (17:00), the earliest instant that is equivalent. On the standard schedule this equals adding
    /// `8 × days` working hours. If the target day is shorter, the result is its end.
    public func add(workingDays days: Int, to instant: Date) -> Date {
        guard days > 0 else { return nextWorkingMoment(from: instant) }
        let start = nextWorkingMoment(from: instant)
        let startDate = VietnamTime.localDate(of: start)
        let elapsed = workingTimeElapsed(on: startDate, before: VietnamTime.secondOfDay(of: start))
        var target = startDate
        if elapsed <= 0 {
            for _ in 0..<(days - 1) { target = nextWorkingDay(after: target) }
            return endOfWorkingDay(target)
        }
        for _ in 0..<days { target = nextWorkingDay(after: target) }
        return moment(on: target, afterWorkingTime: elapsed)
    }

    /// The working time between two instants in seconds (negative when `end` is before `start`).
    public func workingTime(from start: Date, to end: Date) -> TimeInterval {
        if end < start { return -workingTime(from: end, to: start) }
        let firstDay = VietnamTime.dayNumber(of: start)
        let lastDay = VietnamTime.dayNumber(of: end)
        let startSecond = VietnamTime.secondOfDay(of: start)
        let endSecond = VietnamTime.secondOfDay(of: end)
        var total: TimeInterval = 0
        for dayNumber in firstDay...lastDay {
            let lower = dayNumber == firstDay ? startSecond : 0
            let upper = dayNumber == lastDay ? endSecond : VietnamTime.secondsPerDay
            for period in periods(on: LocalDate(dayNumber: dayNumber)) {
                let overlap = min(upper, Double(period.end.secondOfDay)) - max(lower, Double(period.start.secondOfDay))
                if overlap > 0 { total += overlap }
            }
        }
        return total
    }

    /// The working time between two instants in hours.
    public func workingHours(from start: Date, to end: Date) -> Double {
        workingTime(from: start, to: end) / 3_600
    }

    /// The end of the last working period of a date (the date should be a working day).
    public func endOfWorkingDay(_ date: LocalDate) -> Date {
        let end = periods(on: date).last?.end.secondOfDay ?? 0
        return VietnamTime.instant(on: date, secondOfDay: Double(end))
    }

    /// The end of working hours on `date`, or on the next working day when `date` is not one.
    public func endOfWorkingDay(onOrAfter date: LocalDate) -> Date {
        endOfWorkingDay(workingDay(onOrAfter: date))
    }

    /// Working time on a date before a second of that day.
    private func workingTimeElapsed(on date: LocalDate, before second: TimeInterval) -> TimeInterval {
        periods(on: date).reduce(0) { total, period in
            total + max(0, min(second, Double(period.end.secondOfDay)) - Double(period.start.secondOfDay))
        }
    }

    /// The earliest instant of a date by which `elapsed` working time has passed that day (capped at its end).
    private func moment(on date: LocalDate, afterWorkingTime elapsed: TimeInterval) -> Date {
        var remaining = elapsed
        let dayPeriods = periods(on: date)
        for period in dayPeriods {
            let length = Double(period.length)
            if remaining <= length {
                return VietnamTime.instant(on: date, secondOfDay: Double(period.start.secondOfDay) + remaining)
            }
            remaining -= length
        }
        return endOfWorkingDay(date)
    }
}
