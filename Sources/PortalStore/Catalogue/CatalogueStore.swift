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
                try await Self.upsert(agency, on: db)
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
            try await Self.upsert(procedures: procedures, source: source, now: now, on: db, progress: nil)
        }
        database.searchIndex.invalidate()
    }

    /// Inserts or updates procedures in one transaction, reporting progress every 100 rows.
    public func upsert(
        procedures: [Procedure], source: String, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) async throws {
        let now = Date().epochMilliseconds
        try await database.transaction { db in
            try await Self.upsert(procedures: procedures, source: source, now: now, on: db, progress: progress)
        }
        database.searchIndex.invalidate()
        progress?(procedures.count, procedures.count)
    }

    static func upsert(
        procedures: [Procedure], source: String, now: Int64, on db: any SQLDatabase,
        progress: (@Sendable (Int, Int) -> Void)?
    ) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for (index, procedure) in procedures.enumerated() {
            if index % 100 == 0 { progress?(index, procedures.count) }
            let record = String(decoding: try encoder.encode(procedure), as: UTF8.self)
            try await db.insert(into: "procedures")
                .columns(
                    "code", "name", "name_en", "group_slug", "field", "ministry_code", "online_level", "levels",
                    "audiences", "agency_codes", "popular", "search_text", "body_text", "record", "source",
                    "updated_at"
                )
                .values(
                    SQLBind(procedure.code), SQLBind(procedure.name), SQLBind(procedure.nameEnglish),
                    SQLBind(procedure.groupSlug), SQLBind(procedure.field), SQLBind(procedure.ministryCode),
                    SQLBind(procedure.onlineLevel.rawValue), SQLBind(Self.list(procedure.levels.map(\.rawValue))),
                    SQLBind(Self.list(procedure.audiences.map(\.rawValue))),
                    SQLBind(Self.list(Self.agencyCodes(of: procedure))), SQLBind(procedure.popular ? 1 : 0),
                    SQLBind(Self.searchText(for: procedure)), SQLBind(Self.bodyText(for: procedure)),
                    SQLBind(record), SQLBind(source), SQLBind(now)
                )
                .onConflict(with: ["code"]) {
                    $0.set(excludedValueOf: "name").set(excludedValueOf: "name_en")
                        .set(excludedValueOf: "group_slug").set(excludedValueOf: "field")
                        .set(excludedValueOf: "ministry_code").set(excludedValueOf: "online_level")
                        .set(excludedValueOf: "levels").set(excludedValueOf: "audiences")
                        .set(excludedValueOf: "agency_codes").set(excludedValueOf: "popular")
                        .set(excludedValueOf: "search_text").set(excludedValueOf: "body_text")
                        .set(excludedValueOf: "record").set(excludedValueOf: "source")
                        .set(excludedValueOf: "updated_at")
                }
                .run()
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
        guard
            let row = try await database.sql.raw(
                "SELECT slug, name, name_en, description, description_en FROM procedure_groups WHERE slug = \(bind: slug)"
            ).first()
        else { return nil }
        return ProcedureGroup(
            slug: try row.decode(column: "slug", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            nameEnglish: try row.decode(column: "name_en", as: String.self),
            description: try row.decode(column: "description", as: String.self),
            descriptionEnglish: try row.decode(column: "description_en", as: String.self))
    }

    /// The procedures marked popular, shortest name first (the short ones are the everyday ones).
    public func popularProcedures(limit: Int = 12) async throws -> [Procedure] {
        try await database.sql.raw(
            "SELECT record FROM procedures WHERE popular = 1 ORDER BY LENGTH(name), name LIMIT \(bind: limit)"
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
            .columns("code", "name", "name_en", "level", "parent_code", "province_code", "status")
            .from("agencies")
            .where("code", .in, codes)
            .all()
        let byCode = try Dictionary(
            rows.map { row in
                let agency = try Self.agency(from: row)
                return (agency.code, agency)
            },
            uniquingKeysWith: { first, _ in first }
        )
        return codes.compactMap { byCode[$0] }
    }

    /// The provinces by code.
    public func provinces() async throws -> [Province] {
        try await database.sql.raw("SELECT code, name, full_name, type FROM provinces ORDER BY code").all()
            .map(Self.province(from:))
    }

    /// The province with this code, if any.
    public func province(code: String) async throws -> Province? {
        try await database.sql.raw("SELECT code, name, full_name, type FROM provinces WHERE code = \(bind: code)")
            .first().map(Self.province(from:))
    }

    static func province(from row: any SQLRow) throws -> Province {
        Province(
            code: try row.decode(column: "code", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            fullName: try row.decode(column: "full_name", as: String.self),
            type: try row.decode(column: "type", as: String.self))
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

    /// Builds the in-memory search index now, so that the first search does not wait for it.
    public func prepareSearch() async throws {
        _ = try await database.searchIndex.current(database)
    }

    /// Finds procedures by words typed with or without accents, or by national code, optionally within a group.
    public func search(_ query: String, group: String? = nil, page: Int = 1, perPage: Int = 20) async throws
        -> SearchPage
    {
        try await search(ProcedureFilter(query: query, group: group), page: page, perPage: perPage)
    }

    /// Finds procedures matching a filter.
    ///
    /// Every query word must start a word of the name, code, field, agencies or documents (`ket` finds "kết hôn" but
    /// not "khoong"). Ranking, best first: the exact code; the name starting with the phrase; the name containing
    /// the phrase; every word a whole word of the name; every word starting a word of the name; matches elsewhere.
    /// Within a rank, procedures the portal has placed in a home-page group (the common ones) come first, then the
    /// shorter name.
    public func search(_ filter: ProcedureFilter, page: Int = 1, perPage: Int = 20) async throws -> SearchPage {
        let words = TypedVietnamese.foldQuery(Self.wordsOnly(filter.query)).split(separator: " ").map(String.init)
        let folded = words.joined(separator: " ")
        let index = try await database.searchIndex.current(database)
        // The entries where every word starts some word of the searchable texts.
        var candidates: [Int32]
        if words.isEmpty {
            candidates = index.defaultOrder
        } else {
            var bits = index.entries(withWordStarting: Array(words[0].utf8))
            for word in words.dropFirst() {
                let more = index.entries(withWordStarting: Array(word.utf8))
                for position in bits.indices { bits[position] &= more[position] }
            }
            candidates = []
            for (position, block) in bits.enumerated() where block != 0 {
                for bit in 0..<64 where block & (1 << UInt64(bit)) != 0 {
                    candidates.append(Int32(position * 64 + bit))
                }
            }
        }
        let agency = filter.agency.map { AgencyIdentifier($0)?.fullForm ?? $0 }
        let matching = candidates.filter { position in
            let entry = index.entries[Int(position)]
            if let group = filter.group, entry.groupSlug != group { return false }
            if let field = filter.field, entry.field != field { return false }
            if let level = filter.level, !entry.levels.contains(level.rawValue) { return false }
            if let audience = filter.audience, !entry.audiences.contains(audience.rawValue) { return false }
            if let onlineLevel = filter.onlineLevel, entry.onlineLevel != onlineLevel.rawValue { return false }
            if let agency, !entry.agencyCodes.contains(agency) { return false }
            return true
        }
        let ranked: [Int32]
        if words.isEmpty {
            ranked = matching
        } else {
            let phrase = Array((" " + folded + " ").utf8)
            let phraseStart = phrase.dropLast()
            let wordBytes = words.map { Array($0.utf8) }
            let spacedWords = words.map { Array((" " + $0).utf8) }
            ranked = matching.map { position -> (key: (Int, Int, Int32), position: Int32) in
                let entry = index.entries[Int(position)]
                let rank: Int
                if entry.code == folded {
                    rank = 0
                } else if entry.paddedName.starts(with: phraseStart) {
                    rank = 1
                } else if CatalogueSearchIndex.bytes(entry.paddedName, contain: phrase) {
                    rank = 2
                } else if wordBytes.allSatisfy({ entry.nameWords.contains($0) }) {
                    rank = 3
                } else if spacedWords.allSatisfy({ CatalogueSearchIndex.bytes(entry.paddedName, contain: $0) }) {
                    rank = 4
                } else {
                    rank = 5
                }
                // When the words are scattered, the name where they stand closest together is the better match.
                let span = rank >= 3 && rank <= 4 ? Self.span(of: wordBytes, in: entry.nameWords, exact: rank == 3) : 0
                return ((rank, span, index.defaultPlace[Int(position)]), position)
            }
            .sorted { $0.key < $1.key }.map(\.position)
        }
        let pageNumber = max(page, 1)
        let start = min((pageNumber - 1) * perPage, ranked.count)
        let end = min(start + perPage, ranked.count)
        let items = ranked[start..<end].map { index.entries[Int($0)].procedure }
        var agencyNames: [String: String] = [:]
        for code in items.flatMap(Self.agencyCodes(of:)) { agencyNames[code] = index.agencyNames[code] }
        return SearchPage(
            items: items, total: ranked.count, page: pageNumber, perPage: perPage, agencyNames: agencyNames)
    }

    /// The fewest consecutive name words that hold every query word (whole words, or word starts).
    static func span(of words: [[UInt8]], in nameWords: [[UInt8]], exact: Bool) -> Int {
        // Which query words each name word holds, as bits (queries longer than 64 words count their first 64).
        let masks = nameWords.map { nameWord in
            var mask: UInt64 = 0
            for (bit, word) in words.prefix(64).enumerated()
            where exact ? nameWord == word : nameWord.starts(with: word) {
                mask |= 1 << UInt64(bit)
            }
            return mask
        }
        let all: UInt64 = words.count >= 64 ? .max : (1 << UInt64(words.count)) - 1
        var best = Int.max
        for start in masks.indices where masks[start] != 0 {
            var seen: UInt64 = 0
            for end in start..<masks.count {
                seen |= masks[end]
                if seen == all {
                    best = min(best, end - start + 1)
                    break
                }
            }
        }
        return best
    }

    /// The procedures with these codes, in the order given.
    public func procedures(codes: [String]) async throws -> [Procedure] {
        guard !codes.isEmpty else { return [] }
        let rows = try await database.sql.select().column("record").from("procedures").where("code", .in, codes).all()
        let byCode = Dictionary(
            try rows.map(Self.procedure(from:)).map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        return codes.compactMap { byCode[$0] }
    }

    /// The fields (lĩnh vực) of the catalogue with their procedure counts, by name.
    public func fields() async throws -> [(field: String, count: Int)] {
        try await database.sql.raw("SELECT field, COUNT(*) AS n FROM procedures GROUP BY field ORDER BY field").all()
            .map { (try $0.decode(column: "field", as: String.self), try $0.decode(column: "n", as: Int.self)) }
    }

    /// Agencies whose name or identifier matches the words, by identifier; all agencies without a query.
    public func agencies(matching query: String = "", limit: Int = 100, offset: Int = 0) async throws -> (
        items: [Agency], total: Int
    ) {
        let words = TypedVietnamese.foldQuery(query).split(separator: " ").map(String.init)
        let rows = try await database.sql.select()
            .columns("code", "name", "name_en", "level", "parent_code", "province_code", "status")
            .from("agencies").orderBy("code").all()
        let matching = try rows.map(Self.agency(from:)).filter { agency in
            let text = VietnameseText.fold(agency.name + " " + agency.code + " " + (agency.nameEnglish ?? ""))
            return words.allSatisfy(text.contains)
        }
        return (Array(matching.dropFirst(offset).prefix(limit)), matching.count)
    }

    /// The communes of a province, by name.
    public func communes(provinceCode: String) async throws -> [Commune] {
        try await database.sql.raw(
            "SELECT code, name, type, province_code FROM communes WHERE province_code = \(bind: provinceCode) ORDER BY code"
        ).all().map {
            Commune(
                code: try $0.decode(column: "code", as: String.self),
                name: try $0.decode(column: "name", as: String.self),
                type: try $0.decode(column: "type", as: String.self),
                provinceCode: try $0.decode(column: "province_code", as: String.self))
        }
    }

    static func procedure(from row: any SQLRow) throws -> Procedure {
        try JSONDecoder().decode(Procedure.self, from: Data(try row.decode(column: "record", as: String.self).utf8))
    }

    /// Indexed text is folded the way queries are, so that a real word that reads as Telex (`toong`) is folded
    /// the same on both sides.
    ///
    /// Both texts are stored with a space at each end, and punctuation as spaces, so that `LIKE '% word%'` finds
    /// words that start with the typed word.
    static func searchText(for procedure: Procedure) -> String {
        " "
            + wordsOnly(
                TypedVietnamese.foldQuery([procedure.name, procedure.code, procedure.field].joined(separator: " ")))
            + " "
    }

    /// Folded text with punctuation (other than the dots of codes) turned into spaces.
    static func wordsOnly(_ folded: String) -> String {
        String(folded.map { $0.isLetter || $0.isNumber || $0 == "." ? $0 : " " })
    }

    /// The rest of the searchable text: agencies, documents, result.
    static func bodyText(for procedure: Procedure) -> String {
        // Plain folding here: the body is long, and the dozen real words that read as Telex occur in place names,
        // not in agencies or documents.
        " "
            + wordsOnly(
                VietnameseText.fold(
                    ([procedure.implementingAgency, procedure.competentAgency, procedure.result]
                        + procedure.documents.map(\.name)).joined(separator: " "))) + " "
    }

    /// A list stored as `,a,b,` so that `LIKE '%,a,%'` finds one element on both engines.
    static func list(_ values: [String]) -> String {
        values.isEmpty ? "" : "," + values.joined(separator: ",") + ","
    }

    /// Every agency identifier a procedure is filed under: its ministry, the handling agencies, and the ministries
    /// named by its result-document codes (`KQ.G15.000031` → `000.00.00.G15`).
    public static func agencyCodes(of procedure: Procedure) -> [String] {
        var codes = [procedure.ministryCode].compactMap { $0 } + procedure.handlingAgencyCodes
        for resultCode in procedure.resultCodes {
            let parts = resultCode.split(separator: ".")
            if parts.count >= 2, let agency = AgencyIdentifier(String(parts[1])) { codes.append(agency.fullForm) }
        }
        var seen = Set<String>()
        return codes.filter { seen.insert($0).inserted }
    }

    /// Official names start with "Thủ tục"; ranking looks at what follows.
    static func withoutProcedurePrefix(_ foldedName: String) -> String {
        foldedName.hasPrefix("thu tuc ") ? String(foldedName.dropFirst("thu tuc ".count)) : foldedName
    }

    static func upsert(_ agency: Agency, on db: any SQLDatabase) async throws {
        try await db.insert(into: "agencies")
            .columns("code", "name", "name_en", "level", "parent_code", "province_code", "short_code", "status")
            .values(
                SQLBind(agency.code), SQLBind(agency.name), SQLBind(agency.nameEnglish), SQLBind(agency.level.rawValue),
                SQLBind(agency.parentCode), SQLBind(agency.provinceCode), SQLBind(agency.shortCode),
                SQLBind(agency.status)
            )
            .onConflict(with: ["code"]) {
                // An import without English names keeps the ones the portal already has.
                $0.set(excludedValueOf: "name")
                    .set(
                        "name_en",
                        to: SQLFunction(
                            "COALESCE", args: SQLExcludedColumn("name_en"), SQLColumn("name_en", table: "agencies"))
                    )
                    .set(excludedValueOf: "level").set(excludedValueOf: "parent_code")
                    .set(excludedValueOf: "province_code").set(excludedValueOf: "short_code").set(
                        excludedValueOf: "status")
            }
            .run()
    }

    static func agency(from row: any SQLRow) throws -> Agency {
        Agency(
            code: try row.decode(column: "code", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            nameEnglish: try row.decode(column: "name_en", as: String?.self),
            level: AdministrativeLevel(rawValue: try row.decode(column: "level", as: String.self)) ?? .central,
            parentCode: try row.decode(column: "parent_code", as: String?.self),
            provinceCode: try row.decode(column: "province_code", as: String?.self),
            status: try row.decode(column: "status", as: String.self)
        )
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

/// What to look for in the catalogue; nil means any.
public struct ProcedureFilter: Sendable, Hashable {
    public var query: String
    public var group: String?
    public var field: String?
    /// An agency identifier, full (`000.00.00.G15`) or short (`G15`).
    public var agency: String?
    public var level: AdministrativeLevel?
    public var audience: Audience?
    public var onlineLevel: OnlineLevel?

    /// A filter; only the given criteria apply.
    public init(
        query: String = "", group: String? = nil, field: String? = nil, agency: String? = nil,
        level: AdministrativeLevel? = nil, audience: Audience? = nil, onlineLevel: OnlineLevel? = nil
    ) {
        self.query = query
        self.group = group
        self.field = field
        self.agency = agency
        self.level = level
        self.audience = audience
        self.onlineLevel = onlineLevel
    }
}

/// One page of search results.
public struct SearchPage: Sendable {
    public let items: [Procedure]
    public let total: Int
    public let page: Int
    public let perPage: Int
    /// The names of the agencies the items are filed under, by identifier, as the search index last read them.
    public let agencyNames: [String: String]
}

/// The catalogue's headline numbers.
public struct CatalogueCounts: Sendable, Equatable {
    public var procedures = 0
    public var fullyOnline = 0
    public var partlyOnline = 0
    public var agencies = 0
}
