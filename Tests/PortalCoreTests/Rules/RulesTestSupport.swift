import Foundation
import PortalCore
import Testing

/// Parses an ISO 8601 instant for a test (local Vietnam time without an offset).
func instant(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Date {
    try #require(VietnamTime.parseISO8601(text), "not an instant: \(text)", sourceLocation: sourceLocation)
}

/// Parses a local date for a test.
func date(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> LocalDate {
    try #require(LocalDate(text), "not a date: \(text)", sourceLocation: sourceLocation)
}

/// A random instant between 2024-01-01 and 2030-06-30 local time, on a whole minute.
func randomInstant(using generator: inout SplitMix64) -> Date {
    let start = VietnamTime.instant(on: LocalDate(dayNumber: 19_723), secondOfDay: 0)  // 2024-01-01
    let minutes = Int.random(in: 0..<(2_373 * 1_440), using: &generator)
    return start.addingTimeInterval(TimeInterval(minutes * 60))
}

/// The data folder shared by the project (`../shared/data`), if present.
let sharedDataDirectory: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data")
