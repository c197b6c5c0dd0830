/// The unit of a procedure's processing time (raw values as in the catalogue's `unit`).
public enum ProcessingTimeUnit: String, Sendable, Hashable, Codable, CaseIterable {
    /// Working days (ngày làm việc).
    case workingDays = "working_days"
    /// Calendar days (ngày), weekends and holidays included.
    case calendarDays = "days"
    /// Working hours (giờ làm việc).
    case hours
    /// Calendar months (tháng).
    case months

    /// Whether the clock counts only working time in this unit.
    public var countsWorkingTime: Bool { self == .workingDays || self == .hours }
}
