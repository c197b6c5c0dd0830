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
    ///
    /// Read as UTF-8 bytes: a sync batch parses thousands of these.
    public static func parseISO8601(_ text: String) -> Date? {
        var text = text
        if text.utf8.contains(where: { $0 >= 0x80 }) {
            // Only spaces other than ASCII ones need Foundation; a timestamp is ASCII once they are gone.
            text = text.trimmingCharacters(in: .whitespaces)
            guard !text.utf8.contains(where: { $0 >= 0x80 }) else { return nil }
        }
        // Native strings hold their UTF-8 contiguously: read in place, without copying it into an array.
        if let date = text.utf8.withContiguousStorageIfAvailable({ parseISO8601(bytes: $0) }) { return date }
        return Array(text.utf8).withUnsafeBufferPointer { parseISO8601(bytes: $0) }
    }

    private static func parseISO8601(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let first = bytes.firstIndex { !blank($0) } ?? bytes.count
        let last = bytes.lastIndex { !blank($0) }.map { $0 + 1 } ?? first
        let characters = UnsafeBufferPointer(rebasing: bytes[first..<max(first, last)])
        guard characters.count >= 16, characters[10] == UInt8(ascii: "T") || characters[10] == UInt8(ascii: " "),
            let year = number(characters, 0, 4), characters[4] == UInt8(ascii: "-"),
            let month = number(characters, 5, 2), characters[7] == UInt8(ascii: "-"),
            let day = number(characters, 8, 2), let date = LocalDate(year: year, month: month, day: day),
            let hour = number(characters, 11, 2), characters[13] == UInt8(ascii: ":"),
            let minute = number(characters, 14, 2)
        else { return nil }
        var index = 16
        var second: Double = 0
        if index < characters.count, characters[index] == UInt8(ascii: ":") {
            guard let whole = number(characters, index + 1, 2) else { return nil }
            second = Double(whole)
            index += 3
            if index < characters.count,
                characters[index] == UInt8(ascii: ".") || characters[index] == UInt8(ascii: ",")
            {
                var end = index + 1
                var fraction: Double = 0
                var scale: Double = 1
                while end < characters.count, let digit = digit(characters[end]) {
                    scale /= 10
                    fraction += Double(digit) * scale
                    end += 1
                }
                guard end > index + 1 else { return nil }
                second += fraction
                index = end
            }
        }
        guard hour < 24, minute < 60, second < 60 else { return nil }
        var offset = offsetSeconds
        if index < characters.count {
            let sign = characters[index]
            if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
                guard index + 1 == characters.count else { return nil }
                offset = 0
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                // Four digits after the sign, colons anywhere among them ignored.
                var hhmm = 0
                var count = 0
                for byte in characters[(index + 1)...] where byte != UInt8(ascii: ":") {
                    count += 1
                    guard count <= 4, let value = digit(byte) else { return nil }
                    hhmm = hhmm * 10 + value
                }
                let offsetHours = hhmm / 100
                let offsetMinutes = hhmm % 100
                guard count == 4, offsetHours <= 18, offsetMinutes < 60 else { return nil }
                offset = (offsetHours * 3_600 + offsetMinutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
        }
        let localSeconds = Double(date.dayNumber) * secondsPerDay + Double(hour * 3_600 + minute * 60) + second
        return Date(timeIntervalSince1970: localSeconds - Double(offset))
    }

    private static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }

    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int) -> Int? {
        guard start + length <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<(start + length)] {
            guard let digit = digit(byte) else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}
