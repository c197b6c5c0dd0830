import Foundation
import PortalCore
import SQLKit

/// Reads and writes the procedure catalogue, agencies, provinces and procedure groups.
public struct CatalogueStore: Sendable {
    let database: Database

    /// A store on the portal database.
    public init(database: Database) {
        self.database = database
    }

    /// Inserts or updates everything given, in one transaction; a re-run changes nothing that is already equal.
    public func upsert(
        provinces: [Province], agencies: [Agency], groups: [ProcedureGroup], procedures: [Procedure], source: String
    ) async throws {
        let now = Date().epochMilliseconds
        try await database.transaction { db in
            for province in provinces {
                try await db.insert(into: "provinces")
                    .columns("code", "name", "full_name", "type")
                    .values(
                        SQLBind(province.code), SQLBind(province.name), SQLBind(province.fullName),
                        SQLBind(province.type)
                    )
                    .onConflict(with: ["code"]) {
                        $0.set(excludedValueOf: "name").set(excludedValueOf: "full_name").set(excludedValueOf: "type")
                    }
                    .run()
            }
            // Parents first, so that the foreign key on parent_code holds at every insert.
            for agency in Self.parentsFirst(agencies) {
                try await db.insert(into: "agencies")
                    .columns("code", "name", "name_en", "level", "parent_code", "province_code")
                    .values(
                        SQLBind(agency.code), SQLBind(agency.name), SQLBind(agency.nameEnglish),
                        SQLBind(agency.level.rawValue), SQLBind(agency.parentCode), SQLBind(agency.provinceCode)
                    )
                    .onConflict(with: ["code"]) {
                        $0.set(excludedValueOf: "name").set(excludedValueOf: "name_en").set(excludedValueOf: "level")
                            .set(excludedValueOf: "parent_code").set(excludedValueOf: "province_code")
                    }
                    .run()
            }
            for (position, group) in groups.enumerated() {
                try await db.insert(into: "procedure_groups")
                    .columns("slug", "name", "name_en", "description", "description_en", "position")
                    .values(
                        SQLBind(group.slug), SQLBind(group.name), SQLBind(group.nameEnglish),
                        SQLBind(group.description), SQLBind(group.descriptionEnglish), SQLBind(position)
                    )
                    .onConflict(with: ["slug"]) {
                        $0.set(excludedValueOf: "name").set(excludedValueOf: "name_en")
                            .set(excludedValueOf: "description").set(excludedValueOf: "description_en")
                            .set(excludedValueOf: "position")
                    }
                    .run()
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for procedure in procedures {
                let record = String(decoding: try encoder.encode(procedure), as: UTF8.self)
                try await db.insert(into: "procedures")
                    .columns(
                        "code", "name", "name_en", "group_slug", "field", "ministry_code", "online_level", "popular",
                        "search_text", "record", "source", "updated_at"
                    )
                    .values(
                        SQLBind(procedure.code), SQLBind(procedure.name), SQLBind(procedure.nameEnglish),
                        SQLBind(procedure.groupSlug), SQLBind(procedure.field), SQLBind(procedure.ministryCode),
                        SQLBind(procedure.onlineLevel.rawValue), SQLBind(procedure.popular ? 1 : 0),
                        SQLBind(Self.searchText(for: procedure)), SQLBind(record), SQLBind(source), SQLBind(now)
                    )
                    .onConflict(with: ["code"]) {
                        $0.set(excludedValueOf: "name").set(excludedValueOf: "name_en")
                            .set(excludedValueOf: "group_slug").set(excludedValueOf: "field")
                            .set(excludedValueOf: "ministry_code").set(excludedValueOf: "online_level")
                            .set(excludedValueOf: "popular").set(excludedValueOf: "search_text")
                            .set(excludedValueOf: "record").set(excludedValueOf: "source")
                            .set(excludedValueOf: "updated_at")
                    }
                    .run()
            }
        }
    }

    /// Whether the catalogue holds no procedure at all (a fresh database).
    public func isEmpty() async throws -> Bool {
        try await database.sql.raw("SELECT COUNT(*) AS n FROM procedures").first()?.decode(column: "n", as: Int.self)
            == 0
    }

    /// The groups in their display order, each with how many procedures it holds.
    public func groupsWithCounts() async throws -> [(group: ProcedureGroup, count: Int)] {
        let rows = try await database.sql.raw(
            """
            SELECT g.slug, g.name, g.name_en, g.description, g.description_en, COUNT(p.code) AS n
            FROM procedure_groups g LEFT JOIN procedures p ON p.group_slug = g.slug
            GROUP BY g.slug, g.name, g.name_en, g.description, g.description_en, g.position
            ORDER BY g.position
            """
        ).all()
        return try rows.map { row in
            (
                ProcedureGroup(
                    slug: try row.decode(column: "slug", as: String.self),
                    name: try row.decode(column: "name", as: String.self),
                    nameEnglish: try row.decode(column: "name_en", as: String.self),
                    description: try row.decode(column: "description", as: String.self),
                    descriptionEnglish: try row.decode(column: "description_en", as: String.self)
                ),
                try row.decode(column: "n", as: Int.self)
            )
        }
    }

    /// The group with this slug, if any.
    public func group(slug: String) async throws -> ProcedureGroup? {
        try await groupsWithCounts().first { $0.group.slug == slug }?.group
    }

    /// The procedures marked popular, by name.
    public func popularProcedures(limit: Int = 12) async throws -> [Procedure] {
        try await database.sql.raw(
            "SELECT record FROM procedures WHERE popular = 1 ORDER BY name LIMIT \(bind: limit)"
        ).all().map(Self.procedure(from:))
    }

    /// The procedure with this national code.
    public func procedure(code: String) async throws -> Procedure? {
        try await database.sql.raw("SELECT record FROM procedures WHERE code = \(bind: code)").first()
            .map(Self.procedure(from:))
    }

    /// The agency with this identifier.
    public func agency(code: String) async throws -> Agency? {
        try await agencies(codes: [code]).first
    }

    /// The agencies with these identifiers, in the order given (unknown codes are left out).
    public func agencies(codes: [String]) async throws -> [Agency] {
        guard !codes.isEmpty else { return [] }
        let rows = try await database.sql.select()
            .columns("code", "name", "name_en", "level", "parent_code", "province_code")
            .from("agencies")
            .where("code", .in, codes)
            .all()
        let byCode = try Dictionary(
            rows.map { row in
                let agency = Agency(
                    code: try row.decode(column: "code", as: String.self),
                    name: try row.decode(column: "name", as: String.self),
                    nameEnglish: try row.decode(column: "name_en", as: String?.self),
                    level: AdministrativeLevel(rawValue: try row.decode(column: "level", as: String.self)) ?? .central,
                    parentCode: try row.decode(column: "parent_code", as: String?.self),
                    provinceCode: try row.decode(column: "province_code", as: String?.self)
                )
                return (agency.code, agency)
            },
            uniquingKeysWith: { first, _ in first }
        )
        return codes.compactMap { byCode[$0] }
    }

    /// The provinces by code.
    public func provinces() async throws -> [Province] {
        try await database.sql.raw("SELECT code, name, full_name, type FROM provinces ORDER BY code").all().map {
            Province(
                code: try $0.decode(column: "code", as: String.self),
                name: try $0.decode(column: "name", as: String.self),
                fullName: try $0.decode(column: "full_name", as: String.self),
                type: try $0.decode(column: "type", as: String.self)
            )
        }
    }

    /// Counts for the home page: procedures, by online level, and agencies.
    public func headlineCounts() async throws -> CatalogueCounts {
        let rows = try await database.sql.raw(
            "SELECT online_level, COUNT(*) AS n FROM procedures GROUP BY online_level"
        ).all()
        var counts = CatalogueCounts()
        for row in rows {
            let count = try row.decode(column: "n", as: Int.self)
            counts.procedures += count
            switch OnlineLevel(rawValue: try row.decode(column: "online_level", as: String.self)) {
            case .full: counts.fullyOnline += count
            case .partial: counts.partlyOnline += count
            default: break
            }
        }
        counts.agencies =
            try await database.sql.raw("SELECT COUNT(*) AS n FROM agencies").first()?.decode(
                column: "n", as: Int.self) ?? 0
        return counts
    }

    /// Finds procedures by words typed with or without accents, or by national code, optionally within a group.
    ///
    /// Ranking: the whole phrase in the name first, then every word in the name, then matches elsewhere (code,
    /// field); ties by the shorter name.
    public func search(_ query: String, group: String? = nil, page: Int = 1, perPage: Int = 20) async throws
        -> SearchPage
    {
        let folded = VietnameseText.fold(query)
        let words = folded.split(separator: " ").map(String.init).filter { !$0.isEmpty }
        var select = database.sql.select().column("record").column("search_text").from("procedures")
        for word in words {
            select = select.where("search_text", .like, "%\(Self.escapeLike(word))%")
        }
        if let group, !group.isEmpty { select = select.where("group_slug", .equal, group) }
        let rows = try await select.all()
        let ranked = try rows.map { row -> (procedure: Procedure, rank: Int, length: Int) in
            let procedure = try Self.procedure(from: row)
            let name = VietnameseText.fold(procedure.name)
            let rank: Int
            if words.isEmpty || procedure.code == folded {
                rank = 0
            } else if name.contains(folded) {
                rank = name.hasPrefix(folded) ? 0 : 1
            } else if words.allSatisfy({ name.contains($0) }) {
                rank = 2
            } else {
                rank = 3
            }
            return (procedure, rank, name.count)
        }
        // Within a rank the shortest name is the closest match ("khai sinh" → "Đăng ký khai sinh" before
        // "Cấp bản sao … Giấy khai sinh").
        .sorted {
            ($0.rank, $0.length, $0.procedure.name, $0.procedure.code)
                < ($1.rank, $1.length, $1.procedure.name, $1.procedure.code)
        }
        let pageNumber = max(page, 1)
        let start = min((pageNumber - 1) * perPage, ranked.count)
        let end = min(start + perPage, ranked.count)
        return SearchPage(
            items: ranked[start..<end].map(\.procedure), total: ranked.count, page: pageNumber, perPage: perPage)
    }

    static func procedure(from row: any SQLRow) throws -> Procedure {
        try JSONDecoder().decode(Procedure.self, from: Data(try row.decode(column: "record", as: String.self).utf8))
    }

    static func searchText(for procedure: Procedure) -> String {
        VietnameseText.fold([procedure.name, procedure.code, procedure.field].joined(separator: " "))
    }

    /// Drops LIKE wildcards so that a typed `%` or `_` cannot widen the match (the engines disagree on LIKE escapes,
    /// and neither character occurs in a folded procedure name that matters).
    static func escapeLike(_ word: String) -> String {
        word.filter { $0 != "%" && $0 != "_" }
    }

    static func parentsFirst(_ agencies: [Agency]) -> [Agency] {
        var placed = Set<String>()
        var ordered: [Agency] = []
        var remaining = agencies
        while !remaining.isEmpty {
            let ready = remaining.filter { $0.parentCode.map(placed.contains) ?? true }
            // A parent outside this batch is assumed to exist already; the foreign key reports it otherwise.
            let batch = ready.isEmpty ? remaining : ready
            ordered.append(contentsOf: batch)
            placed.formUnion(batch.map(\.code))
            remaining.removeAll { placed.contains($0.code) }
        }
        return ordered
    }
}

/// One page of search results.
public struct SearchPage: Sendable {
    public let items: [Procedure]
    public let total: Int
    public let page: Int
    public let perPage: Int
}

/// The catalogue's headline numbers.
public struct CatalogueCounts: Sendable, Equatable {
    public var procedures = 0
    public var fullyOnline = 0
    public var partlyOnline = 0
    public var agencies = 0
}
