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
        router.get("/api/v1/stats/agencies") { request, _ in try await self.agencies(request) }
        router.get("/api/v1/stats/agencies.csv") { request, _ in try await self.agenciesCSV(request) }
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

    /// The columns of one agency's row, shared by the JSON and the CSV.
    static let agencyColumns = [
        "rank", "agency_code", "agency_name", "received", "online", "online_share", "supplemented", "supplement_rate",
        "finished_early", "finished_on_time", "finished_late", "on_time_rate", "closed_without_result",
        "open_within_deadline", "open_past_deadline", "average_working_days", "ratings", "average_rating",
    ]

    /// A rate or average rounded to four decimals; `nil` when undefined.
    static func rounded(_ value: Double?) -> Double? { value.map { ($0 * 10_000).rounded() / 10_000 } }

    struct AgencyJSON: Encodable, Sendable {
        let rank: Int
        let agency_code: String
        let agency_name: String
        let received: Int64
        let online: Int64
        let online_share: Double?
        let supplemented: Int64
        let supplement_rate: Double?
        let finished_early: Int64
        let finished_on_time: Int64
        let finished_late: Int64
        let on_time_rate: Double?
        let closed_without_result: Int64
        let open_within_deadline: Int64
        let open_past_deadline: Int64
        let average_working_days: Double?
        let ratings: Int64
        let average_rating: Double?

        init(_ agency: AgencyFigures) {
            let f = agency.figures
            rank = agency.rank
            agency_code = agency.agencyCode
            agency_name = agency.agencyName
            received = f.received
            online = f.online
            online_share = StatisticsController.rounded(f.onlineShare.value)
            supplemented = f.supplemented
            supplement_rate = StatisticsController.rounded(f.supplementRate.value)
            finished_early = f.finishedEarly
            finished_on_time = f.finishedOnTime
            finished_late = f.finishedLate
            on_time_rate = StatisticsController.rounded(f.onTimeRate.value)
            closed_without_result = f.closedWithoutResult
            open_within_deadline = f.openWithinDeadline
            open_past_deadline = f.openPastDeadline
            average_working_days = StatisticsController.rounded(f.averageWorkingDays)
            ratings = f.ratingCount
            average_rating = StatisticsController.rounded(f.averageRating)
        }

        enum CodingKeys: String, CodingKey {
            case rank, agency_code, agency_name, received, online, online_share, supplemented, supplement_rate
            case finished_early, finished_on_time, finished_late, on_time_rate, closed_without_result
            case open_within_deadline, open_past_deadline, average_working_days, ratings, average_rating
        }

        /// Every field, null included, so that clients see the whole contract.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(rank, forKey: .rank)
            try container.encode(agency_code, forKey: .agency_code)
            try container.encode(agency_name, forKey: .agency_name)
            try container.encode(received, forKey: .received)
            try container.encode(online, forKey: .online)
            try container.encode(online_share, forKey: .online_share)
            try container.encode(supplemented, forKey: .supplemented)
            try container.encode(supplement_rate, forKey: .supplement_rate)
            try container.encode(finished_early, forKey: .finished_early)
            try container.encode(finished_on_time, forKey: .finished_on_time)
            try container.encode(finished_late, forKey: .finished_late)
            try container.encode(on_time_rate, forKey: .on_time_rate)
            try container.encode(closed_without_result, forKey: .closed_without_result)
            try container.encode(open_within_deadline, forKey: .open_within_deadline)
            try container.encode(open_past_deadline, forKey: .open_past_deadline)
            try container.encode(average_working_days, forKey: .average_working_days)
            try container.encode(ratings, forKey: .ratings)
            try container.encode(average_rating, forKey: .average_rating)
        }

        var csvCells: [String] {
            func text(_ value: Double?) -> String { value.map { String($0) } ?? "" }
            return [
                String(rank), agency_code, agency_name, String(received), String(online), text(online_share),
                String(supplemented), text(supplement_rate), String(finished_early), String(finished_on_time),
                String(finished_late), text(on_time_rate), String(closed_without_result),
                String(open_within_deadline), String(open_past_deadline), text(average_working_days),
                String(ratings), text(average_rating),
            ]
        }
    }

    struct AgenciesJSON: Encodable, Sendable {
        let from: String
        let to: String
        let as_of: String?
        let page: Int
        let per_page: Int
        let total: Int
        let agencies: [AgencyJSON]

        enum CodingKeys: String, CodingKey {
            case from, to, as_of, page, per_page, total, agencies
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(from, forKey: .from)
            try container.encode(to, forKey: .to)
            try container.encode(as_of, forKey: .as_of)
            try container.encode(page, forKey: .page)
            try container.encode(per_page, forKey: .per_page)
            try container.encode(total, forKey: .total)
            try container.encode(agencies, forKey: .agencies)
        }
    }

    static func positiveInteger(_ query: [String: String], _ field: String, default value: Int, maximum: Int) throws
        -> Int
    {
        guard let text = query[field], !text.isEmpty else { return value }
        guard let number = Int(text), (1...maximum).contains(number) else {
            throw PortalError(.badRequest, code: "invalid_\(field)", messageKey: "error_invalid_page", field: field)
        }
        return number
    }

    func agencies(_ request: Request) async throws -> Response {
        let query = request.formQuery
        let period = try Self.period(query, fromField: "from", toField: "to")
        let page = try Self.positiveInteger(query, "page", default: 1, maximum: 100_000)
        let perPage = try Self.positiveInteger(query, "per_page", default: 100, maximum: 1_000)
        let all = try await statistics.agencies(from: period.from, to: period.to)
        let slice = all.dropFirst((page - 1) * perPage).prefix(perPage)
        return try APIJSON.response(
            AgenciesJSON(
                from: period.from.description, to: period.to.description,
                as_of: try await statistics.refreshedAt().map(VietnamTime.iso8601), page: page, per_page: perPage,
                total: all.count, agencies: slice.map(AgencyJSON.init)))
    }

    func agenciesCSV(_ request: Request) async throws -> Response {
        let period = try Self.period(request.formQuery, fromField: "from", toField: "to")
        let all = try await statistics.agencies(from: period.from, to: period.to)
        var csv = Self.csvLine(Self.agencyColumns)
        for agency in all { csv += Self.csvLine(AgencyJSON(agency).csvCells) }
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] =
            "attachment; filename=\"opendvc-agencies-\(period.from.description)-\(period.to.description).csv\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: csv)))
    }

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
