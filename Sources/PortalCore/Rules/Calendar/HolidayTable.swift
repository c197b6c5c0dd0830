/// The days that break the Monday–Friday week: holidays, compensatory days off and make-up working days.
///
/// This is data, not code: an administrator replaces a year's rows when the Government announces its schedule.
public struct HolidayTable: Sendable, Hashable, Codable {
    private let entriesByDate: [LocalDate: HolidayEntry]

    /// Creates a table; dates must be unique and make-up working days must fall on a weekend.
    public init(entries: [HolidayEntry]) throws(HolidayTableError) {
        var byDate: [LocalDate: HolidayEntry] = [:]
        for entry in entries {
            guard byDate[entry.date] == nil else { throw .duplicateDate(entry.date) }
            guard entry.kind != .makeUpWorkingDay || entry.date.weekday.isWeekend else {
                throw .makeUpDayNotOnWeekend(entry.date)
            }
            byDate[entry.date] = entry
        }
        entriesByDate = byDate
    }

    /// A table without entries.
    public static let empty = HolidayTable(validated: [:])

    private init(validated: [LocalDate: HolidayEntry]) { entriesByDate = validated }

    /// Decodes a table from an array of entries, validating it like ``init(entries:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(entries: container.decode([HolidayEntry].self))
    }

    /// Encodes the table as an array of entries in date order.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(entries)
    }

    /// The entry for a date, if any.
    public func entry(on date: LocalDate) -> HolidayEntry? { entriesByDate[date] }

    /// All entries in date order.
    public var entries: [HolidayEntry] { entriesByDate.values.sorted { $0.date < $1.date } }

    /// The number of entries.
    public var count: Int { entriesByDate.count }

    /// A copy with the entry added, replacing any entry on the same date.
    public func setting(_ entry: HolidayEntry) throws(HolidayTableError) -> HolidayTable {
        guard entry.kind != .makeUpWorkingDay || entry.date.weekday.isWeekend else {
            throw .makeUpDayNotOnWeekend(entry.date)
        }
        var copy = entriesByDate
        copy[entry.date] = entry
        return HolidayTable(validated: copy)
    }

    /// A copy without the entry on a date.
    public func removing(on date: LocalDate) -> HolidayTable {
        var copy = entriesByDate
        copy[date] = nil
        return HolidayTable(validated: copy)
    }

    /// A copy whose entries for `year` are replaced by `entries` (a newly announced schedule).
    public func replacingYear(_ year: Int, with entries: [HolidayEntry]) throws(HolidayTableError) -> HolidayTable {
        let kept = entriesByDate.values.filter { $0.date.year != year }
        return try HolidayTable(entries: kept + entries)
    }
}
