/// One block of working hours within a day, e.g. 07:00–11:30; the start is inclusive, the end exclusive.
public struct WorkingPeriod: Sendable, Hashable, Codable, CustomStringConvertible {
    /// When the period starts.
    public let start: TimeOfDay
    /// When the period ends.
    public let end: TimeOfDay

    /// Creates a period; it must end after it starts.
    public init(start: TimeOfDay, end: TimeOfDay) throws(WorkingScheduleError) {
        guard start < end else { throw .emptyPeriod(start: start, end: end) }
        self.start = start
        self.end = end
    }

    /// The length of the period in seconds.
    public var length: Int { end.secondOfDay - start.secondOfDay }

    /// The period as `HH:MM–HH:MM`.
    public var description: String { "\(start)–\(end)" }

    /// The morning session of Vietnamese public agencies, 07:00–11:30.
    public static let standardMorning = WorkingPeriod(uncheckedStart: 7 * 3_600, end: 11 * 3_600 + 1_800)
    /// The afternoon session of Vietnamese public agencies, 13:30–17:00.
    public static let standardAfternoon = WorkingPeriod(uncheckedStart: 13 * 3_600 + 1_800, end: 17 * 3_600)

    private init(uncheckedStart: Int, end: Int) {
        // SAFETY: only called with constant, valid times below 24:00 where start < end.
        self.start = TimeOfDay(hour: uncheckedStart / 3_600, minute: uncheckedStart % 3_600 / 60)!
        self.end = TimeOfDay(hour: end / 3_600, minute: end % 3_600 / 60)!
    }
}
