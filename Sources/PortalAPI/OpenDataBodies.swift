/// The bodies of the open lists whose contract has required, nullable properties (see `Nullable`): they stand in
/// for the generated types of the schemas `Hotline`, `PublishedFeedback`, `StatsAgency` and `StatsAgencies`.

/// A code with its name (schema `NamedCode`, and the procedure and agency of `DossierStatus`).
package struct CodeAndName: Codable, Hashable, Sendable {
    package let code: String
    package let name: String

    package init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// A support line (schema `Hotline`).
package struct HotlineBody: Codable, Hashable, Sendable {
    package let id: Int
    package let name: String
    @Nullable package var agency: CodeAndName?
    @Nullable package var province: CodeAndName?
    @Nullable package var commune: CodeAndName?
    package let phones: [String]
    package let hours: String
    @Nullable package var email: String?
    @Nullable package var address: String?

    package init(
        id: Int, name: String, agency: CodeAndName?, province: CodeAndName?, commune: CodeAndName?, phones: [String],
        hours: String,
        email: String?, address: String?
    ) {
        self.id = id
        self.name = name
        self.agency = agency
        self.province = province
        self.commune = commune
        self.phones = phones
        self.hours = hours
        self.email = email
        self.address = address
    }
}

/// A published answer to feedback (schema `PublishedFeedback`).
package struct PublishedFeedbackBody: Codable, Hashable, Sendable {
    package let id: Int
    package let title: String
    package let question: String
    package let answer: String
    @Nullable package var agency: String?
    @Nullable package var procedureCode: String?
    package let publishedAt: String
    package let url: String

    package init(
        id: Int, title: String, question: String, answer: String, agency: String?, procedureCode: String?,
        publishedAt: String, url: String
    ) {
        self.id = id
        self.title = title
        self.question = question
        self.answer = answer
        self.agency = agency
        self.procedureCode = procedureCode
        self.publishedAt = publishedAt
        self.url = url
    }

    enum CodingKeys: String, CodingKey {
        case id, title, question, answer, agency, url
        case procedureCode = "procedure_code"
        case publishedAt = "published_at"
    }
}

/// One agency's figures for a period (schema `StatsAgency`); the CSV has the same columns.
package struct StatsAgencyBody: Codable, Hashable, Sendable {
    package let rank: Int
    package let agencyCode: String
    package let agencyName: String
    package let received: Int
    package let online: Int
    @Nullable package var onlineShare: Double?
    package let supplemented: Int
    @Nullable package var supplementRate: Double?
    package let finishedEarly: Int
    package let finishedOnTime: Int
    package let finishedLate: Int
    @Nullable package var onTimeRate: Double?
    package let closedWithoutResult: Int
    package let openWithinDeadline: Int
    package let openPastDeadline: Int
    @Nullable package var averageWorkingDays: Double?
    package let ratings: Int
    @Nullable package var averageRating: Double?

    package init(
        rank: Int, agencyCode: String, agencyName: String, received: Int, online: Int, onlineShare: Double?,
        supplemented: Int, supplementRate: Double?, finishedEarly: Int, finishedOnTime: Int, finishedLate: Int,
        onTimeRate: Double?, closedWithoutResult: Int, openWithinDeadline: Int, openPastDeadline: Int,
        averageWorkingDays: Double?, ratings: Int, averageRating: Double?
    ) {
        self.rank = rank
        self.agencyCode = agencyCode
        self.agencyName = agencyName
        self.received = received
        self.online = online
        self.onlineShare = onlineShare
        self.supplemented = supplemented
        self.supplementRate = supplementRate
        self.finishedEarly = finishedEarly
        self.finishedOnTime = finishedOnTime
        self.finishedLate = finishedLate
        self.onTimeRate = onTimeRate
        self.closedWithoutResult = closedWithoutResult
        self.openWithinDeadline = openWithinDeadline
        self.openPastDeadline = openPastDeadline
        self.averageWorkingDays = averageWorkingDays
        self.ratings = ratings
        self.averageRating = averageRating
    }

    /// The CSV columns, in the order of `csvCells`.
    package static let columns = CodingKeys.allCases.map(\.rawValue)

    /// The row's cells; an undefined rate or average is an empty cell.
    package var csvCells: [String] {
        func text(_ value: Double?) -> String { value.map { String($0) } ?? "" }
        return [
            String(rank), agencyCode, agencyName, String(received), String(online), text(onlineShare),
            String(supplemented), text(supplementRate), String(finishedEarly), String(finishedOnTime),
            String(finishedLate), text(onTimeRate), String(closedWithoutResult), String(openWithinDeadline),
            String(openPastDeadline), text(averageWorkingDays), String(ratings), text(averageRating),
        ]
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case rank
        case agencyCode = "agency_code"
        case agencyName = "agency_name"
        case received, online
        case onlineShare = "online_share"
        case supplemented
        case supplementRate = "supplement_rate"
        case finishedEarly = "finished_early"
        case finishedOnTime = "finished_on_time"
        case finishedLate = "finished_late"
        case onTimeRate = "on_time_rate"
        case closedWithoutResult = "closed_without_result"
        case openWithinDeadline = "open_within_deadline"
        case openPastDeadline = "open_past_deadline"
        case averageWorkingDays = "average_working_days"
        case ratings
        case averageRating = "average_rating"
    }
}

/// One page of the agencies' figures (schema `StatsAgencies`).
package struct StatsAgenciesBody: Codable, Hashable, Sendable {
    package let from: String
    package let to: String
    @Nullable package var asOf: String?
    package let page: Int
    package let perPage: Int
    package let total: Int
    package let agencies: [StatsAgencyBody]

    package init(
        from: String, to: String, asOf: String?, page: Int, perPage: Int, total: Int, agencies: [StatsAgencyBody]
    ) {
        self.from = from
        self.to = to
        self.asOf = asOf
        self.page = page
        self.perPage = perPage
        self.total = total
        self.agencies = agencies
    }

    enum CodingKeys: String, CodingKey {
        case from, to, page, total, agencies
        case asOf = "as_of"
        case perPage = "per_page"
    }
}
