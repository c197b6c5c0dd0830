/// An agency's weekly working hours: the periods of each weekday and of a make-up working day.
public struct WorkingSchedule: Sendable, Hashable, Codable {
    /// The working periods of each weekday, sorted; a missing or empty entry is a rest day.
    public let periodsByWeekday: [Weekday: [WorkingPeriod]]
    /// The periods worked on a make-up working day (a Saturday or Sunday announced as a working day).
    public let makeUpDayPeriods: [WorkingPeriod]

    /// Creates a schedule; periods are sorted and must not overlap, and some day must have working time.
    public init(
        periodsByWeekday: [Weekday: [WorkingPeriod]], makeUpDayPeriods: [WorkingPeriod]
    ) throws(WorkingScheduleError) {
        var sorted: [Weekday: [WorkingPeriod]] = [:]
        for (day, periods) in periodsByWeekday where !periods.isEmpty {
            let ordered = periods.sorted { $0.start < $1.start }
            for (earlier, later) in zip(ordered, ordered.dropFirst()) where later.start < earlier.end {
                throw .overlappingPeriods(day)
            }
            sorted[day] = ordered
        }
        let makeUp = makeUpDayPeriods.sorted { $0.start < $1.start }
        for (earlier, later) in zip(makeUp, makeUp.dropFirst()) where later.start < earlier.end {
            throw .overlappingPeriods(.saturday)
        }
        guard !sorted.isEmpty else { throw .noWorkingTime }
        self.periodsByWeekday = sorted
        self.makeUpDayPeriods = makeUp
    }

    /// The working periods of a weekday (empty on a rest day).
    public func periods(on weekday: Weekday) -> [WorkingPeriod] { periodsByWeekday[weekday] ?? [] }

    /// Vietnamese public agencies: 07:00–11:30 and 13:30–17:00, Monday to Friday; make-up days the same.
    public static let standard: WorkingSchedule = {
        let day = [WorkingPeriod.standardMorning, .standardAfternoon]
        let weekdays: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday]
        // SAFETY: constant, non-overlapping periods on five days; the initializer cannot throw.
        return try! WorkingSchedule(
            periodsByWeekday: Dictionary(uniqueKeysWithValues: weekdays.map { ($0, day) }), makeUpDayPeriods: day)
    }()
}
