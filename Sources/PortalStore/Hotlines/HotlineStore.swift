import Foundation
import PortalCore
import SQLKit

/// The hotline directory: phone numbers, hours, e-mail and address of the portal's own support line, of each
/// locality's one-stop desks and of agencies. Administrators edit it; anyone reads it.
public struct HotlineStore: Sendable {
    let database: Database

    /// The directory on the portal database.
    public init(database: Database) {
        self.database = database
    }

    public struct Hotline: Sendable, Hashable {
        public let id: Int64
        public let agencyCode: String?
        public let agencyName: String?
        public let provinceCode: String?
        public let provinceName: String?
        public let communeCode: String?
        public let communeName: String?
        public let name: String
        public let phones: [String]
        public let hours: String
        public let email: String?
        public let address: String?
        public let updatedAt: Date
    }

    /// What an administrator enters.
    public struct Draft: Sendable, Hashable {
        public var agencyCode: String?
        public var provinceCode: String?
        public var communeCode: String?
        public var name: String
        public var phones: [String]
        public var hours: String
        public var email: String?
        public var address: String?

        public init(
            agencyCode: String?, provinceCode: String?, communeCode: String?, name: String, phones: [String],
            hours: String, email: String?, address: String?
        ) {
            self.agencyCode = agencyCode
            self.provinceCode = provinceCode
            self.communeCode = communeCode
            self.name = name
            self.phones = phones
            self.hours = hours
            self.email = email
            self.address = address
        }
    }

    static let columns = """
        h.id, h.agency_code, a.name AS agency_name, h.province_code, p.name AS province_name, h.commune_code,
        c.name AS commune_name, h.name, h.phones, h.hours, h.email, h.address, h.updated_at
        """
    static let joins = """
        FROM hotlines h LEFT JOIN agencies a ON a.code = h.agency_code LEFT JOIN provinces p ON p.code = h.province_code
        LEFT JOIN communes c ON c.code = h.commune_code
        """

    static func hotline(_ row: any SQLRow) throws -> Hotline {
        Hotline(
            id: try row.decode(column: "id", as: Int64.self),
            agencyCode: try row.decode(column: "agency_code", as: String?.self),
            agencyName: try row.decode(column: "agency_name", as: String?.self),
            provinceCode: try row.decode(column: "province_code", as: String?.self),
            provinceName: try row.decode(column: "province_name", as: String?.self),
            communeCode: try row.decode(column: "commune_code", as: String?.self),
            communeName: try row.decode(column: "commune_name", as: String?.self),
            name: try row.decode(column: "name", as: String.self),
            phones: try row.decode(column: "phones", as: String.self).split(separator: ",").map(String.init),
            hours: try row.decode(column: "hours", as: String.self),
            email: try row.decode(column: "email", as: String?.self),
            address: try row.decode(column: "address", as: String?.self),
            updatedAt: Date(epochMilliseconds: try row.decode(column: "updated_at", as: Int64.self)))
    }

    /// The lines for a locality or an agency, the portal's own first, then the province's, the commune's and the
    /// agencies'; without a filter, every line. With a province, lines of its communes other than `commune` are left
    /// out.
    public func list(
        province: String? = nil, commune: String? = nil, agency: String? = nil, limit: Int = 50, offset: Int = 0
    ) async throws -> (items: [Hotline], total: Int) {
        var filter: SQLQueryString = "WHERE 1 = 1"
        if let agency { filter = filter + " AND h.agency_code = \(bind: agency)" }
        if let province {
            filter =
                filter
                    + """
                     AND ((h.province_code IS NULL AND h.agency_code IS NULL) OR (h.province_code = \(bind: province)
                     AND (h.commune_code IS NULL OR h.commune_code = \(bind: commune ?? ""))))
                    """
        }
        let items = try await database.sql.raw(
            """
            SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins) \(filter)
            ORDER BY CASE WHEN h.province_code IS NULL AND h.agency_code IS NULL THEN 0
            WHEN h.commune_code IS NULL AND h.agency_code IS NULL THEN 1 WHEN h.agency_code IS NULL THEN 2 ELSE 3 END,
            h.name, h.id LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all().map(Self.hotline)
        let total =
            try await database.sql.raw("SELECT COUNT(*) AS n \(unsafeRaw: Self.joins) \(filter)").first()?.decode(
                column: "n", as: Int.self) ?? 0
        return (items, total)
    }

    /// The lines of these agencies, for their procedures' and dossiers' pages.
    public func forAgencies(_ codes: [String]) async throws -> [Hotline] {
        guard !codes.isEmpty else { return [] }
        return try await database.sql.raw(
            """
            SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins)
            WHERE h.agency_code IN (\(binds: codes)) ORDER BY h.name, h.id
            """
        ).all().map(Self.hotline)
    }

    /// One line.
    public func hotline(id: Int64) async throws -> Hotline? {
        try await database.sql.raw(
            "SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins) WHERE h.id = \(bind: id)"
        )
        .first().map(Self.hotline)
    }

    /// Checks a draft and returns the problems by field (empty when it can be saved).
    public func problems(_ draft: Draft) async throws -> [String: HotlineProblem] {
        var problems: [String: HotlineProblem] = [:]
        let name = draft.name.trimmingCharacters(in: .whitespaces)
        if name.isEmpty || name.count > 200 { problems["name"] = .name }
        if draft.phones.isEmpty || draft.phones.count > 5 || !draft.phones.allSatisfy(Self.isPhone) {
            problems["phones"] = .phones
        }
        if draft.hours.trimmingCharacters(in: .whitespaces).isEmpty || draft.hours.count > 200 {
            problems["hours"] = .hours
        }
        if let email = draft.email, email.count > 200 || !Self.isEmail(email) { problems["email"] = .email }
        if let address = draft.address, address.count > 300 { problems["address"] = .address }
        if let agency = draft.agencyCode,
            try await database.sql.raw("SELECT code FROM agencies WHERE code = \(bind: agency)").first() == nil
        {
            problems["agency_code"] = .agency
        }
        if let province = draft.provinceCode,
            try await database.sql.raw("SELECT code FROM provinces WHERE code = \(bind: province)").first() == nil
        {
            problems["province_code"] = .province
        }
        if let commune = draft.communeCode {
            let row = try await database.sql.raw("SELECT province_code FROM communes WHERE code = \(bind: commune)")
                .first()
            let province = try row?.decode(column: "province_code", as: String.self)
            if draft.provinceCode == nil || province != draft.provinceCode {
                problems["commune_code"] = .commune
            }
        }
        return problems
    }

    /// A phone number as the directory shows it: digits, spaces, `+`, `.`, `-`, `(`, `)`; 3 to 20 characters with
    /// at least 3 digits (short numbers such as 1022 are hotlines too).
    static func isPhone(_ text: String) -> Bool {
        let digits = text.filter { ("0"..."9").contains($0) }.count
        return (3...20).contains(text.count) && digits >= 3
            && text.allSatisfy { ("0"..."9").contains($0) || " +.-()".contains($0) }
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(where: \.isWhitespace)
    }

    /// Saves a checked draft: a new line, or changes to line `id`.
    @discardableResult
    public func save(_ draft: Draft, id: Int64? = nil, now: Date = Date()) async throws -> Int64 {
        let phones = draft.phones.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ",")
        if let id {
            try await database.sql.update("hotlines")
                .set("agency_code", to: draft.agencyCode).set("province_code", to: draft.provinceCode)
                .set("commune_code", to: draft.communeCode).set("name", to: draft.name).set("phones", to: phones)
                .set("hours", to: draft.hours).set("email", to: draft.email).set("address", to: draft.address)
                .set("updated_at", to: now.epochMilliseconds).where("id", .equal, id).run()
            return id
        }
        guard
            let row = try await database.sql.insert(into: "hotlines")
                .columns(
                    "agency_code", "province_code", "commune_code", "name", "phones", "hours", "email", "address",
                    "updated_at"
                )
                .values(
                    SQLBind(draft.agencyCode), SQLBind(draft.provinceCode), SQLBind(draft.communeCode),
                    SQLBind(draft.name), SQLBind(phones), SQLBind(draft.hours), SQLBind(draft.email),
                    SQLBind(draft.address), SQLBind(now.epochMilliseconds)
                )
                .returning("id").first()
        else { throw HotlineProblem.name }
        return try row.decode(column: "id", as: Int64.self)
    }

    /// Removes a line.
    public func delete(id: Int64) async throws -> Bool {
        try await database.sql.delete(from: "hotlines").where("id", .equal, id).returning("id").first() != nil
    }

    /// On an empty directory, the portal's own support line (the number shown in every page's footer).
    public func seedIfEmpty(nationalNumber: String, now: Date = Date()) async throws {
        guard try await database.sql.raw("SELECT id FROM hotlines LIMIT 1").first() == nil else { return }
        try await save(
            Draft(
                agencyCode: nil, provinceCode: nil, communeCode: nil, name: "Tổng đài hỗ trợ Cổng Dịch vụ công",
                phones: [nationalNumber], hours: "7:30–17:00, thứ Hai đến thứ Sáu", email: nil, address: nil),
            now: now)
    }
}

/// What is wrong with a hotline entry, by field.
public enum HotlineProblem: String, Error, Sendable, Hashable {
    case name, phones, hours, email, address, agency, province, commune
}
