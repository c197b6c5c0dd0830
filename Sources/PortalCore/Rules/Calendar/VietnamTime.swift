import Foundation

/// Conversions between instants and Vietnam local time (Asia/Ho_Chi_Minh, UTC+07:00 all year, no daylight saving).
public enum VietnamTime {
    /// The offset of Vietnam local time from UTC, in seconds.
    public static let offsetSeconds = 25_200

    /// Seconds in a calendar day.
    static let secondsPerDay: Double = 86_400

    /// The fixed-offset time zone equivalent to Asia/Ho_Chi_Minh since 1975.
    public static let timeZone: TimeZone = {
        // SAFETY: a whole-hour offset within ±18 h always yields a time zone.
        TimeZone(secondsFromGMT: offsetSeconds)!
    }()

    /// Seconds since 1970-01-01T00:00 local time.
    static func localSeconds(_ instant: Date) -> Double {
        instant.timeIntervalSince1970 + Double(offsetSeconds)
    }

    /// The local day number (days since 1970-01-01) of an instant.
    static func dayNumber(of instant: Date) -> Int {
        Int((localSeconds(instant) / secondsPerDay).rounded(.down))
    }

    /// The local calendar date of an instant.
    public static func localDate(of instant: Date) -> LocalDate {
        LocalDate(dayNumber: dayNumber(of: instant))
    }

    /// Seconds elapsed since local midnight at an instant.
    public static func secondOfDay(of instant: Date) -> TimeInterval {
        localSeconds(instant) - Double(dayNumber(of: instant)) * secondsPerDay
    }

    /// The instant at a number of seconds after local midnight on a date.
    public static func instant(on date: LocalDate, secondOfDay: TimeInterval) -> Date {
        Date(
            timeIntervalSince1970: Double(date.dayNumber) * secondsPerDay + secondOfDay - Double(offsetSeconds))
    }

    /// The instant at a local wall-clock time on a date.
    public static func instant(on date: LocalDate, hour: Int, minute: Int, second: Int = 0) -> Date {
        instant(on: date, secondOfDay: TimeInterval(hour * 3_600 + minute * 60 + second))
    }

    /// Formats an instant as ISO 8601 local time with offset, e.g. `2026-05-04T08:00:00+07:00` (rounded to seconds).
    public static func iso8601(_ instant: Date) -> String {
        let total = Int(localSeconds(instant).rounded())
        let days = Int((Double(total) / secondsPerDay).rounded(.down))
        let seconds = total - days * 86_400
        let date = LocalDate(dayNumber: days)
        let time =
            "\(LocalDate.pad(seconds / 3_600, 2)):\(LocalDate.pad(seconds % 3_600 / 60, 2)):"
            + LocalDate.pad(seconds % 60, 2)
        return "\(date)T\(time)+07:00"
    }

    /// Parses ISO 8601 `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM]`; without an offset the time is Vietnam local time.
    public static func parseISO8601(_ text: String) -> Date? {
        let characters = Array(text.trimmingCharacters(in: .whitespaces))
        guard characters.count >= 16, characters[10] == "T" || characters[10] == " ",
            let date = LocalDate(String(characters[0..<10])),
            let hour = number(characters, 11, 2), characters[13] == ":", let minute = number(characters, 14, 2)
        else { return nil }
        var index = 16
        var second: Double = 0
        if index < characters.count, characters[index] == ":" {
            guard let whole = number(characters, index + 1, 2) else { return nil }
            second = Double(whole)
            index += 3
            if index < characters.count, characters[index] == "." || characters[index] == "," {
                var end = index + 1
                while end < characters.count, characters[end].isASCIIDigitCharacter { end += 1 }
                guard end > index + 1, let fraction = Double("0." + String(characters[(index + 1)..<end]))
                else { return nil }
                second += fraction
                index = end
            }
        }
        guard hour < 24, minute < 60, second < 60 else { return nil }
        var offset = offsetSeconds
        if index < characters.count {
            let sign = characters[index]
            if sign == "Z" || sign == "z" {
                guard index + 1 == characters.count else { return nil }
                offset = 0
            } else if sign == "+" || sign == "-" {
                let rest = String(characters[(index + 1)...]).replacingOccurrences(of: ":", with: "")
                let restCharacters = Array(rest)
                guard restCharacters.count == 4, let offsetHours = number(restCharacters, 0, 2),
                    let offsetMinutes = number(restCharacters, 2, 2), offsetHours <= 18, offsetMinutes < 60
                else { return nil }
                offset = (offsetHours * 3_600 + offsetMinutes * 60) * (sign == "-" ? -1 : 1)
            } else {
                return nil
            }
        }
        let localSeconds = Double(date.dayNumber) * secondsPerDay + Double(hour * 3_600 + minute * 60) + second
        return Date(timeIntervalSince1970: localSeconds - Double(offset))
    }

    private static func number(_ characters: [Character], _ start: Int, _ length: Int) -> Int? {
        guard start + length <= characters.count else { return nil }
        var value = 0
        for character in characters[start..<(start + length)] {
            guard let digit = character.asciiDigitValue else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}
