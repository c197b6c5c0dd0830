/// A wall-clock time of day, from 00:00 to 24:00 inclusive, with minute precision.
public struct TimeOfDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Seconds after midnight, 0…86 400.
    public let secondOfDay: Int

    /// Creates a time, or `nil` outside 00:00…24:00.
    public init?(hour: Int, minute: Int = 0) {
        guard (0...23).contains(hour) && (0...59).contains(minute) || (hour == 24 && minute == 0) else { return nil }
        secondOfDay = hour * 3_600 + minute * 60
    }

    /// Parses `HH:MM`, or returns `nil`.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigitCharacter) }),
            let hour = Int(parts[0]), let minute = Int(parts[1])
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    /// The time as `HH:MM`.
    public var description: String {
        "\(LocalDate.pad(secondOfDay / 3_600, 2)):\(LocalDate.pad(secondOfDay % 3_600 / 60, 2))"
    }

    /// Orders times of day.
    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.secondOfDay < rhs.secondOfDay }
}
