import Foundation
import PortalCore
import SQLKit
import Synchronization

/// The procedure catalogue held in memory for search: every folded word of every procedure in a sorted vocabulary
/// with the procedures it occurs in, the name features ranking needs, the filter columns, the decoded records and
/// the agencies' names. A search reads no table and does not wait: it finds each typed word's procedures by binary
/// search for the words it starts, intersects them, ranks and answers with the page shown.
///
/// The index follows the tables: at most every `recheckInterval` a search starts a check in the background of the
/// catalogue's version (count and latest change of its rows), rebuilds the picture when that differs and reloads
/// the agencies' names, while searches go on with the picture they have. An import run by another process, or a
/// change made by another server on the same PostgreSQL, is so seen within seconds; this process's own changes drop
/// the picture at once, and the next search waits for the new one.
final class CatalogueSearchIndex: Sendable {
    /// One procedure as search sees it (a class, so that ranking thousands of them copies no fields).
    final class Entry: Sendable {
        let code: String
        let name: String
        /// The whole record, decoded once when the index is built: a search answers with it as it stands.
        let procedure: Procedure
        let groupSlug: String?
        let field: String
        let levels: Set<String>
        let audiences: Set<String>
        let onlineLevel: String
        let agencyCodes: Set<String>
        // Ranking features of the name, as UTF-8 bytes: ranking compares bytes, not characters, since both sides
        // are folded the same way.
        let length: Int
        /// The folded name with a space at each end and punctuation (other than dots) left out.
        let paddedName: [UInt8]
        /// The words of the folded name, in order.
        let nameWords: [[UInt8]]

        init(
            code: String, name: String, procedure: Procedure, groupSlug: String?, field: String, levels: Set<String>,
            audiences: Set<String>, onlineLevel: String, agencyCodes: Set<String>, length: Int, paddedName: [UInt8],
            nameWords: [[UInt8]]
        ) {
            self.code = code
            self.name = name
            self.procedure = procedure
            self.groupSlug = groupSlug
            self.field = field
            self.levels = levels
            self.audiences = audiences
            self.onlineLevel = onlineLevel
            self.agencyCodes = agencyCodes
            self.length = length
            self.paddedName = paddedName
            self.nameWords = nameWords
        }
    }

    /// An immutable picture of the catalogue.
    struct Snapshot: Sendable {
        let version: String
        let entries: [Entry]
        /// Every word of the searchable texts, sorted by its UTF-8 bytes, with the entries it occurs in.
        let vocabulary: [(word: [UInt8], entries: [Int32])]
        /// All entries in the order of an empty query.
        let defaultOrder: [Int32]
        /// Each entry's place in `defaultOrder`: the tie-break within a rank.
        let defaultPlace: [Int32]
        /// Every agency's name, by identifier.
        let agencyNames: [String: String]

        func with(agencyNames: [String: String]) -> Snapshot {
            Snapshot(
                version: version, entries: entries, vocabulary: vocabulary, defaultOrder: defaultOrder,
                defaultPlace: defaultPlace, agencyNames: agencyNames)
        }

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

    private struct State {
        var snapshot: Snapshot?
        var checkedAt = Date.distantPast
        /// The load a search without a picture waits for.
        var loading: Task<Snapshot, any Error>?
        /// The background check under way, which closing the database waits for.
        var check: Task<Void, Never>?
        /// Set when the database closes: no check starts after that.
        var closed = false
        /// Counts invalidations: a load or check begun before the latest one does not install its picture.
        var generation = 0
    }

    private let state = Mutex(State())

    /// Forgets the picture: the next search reloads it (after a change made by this process).
    func invalidate() {
        state.withLock {
            $0.snapshot = nil
            $0.loading = nil
            $0.checkedAt = .distantPast
            $0.generation += 1
        }
    }

    /// The current picture. With one in hand this returns at once, starting a background check when the last is
    /// older than `recheckInterval`; without one it waits for the load.
    func current(_ database: Database) async throws -> Snapshot {
        enum Next {
            case ready(Snapshot)
            case wait(Task<Snapshot, any Error>)
        }
        let next = state.withLock { state -> Next in
            if let snapshot = state.snapshot {
                if Date().timeIntervalSince(state.checkedAt) >= Self.recheckInterval, state.check == nil,
                    !state.closed
                {
                    state.check = backgroundCheck(of: snapshot, generation: state.generation, database)
                }
                return .ready(snapshot)
            }
            if let loading = state.loading { return .wait(loading) }
            let generation = state.generation
            let task = Task { () throws -> Snapshot in
                let version = try await Self.version(database)
                let fresh = try await Self.load(database, version: version)
                self.install(fresh, generation: generation)
                return fresh
            }
            state.loading = task
            return .wait(task)
        }
        switch next {
        case .ready(let snapshot): return snapshot
        case .wait(let task): return try await task.value
        }
    }

    /// Reads the catalogue's version and installs a new picture when it changed, or the same one with the
    /// agencies' names read again; it clears `state.check` when done.
    private func backgroundCheck(of snapshot: Snapshot, generation: Int, _ database: Database) -> Task<Void, Never> {
        Task {
            do {
                let version = try await Self.version(database)
                let fresh =
                    version == snapshot.version
                    ? snapshot.with(agencyNames: try await Self.agencyNames(database))
                    : try await Self.load(database, version: version)
                self.install(fresh, generation: generation)
            } catch {
                // The database is unreachable for now: searches go on with the picture they have, and one after
                // the next interval tries again.
                self.state.withLock { $0.checkedAt = Date() }
            }
            self.state.withLock { $0.check = nil }
        }
    }

    /// Waits for the background check or load under way and starts no other: the database closes next, and a
    /// query must not outlive its connections.
    func close() async {
        let (check, loading) = state.withLock { state in
            state.closed = true
            return (state.check, state.loading)
        }
        await check?.value
        _ = try? await loading?.value
    }

    private func install(_ snapshot: Snapshot, generation: Int) {
        state.withLock {
            guard $0.generation == generation else { return }
            $0.snapshot = snapshot
            $0.checkedAt = Date()
            $0.loading = nil
        }
    }

    static func agencyNames(_ database: Database) async throws -> [String: String] {
        let rows = try await database.sql.raw("SELECT code, name FROM agencies").all()
        return Dictionary(
            try rows.map {
                (try $0.decode(column: "code", as: String.self), try $0.decode(column: "name", as: String.self))
            },
            uniquingKeysWith: { first, _ in first })
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
            let procedure = try JSONDecoder().decode(
                Procedure.self, from: Data(try row.decode(column: "record", as: String.self).utf8))
            func list(_ column: String) throws -> Set<String> {
                Set(try row.decode(column: column, as: String.self).split(separator: ",").map(String.init))
            }
            entries.append(
                Entry(
                    code: try row.decode(column: "code", as: String.self), name: name, procedure: procedure,
                    groupSlug: try row.decode(column: "group_slug", as: String?.self),
                    field: try row.decode(column: "field", as: String.self), levels: try list("levels"),
                    audiences: try list("audiences"),
                    onlineLevel: try row.decode(column: "online_level", as: String.self),
                    agencyCodes: try list("agency_codes"), length: foldedName.count, paddedName: Array(paddedName.utf8),
                    nameWords: paddedName.utf8.split(separator: UInt8(ascii: " ")).map(Array.init)))
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
        var defaultPlace = [Int32](repeating: 0, count: entries.count)
        for (place, entry) in defaultOrder.enumerated() { defaultPlace[Int(entry)] = Int32(place) }
        return Snapshot(
            version: version, entries: entries, vocabulary: vocabulary, defaultOrder: defaultOrder,
            defaultPlace: defaultPlace, agencyNames: try await agencyNames(database))
    }

    /// The order of an empty query: the portal's common procedures, the shorter name, the name and the code. A
    /// ranked search sorts by rank, then span, then this order.
    static func order(_ entry: Entry, rank: Int, span: Int) -> (Int, Int, Int, Int, String, String) {
        (rank, span, entry.groupSlug == nil ? 1 : 0, entry.length, entry.name, entry.code)
    }

    /// Whether `needle` occurs in `haystack`.
    static func bytes(_ haystack: [UInt8], contain needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard needle.count <= haystack.count else { return false }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                let first = pin[0]
                var start = 0
                let last = hay.count - pin.count
                while start <= last {
                    if hay[start] == first {
                        var matched = 1
                        while matched < pin.count, hay[start + matched] == pin[matched] { matched += 1 }
                        if matched == pin.count { return true }
                    }
                    start += 1
                }
                return false
            }
        }
    }
}
