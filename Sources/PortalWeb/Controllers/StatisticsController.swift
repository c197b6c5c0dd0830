import Foundation
import HTTPTypes
import Hummingbird
import PortalCore
import PortalStore

/// Live statistics and open data: the page `/thong-ke`, `GET /api/v1/stats/summary`, the per-agency figures as
/// JSON (`/api/v1/stats/agencies`) and CSV (`/api/v1/stats/agencies.csv`), and per-procedure figures.
///
/// Requests read the running counters and the aggregates of the last refresh; none scans the dossiers.
struct StatisticsController: Sendable {
    let statistics: StatisticsStore
    let hits: HitCounter
    let renderer: PageRenderer

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/thong-ke") { request, context in try await self.page(request, context) }
    }

    // MARK: Periods

    /// An inclusive range of local dates.
    struct Period: Sendable {
        let from: LocalDate
        let to: LocalDate
    }

    static let longestPeriodDays = 3_660

    /// Reads a period from two query parameters; by default the twelve months up to today.
    static func period(
        _ query: [String: String], fromField: String, toField: String,
        today: LocalDate = VietnamTime.localDate(
            of: Date())
    ) throws -> Period {
        func date(_ field: String) throws -> LocalDate? {
            guard let text = query[field]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard text.count == 10, let date = LocalDate(text) else {
                throw PortalError(.badRequest, code: "invalid_date", messageKey: "stats_error_date", field: field)
            }
            return date
        }
        let to = try date(toField) ?? today
        let from = try date(fromField) ?? LocalDate(year: to.year, month: to.month, day: 1)!.adding(months: -11)
        guard from <= to else {
            throw PortalError(.badRequest, code: "invalid_period", messageKey: "stats_error_order", field: fromField)
        }
        guard to.dayNumber - from.dayNumber < longestPeriodDays else {
            throw PortalError(.badRequest, code: "invalid_period", messageKey: "stats_error_span", field: fromField)
        }
        return Period(from: from, to: to)
    }

    // MARK: Open data

    /// A rate or average rounded to four decimals; `nil` when undefined.
    static func rounded(_ value: Double?) -> Double? { value.map { ($0 * 10_000).rounded() / 10_000 } }

    /// One CSV line (RFC 4180, CRLF). A cell that a spreadsheet would read as a formula is prefixed with `'`.
    static func csvLine(_ cells: [String]) -> String {
        cells.map { cell in
            var value = cell
            if let first = value.first, "=+-@".contains(first), Double(value) == nil { value = "'" + value }
            guard value.contains(where: { ",\"\r\n".contains($0) }) else { return value }
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        .joined(separator: ",") + "\r\n"
    }
}
