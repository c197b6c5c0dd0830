import Foundation
import PortalCore
import SQLKit

/// The holiday table the legal clock uses, kept in the database so that an administrator can load a newly
/// announced schedule without a new release. An empty table means the schedule shipped in `PortalCore`.
public struct HolidayStore: Sendable {
    let database: Database

    /// A store on the portal database.
    public init(database: Database) {
        self.database = database
    }

    /// The table in force: the stored one, or the built-in Vietnamese table when none has been stored.
    public func table() async throws -> HolidayTable {
        let rows = try await database.sql.raw("SELECT date, kind, name_vi, name_en, status FROM holidays ORDER BY date")
            .all()
        guard !rows.isEmpty else { return .vietnam }
        var entries: [HolidayEntry] = []
        for row in rows {
            let dateText = try row.decode(column: "date", as: String.self)
            guard let date = LocalDate(dateText),
                let kind = HolidayKind(rawValue: try row.decode(column: "kind", as: String.self)),
                let status = HolidayStatus(rawValue: try row.decode(column: "status", as: String.self))
            else { throw HolidayStoreError.corruptRow(date: dateText) }
            entries.append(
                HolidayEntry(
                    date: date, kind: kind, nameVi: try row.decode(column: "name_vi", as: String.self),
                    nameEn: try row.decode(column: "name_en", as: String.self), status: status))
        }
        return try HolidayTable(entries: entries)
    }

    /// Replaces the whole stored table in one transaction.
    public func replace(with table: HolidayTable) async throws {
        try await database.transaction { db in
            try await db.delete(from: "holidays").run()
            for start in stride(from: 0, to: table.entries.count, by: 200) {
                var insert = db.insert(into: "holidays").columns("date", "kind", "name_vi", "name_en", "status")
                for entry in table.entries[start..<min(start + 200, table.entries.count)] {
                    insert = insert.values(
                        SQLBind(entry.date.description), SQLBind(entry.kind.rawValue), SQLBind(entry.nameVi),
                        SQLBind(entry.nameEn), SQLBind(entry.status.rawValue))
                }
                try await insert.run()
            }
        }
    }
}

/// A stored holiday row that no longer reads.
public enum HolidayStoreError: Error, Sendable, CustomStringConvertible {
    case corruptRow(date: String)

    public var description: String {
        switch self {
        case .corruptRow(let date): return "the stored holiday row for \(date) cannot be read"
        }
    }
}
