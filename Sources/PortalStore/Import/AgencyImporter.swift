import Foundation
import PortalCore
import SQLKit

/// Imports agencies with their electronic identifiers (`agency_codes.csv`: ministries and provincial People's
/// Committees). Provinces must be imported first, since an agency may name its province.
public struct AgencyImporter: Sendable {
    let database: Database

    /// An importer into the portal database.
    public init(database: Database) {
        self.database = database
    }

    static let requiredColumns = ["identifier", "name", "kind", "new_province_code_2025", "status"]

    /// Checks every row, then writes in one transaction.
    public func importAgencies(csv: Data, csvName: String, options: ImportOptions = .init()) async throws
        -> ImportReport
    {
        var report = ImportReport(what: "agencies")
        var problems: [CSVError] = []
        var agencies: [Agency] = []
        let provinces = Set(
            try await database.sql.select().column("code").from("provinces").all()
                .map { try $0.decode(column: "code", as: String.self) })
        var seen: [String: Int] = [:]
        let reader = try CSVReader(data: csv, fileName: csvName, requiredColumns: Self.requiredColumns)
        for result in reader.records() {
            report.read += 1
            do {
                let record = try result.get()
                func value(_ column: String) -> String { record.trimmed(column) }
                func problem(_ reason: String) -> CSVError { record.problem(reason, in: csvName) }
                let text = value("identifier")
                guard let identifier = AgencyIdentifier(text) else {
                    throw problem("identifier '\(text.prefix(30))' is not an agency code like 000.00.00.G01")
                }
                let name = value("name")
                guard !name.isEmpty else { throw problem("name is empty") }
                let level: AdministrativeLevel
                switch value("kind") {
                case "bo_nganh": level = .central
                case "ubnd_tinh_63", "ubnd_tinh": level = .province
                case "ubnd_xa": level = .commune
                default: throw problem("kind '\(value("kind").prefix(30))' is not bo_nganh, ubnd_tinh_63 or ubnd_xa")
                }
                let province = value("new_province_code_2025")
                guard province.isEmpty || provinces.contains(province) else {
                    throw problem(
                        "new_province_code_2025 \(province) is not an imported province (run `opendvc import units` first)"
                    )
                }
                if let first = seen[identifier.fullForm] {
                    throw problem("identifier \(identifier.fullForm) is repeated (first on line \(first))")
                }
                seen[identifier.fullForm] = record.line
                agencies.append(
                    Agency(
                        code: identifier.fullForm, name: name, nameEnglish: nil, level: level, parentCode: nil,
                        provinceCode: province.isEmpty ? nil : province,
                        status: value("status").isEmpty ? "current" : value("status")))
            } catch let error as CSVError {
                problems.append(error)
            }
        }
        if !problems.isEmpty && !options.skipBad { throw ImportRejected(problems: problems) }
        report.problems = problems
        report.skipped = report.read - agencies.count
        let existing = Set(
            try await database.sql.select().column("code").from("agencies").all()
                .map { try $0.decode(column: "code", as: String.self) })
        report.updated = agencies.filter { existing.contains($0.code) }.count
        report.inserted = agencies.count - report.updated
        let rows = agencies
        try await database.transaction { db in
            for agency in rows { try await CatalogueStore.upsert(agency, on: db) }
        }
        database.searchIndex.invalidate()
        options.progress?(agencies.count, agencies.count)
        return report
    }
}
