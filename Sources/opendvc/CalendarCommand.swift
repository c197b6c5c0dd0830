import ArgumentParser
import Foundation
import PortalCore

/// `opendvc calendar`: answers legal-calendar questions with the built-in Vietnam holiday table.
struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Working-time arithmetic on the legal calendar (Asia/Ho_Chi_Minh, built-in holidays).",
        subcommands: [Add.self, Between.self]
    )

    /// `opendvc calendar add`: the instant N working days or hours after a start.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the instant N working days or working hours after --from (ISO 8601, +07:00).")

        @Option(help: "Start, ISO 8601; without an offset it is Vietnam local time (e.g. 2026-04-29T16:00).")
        var from: String

        @Option(help: "Working days to add (whole number, 0 or more).")
        var workingDays: Int?

        @Option(help: "Working hours to add (0 or more, decimals allowed).")
        var workingHours: Double?

        func validate() throws {
            _ = try CalendarCommand.instant(from, option: "--from")
            switch (workingDays, workingHours) {
            case (nil, nil), (.some, .some):
                throw ValidationError("Give exactly one of --working-days or --working-hours.")
            case (let days?, nil) where days < 0:
                throw ValidationError("--working-days must be 0 or more.")
            case (nil, let hours?) where hours < 0 || !hours.isFinite:
                throw ValidationError("--working-hours must be a finite number, 0 or more.")
            default:
                break
            }
        }

        func run() throws {
            let start = try CalendarCommand.instant(from, option: "--from")
            let calendar = WorkingCalendar.vietnam
            let result =
                if let workingDays {
                    calendar.add(workingDays: workingDays, to: start)
                } else {
                    calendar.add(workingHours: workingHours ?? 0, to: start)
                }
            print(VietnamTime.iso8601(result))
        }
    }

    /// `opendvc calendar between`: the working hours between two instants.
    struct Between: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the working hours between --from and --to (negative when --to is earlier).")

        @Option(help: "Start, ISO 8601; without an offset it is Vietnam local time.")
        var from: String

        @Option(help: "End, ISO 8601; without an offset it is Vietnam local time.")
        var to: String

        func validate() throws {
            _ = try CalendarCommand.instant(from, option: "--from")
            _ = try CalendarCommand.instant(to, option: "--to")
        }

        func run() throws {
            let hours = WorkingCalendar.vietnam.workingHours(
                from: try CalendarCommand.instant(from, option: "--from"),
                to: try CalendarCommand.instant(to, option: "--to"))
            print(CalendarCommand.format(hours: hours))
        }
    }

    /// Parses an option's ISO 8601 value or fails with a one-line message naming the option.
    static func instant(_ text: String, option: String) throws -> Date {
        guard let date = VietnamTime.parseISO8601(text) else {
            throw ValidationError(
                "\(option) must be ISO 8601 such as 2026-04-29T16:00 or 2026-04-29T16:00:00+07:00, got '\(text)'.")
        }
        return date
    }

    /// Formats hours without trailing zeros: `12.5`, `8`, `0.25`.
    static func format(hours: Double) -> String {
        let rounded = (hours * 10_000).rounded() / 10_000
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.4f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
