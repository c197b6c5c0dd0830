/// A procedure's legal processing time (thời hạn giải quyết), e.g. 5 working days.
public struct ProcessingTime: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The amount, zero or more.
    public let amount: Int
    /// The unit.
    public let unit: ProcessingTimeUnit

    /// Creates a processing time, or `nil` for a negative amount.
    public init?(amount: Int, unit: ProcessingTimeUnit) {
        guard amount >= 0 else { return nil }
        self.amount = amount
        self.unit = unit
    }

    /// A number of working days.
    public static func workingDays(_ amount: Int) -> ProcessingTime? {
        ProcessingTime(amount: amount, unit: .workingDays)
    }
    /// A number of working hours.
    public static func hours(_ amount: Int) -> ProcessingTime? { ProcessingTime(amount: amount, unit: .hours) }
    /// A number of calendar days.
    public static func calendarDays(_ amount: Int) -> ProcessingTime? {
        ProcessingTime(amount: amount, unit: .calendarDays)
    }
    /// A number of calendar months.
    public static func months(_ amount: Int) -> ProcessingTime? { ProcessingTime(amount: amount, unit: .months) }

    /// The time as `5 working_days`.
    public var description: String { "\(amount) \(unit.rawValue)" }
}
