/// What a row of the holiday table does to a day.
public enum HolidayKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A statutory public holiday (Labour Code 2019 art. 112(1)); a day off even when listed on a weekend.
    case holiday
    /// A weekday off: nghỉ bù for a holiday on a rest day, or a weekday swapped off by the Government.
    case compensatoryDayOff = "compensatory_day_off"
    /// A Saturday or Sunday worked to make up for a swapped day off (đi làm bù).
    case makeUpWorkingDay = "makeup_working_day"

    /// Whether the day is not worked.
    public var isDayOff: Bool { self != .makeUpWorkingDay }
}
