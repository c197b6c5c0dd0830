import Foundation
import PortalCore
import SQLKit

/// The procedure catalogue held in memory for search: every folded word of every procedure in a sorted vocabulary
/// with the procedures it occurs in, the name features ranking needs, and the filter columns. A search reads no
/// table; it finds each typed word's procedures by binary search for the words it starts, intersects them, ranks
/// and decodes only the page shown.
///
/// The index follows the table: it is rebuilt when the catalogue's version (count and latest change of its rows)
/// differs, checked at most every `recheckInterval`, so that an import run by another process, or a change made by
/// another server on the same PostgreSQL, is seen within seconds; this process's own changes drop it at once.
actor CatalogueSearchIndex {
    /// One procedure as search sees it.
    struct Entry: Sendable {
        let code: String
        let name: String
        let record: String
        let groupSlug: String?
        let field: String
        let levels: Set<String>
        let audiences: Set<String>
        let onlineLevel: String
        let agencyCodes: Set<String>
        // Ranking features of the name.
        let foldedName: String
        let length: Int
        let paddedName: String
        let nameWordList: [Substring]
        let nameWords: Set<Substring>
    }

    /// An immutable picture of the catalogue.
    struct Snapshot: Sendable {
        let version: String
        let entries: [Entry]
        /// Every word of the searchable texts, sorted by its UTF-8 bytes, with the entries it occurs in.
        let vocabulary: [(word: [UInt8], entries: [Int32])]
        /// All entries in the order of an empty query.
        let defaultOrder: [Int32]

        /// The entries in which some word starts with `prefix`, as a bit set.
        func entries(withWordStarting prefix: [UInt8]) -> [UInt64] {
            var bits = [UInt64](repeating: 0, count: (entries.count + 63) / 64)
            var low = 0
            var high = vocabulary.count
            while low < high {
                let middle = (low + high) / 2
                if vocabulary[middle].word.lexicographicallyPrecedes(prefix) { low = middle + 1 } else { high = middle }
            }
            var index = low
            while index < vocabulary.count, vocabulary[index].word.starts(with: prefix) {
                for entry in vocabulary[index].entries { bits[Int(entry) / 64] |= 1 << UInt64(Int(entry) % 64) }
                index += 1
            }
            return bits
        }
    }

    static let recheckInterval: TimeInterval = 2

    private var snapshot: Snapshot?
    private var checkedAt = Date.distantPast
    private var loading: Task<Snapshot, any Error>?

    /// Forgets the picture: the next search reloads it (after a change made by this process).
    func invalidate() {
        snapshot = nil
        checkedAt = .distantPast
    }

    /// The current picture, reloaded when the table changed.
    func current(_ database: Database) async throws -> Snapshot {
        if let snapshot, Date().timeIntervalSince(checkedAt) < Self.recheckInterval { return snapshot }
        if let loading { return try await loading.value }
        let known = snapshot
        let task = Task { () throws -> Snapshot in
            let version = try await Self.version(database)
            if let known, known.version == version { return known }
            return try await Self.load(database, version: version)
        }
        loading = task
        defer { loading = nil }
        let fresh = try await task.value
        snapshot = fresh
        checkedAt = Date()
        return fresh
    }

    static func version(_ database: Database) async throws -> String {
        guard
            let row = try await database.sql.raw(
                "SELECT COUNT(*) AS n, MAX(updated_at) AS latest FROM procedures"
            ).first()
        else { return "" }
        let count = try row.decode(column: "n", as: Int.self)
        let latest = try row.decode(column: "latest", as: Int64?.self) ?? 0
        return "\(count)/\(latest)"
    }

    static func load(_ database: Database, version: String) async throws -> Snapshot {
        let rows = try await database.sql.raw(
            """
            SELECT code, name, record, group_slug, field, levels, audiences, online_level, agency_codes, search_text,
            body_text FROM procedures
            """
        ).all()
        var entries: [Entry] = []
        entries.reserveCapacity(rows.count)
        var postings: [[UInt8]: [Int32]] = [:]
        for (index, row) in rows.enumerated() {
            let name = try row.decode(column: "name", as: String.self)
            let foldedName = CatalogueStore.withoutProcedurePrefix(TypedVietnamese.foldQuery(name))
            let paddedName = " " + foldedName.filter { $0.isLetter || $0.isNumber || $0 == " " || $0 == "." } + " "
            let nameWordList = paddedName.split(separator: " ")
            func list(_ column: String) throws -> Set<String> {
                Set(try row.decode(column: column, as: String.self).split(separator: ",").map(String.init))
            }
            entries.append(
                Entry(
                    code: try row.decode(column: "code", as: String.self), name: name,
                    record: try row.decode(column: "record", as: String.self),
                    groupSlug: try row.decode(column: "group_slug", as: String?.self),
                    field: try row.decode(column: "field", as: String.self), levels: try list("levels"),
                    audiences: try list("audiences"),
                    onlineLevel: try row.decode(column: "online_level", as: String.self),
                    agencyCodes: try list("agency_codes"), foldedName: foldedName, length: foldedName.count,
                    paddedName: paddedName,
                    nameWordList: nameWordList, nameWords: Set(nameWordList)))
            let text =
                try row.decode(column: "search_text", as: String.self) + " "
                + (try row.decode(column: "body_text", as: String.self))
            for word in Set(text.utf8.split(separator: UInt8(ascii: " ")).map(Array.init)) {
                postings[word, default: []].append(Int32(index))
            }
        }
        let vocabulary = postings.map { (word: $0.key, entries: $0.value) }
            .sorted { $0.word.lexicographicallyPrecedes($1.word) }
        let defaultOrder = entries.indices.sorted {
            Self.order(entries[$0], rank: 0, span: 0) < Self.order(entries[$1], rank: 0, span: 0)
        }.map(Int32.init)
        return Snapshot(version: version, entries: entries, vocabulary: vocabulary, defaultOrder: defaultOrder)
    }

    /// The sort key of a ranked entry: rank, span, then the portal's common procedures, the shorter name, the name
    /// and the code.
    static func order(_ entry: Entry, rank: Int, span: Int) -> (Int, Int, Int, Int, String, String) {
        (rank, span, entry.groupSlug == nil ? 1 : 0, entry.length, entry.name, entry.code)
    }
}
