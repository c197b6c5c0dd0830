import Foundation
import PortalCore
import SQLKit

/// Imports administrative units: the 34 provinces and 3,321 communes of 2025, optionally the 63/696/10,035 units
/// before the reform and the old-ward → new-commune mapping. All files are checked before one transaction writes.
public struct UnitImporter: Sendable {
    let database: Database

    /// An importer into the portal database.
    public init(database: Database) {
        self.database = database
    }

    /// The files of one import; each is (name for messages, bytes).
    public struct Files: Sendable {
        public var provinces: (name: String, data: Data)
        public var communes: (name: String, data: Data)
        public var legacyProvinces: (name: String, data: Data)?
        public var legacyDistricts: (name: String, data: Data)?
        public var legacyWards: (name: String, data: Data)?
        public var wardMapping: (name: String, data: Data)?

        /// The files; the legacy ones come together or not at all.
        public init(
            provinces: (name: String, data: Data), communes: (name: String, data: Data),
            legacyProvinces: (name: String, data: Data)? = nil, legacyDistricts: (name: String, data: Data)? = nil,
            legacyWards: (name: String, data: Data)? = nil, wardMapping: (name: String, data: Data)? = nil
        ) {
            self.provinces = provinces
            self.communes = communes
            self.legacyProvinces = legacyProvinces
            self.legacyDistricts = legacyDistricts
            self.legacyWards = legacyWards
            self.wardMapping = wardMapping
        }
    }

    /// Checks every row, then writes everything in one transaction. Returns one report per kind of unit.
    public func importUnits(_ files: Files, options: ImportOptions = .init()) async throws -> [ImportReport] {
        var problems: [CSVError] = []
        var reports: [ImportReport] = []

        // `key` identifies a row: a repeated key is a bad row (one statement cannot upsert the same row twice).
        func read<Row>(
            _ file: (name: String, data: Data), what: String, columns: [String], key: (Row) -> String,
            _ parse: (CSVRecord, (String) -> String, (String) -> CSVError) throws(CSVError) -> Row
        ) throws -> (rows: [Row], report: ImportReport) {
            var report = ImportReport(what: what)
            var rows: [Row] = []
            var seen: [String: Int] = [:]
            let reader = try CSVReader(data: file.data, fileName: file.name, requiredColumns: columns)
            for result in reader.records() {
                report.read += 1
                do {
                    let record = try result.get()
                    func value(_ column: String) -> String { record.trimmed(column) }
                    func problem(_ reason: String) -> CSVError { record.problem(reason, in: file.name) }
                    let row = try parse(record, value, problem)
                    if let first = seen[key(row)] {
                        throw problem("\(key(row)) is repeated (first on line \(first))")
                    }
                    seen[key(row)] = record.line
                    rows.append(row)
                } catch let error as CSVError {
                    problems.append(error)
                }
            }
            report.skipped = report.read - rows.count
            return (rows, report)
        }
        func code(_ text: String, digits: Int, column: String, _ problem: (String) -> CSVError) throws(CSVError)
            -> String
        {
            guard text.count == digits, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw problem("\(column) '\(text.prefix(20))' is not a \(digits)-digit code")
            }
            return text
        }
        func name(_ text: String, column: String, _ problem: (String) -> CSVError) throws(CSVError) -> String {
            guard !text.isEmpty else { throw problem("\(column) is empty") }
            return text
        }

        let provinces = try read(
            files.provinces, what: "provinces", columns: ["code", "name", "full_name", "type"], key: \.code
        ) { _, value, problem throws(CSVError) in
            Province(
                code: try code(value("code"), digits: 2, column: "code", problem),
                name: try name(value("name"), column: "name", problem),
                fullName: try name(value("full_name"), column: "full_name", problem),
                type: try name(value("type"), column: "type", problem))
        }
        let knownProvinces = Set(provinces.rows.map(\.code)).union(try await existingCodes("provinces"))
        let communes = try read(
            files.communes, what: "communes", columns: ["code", "name", "type", "province_code"], key: \.code
        ) { _, value, problem throws(CSVError) in
            let province = try code(value("province_code"), digits: 2, column: "province_code", problem)
            guard knownProvinces.contains(province) else {
                throw problem("province_code \(province) is not a province")
            }
            return Commune(
                code: try code(value("code"), digits: 5, column: "code", problem),
                name: try name(value("name"), column: "name", problem),
                type: try name(value("type"), column: "type", problem), provinceCode: province)
        }
        var legacy: [LegacyUnit] = []
        var legacyReports: [ImportReport] = []
        if let file = files.legacyProvinces {
            let rows = try read(file, what: "legacy provinces", columns: ["code", "name", "type"], key: \.code) {
                _, value, problem throws(CSVError) in
                LegacyUnit(
                    code: try code(value("code"), digits: 2, column: "code", problem),
                    name: try name(value("name"), column: "name", problem), type: value("type"), districtCode: nil,
                    provinceCode: nil)
            }
            legacy += rows.rows
            legacyReports.append(rows.report)
        }
        let legacyProvinceCodes = Set(legacy.map(\.code))
        if let file = files.legacyDistricts {
            let rows = try read(
                file, what: "legacy districts", columns: ["code", "name", "type", "province_code"], key: \.code
            ) {
                _, value, problem throws(CSVError) in
                let province = try code(value("province_code"), digits: 2, column: "province_code", problem)
                guard legacyProvinceCodes.contains(province) else {
                    throw problem("province_code \(province) is not in the legacy provinces file")
                }
                return LegacyUnit(
                    code: try code(value("code"), digits: 3, column: "code", problem),
                    name: try name(value("name"), column: "name", problem), type: value("type"), districtCode: nil,
                    provinceCode: province)
            }
            legacy += rows.rows
            legacyReports.append(rows.report)
        }
        let legacyDistrictCodes = Set(legacy.filter { $0.provinceCode != nil }.map(\.code))
        if let file = files.legacyWards {
            let rows = try read(
                file, what: "legacy wards", columns: ["code", "name", "type", "district_code", "province_code"],
                key: \.code
            ) { _, value, problem throws(CSVError) in
                let district = value("district_code")
                guard district.isEmpty || legacyDistrictCodes.contains(district) else {
                    throw problem("district_code \(district) is not in the legacy districts file")
                }
                let province = try code(value("province_code"), digits: 2, column: "province_code", problem)
                guard legacyProvinceCodes.contains(province) else {
                    throw problem("province_code \(province) is not in the legacy provinces file")
                }
                return LegacyUnit(
                    code: try code(value("code"), digits: 5, column: "code", problem),
                    name: try name(value("name"), column: "name", problem), type: value("type"),
                    districtCode: district.isEmpty ? nil : district, provinceCode: province)
            }
            legacy += rows.rows
            legacyReports.append(rows.report)
        }
        let knownCommunes = Set(communes.rows.map(\.code)).union(try await existingCodes("communes"))
        var mappings: [WardMapping] = []
        var mappingReport: ImportReport?
        if let file = files.wardMapping {
            let rows = try read(
                file, what: "ward mappings",
                columns: ["old_ward_code", "old_ward_name", "old_province_code", "new_ward_code", "merge_type"],
                key: { (row: WardMapping) in "old_ward_code \(row.oldWardCode) → new_ward_code \(row.newCommuneCode)" }
            ) { _, value, problem throws(CSVError) in
                let newCode = try code(value("new_ward_code"), digits: 5, column: "new_ward_code", problem)
                guard knownCommunes.contains(newCode) else {
                    throw problem("new_ward_code \(newCode) is not a commune")
                }
                let mergeType = value("merge_type")
                guard mergeType == "full" || mergeType == "partial" else {
                    throw problem("merge_type '\(mergeType.prefix(20))' is not full or partial")
                }
                // A few island districts had no wards: their 3-digit district code stands in the old-ward column and
                // their province column is empty.
                let oldCode = value("old_ward_code")
                let oldWard =
                    oldCode.count == 3
                    ? try code(oldCode, digits: 3, column: "old_ward_code", problem)
                    : try code(oldCode, digits: 5, column: "old_ward_code", problem)
                let oldProvince = value("old_province_code")
                return WardMapping(
                    oldWardCode: oldWard,
                    oldWardName: try name(value("old_ward_name"), column: "old_ward_name", problem),
                    oldProvinceCode: oldProvince.isEmpty
                        ? "" : try code(oldProvince, digits: 2, column: "old_province_code", problem),
                    newCommuneCode: newCode, mergeType: mergeType)
            }
            mappings = rows.rows
            mappingReport = rows.report
        }
        if !problems.isEmpty && !options.skipBad { throw ImportRejected(problems: problems) }

        var provinceReport = provinces.report
        var communeReport = communes.report
        let existingProvinces = try await existingCodes("provinces")
        let existingCommunes = try await existingCodes("communes")
        provinceReport.updated = provinces.rows.filter { existingProvinces.contains($0.code) }.count
        provinceReport.inserted = provinces.rows.count - provinceReport.updated
        communeReport.updated = communes.rows.filter { existingCommunes.contains($0.code) }.count
        communeReport.inserted = communes.rows.count - communeReport.updated
        for index in legacyReports.indices {
            let table =
                ["legacy provinces": "legacy_provinces", "legacy districts": "legacy_districts"][
                    legacyReports[index].what] ?? "legacy_wards"
            let existing = try await existingCodes(table)
            let kept = legacyReports[index].read - legacyReports[index].skipped
            let updated = legacy.filter { existing.contains($0.code) && Self.table(of: $0) == table }.count
            legacyReports[index].updated = updated
            legacyReports[index].inserted = kept - updated
        }
        if var report = mappingReport {
            report.inserted = mappings.count
            mappingReport = report
        }
        let total = provinces.rows.count + communes.rows.count + legacy.count + mappings.count
        let progress = options.progress
        let (legacyUnits, mappingRows) = (legacy, mappings)
        try await database.transaction { db in
            var done = 0
            // Rows go in batches of 200 per statement: one round trip each instead of one per row.
            func insert(
                _ table: String, _ columns: [String], _ rows: [[any SQLExpression]], key: [String], keep: [String] = []
            ) async throws {
                for start in stride(from: 0, to: rows.count, by: 200) {
                    var builder = db.insert(into: table).columns(columns)
                    for row in rows[start..<min(start + 200, rows.count)] { builder = builder.values(row) }
                    try await builder.onConflict(with: key) { updates in
                        var updates = updates
                        for column in columns where !key.contains(column) && !keep.contains(column) {
                            updates = updates.set(excludedValueOf: column)
                        }
                        return updates
                    }
                    .run()
                    done += min(200, rows.count - start)
                    progress?(done, total)
                }
            }
            try await insert(
                "provinces", ["code", "name", "full_name", "type"],
                provinces.rows.map { [SQLBind($0.code), SQLBind($0.name), SQLBind($0.fullName), SQLBind($0.type)] },
                key: ["code"])
            try await insert(
                "communes", ["code", "name", "type", "province_code"],
                communes.rows.map { [SQLBind($0.code), SQLBind($0.name), SQLBind($0.type), SQLBind($0.provinceCode)] },
                key: ["code"])
            try await insert(
                "legacy_provinces", ["code", "name", "type"],
                legacyUnits.filter { Self.table(of: $0) == "legacy_provinces" }.map {
                    [SQLBind($0.code), SQLBind($0.name), SQLBind($0.type)]
                }, key: ["code"])
            try await insert(
                "legacy_districts", ["code", "name", "type", "province_code"],
                legacyUnits.filter { Self.table(of: $0) == "legacy_districts" }.map {
                    [SQLBind($0.code), SQLBind($0.name), SQLBind($0.type), SQLBind($0.provinceCode)]
                }, key: ["code"])
            try await insert(
                "legacy_wards", ["code", "name", "type", "district_code", "province_code"],
                legacyUnits.filter { Self.table(of: $0) == "legacy_wards" }.map {
                    [
                        SQLBind($0.code), SQLBind($0.name), SQLBind($0.type), SQLBind($0.districtCode),
                        SQLBind($0.provinceCode),
                    ]
                }, key: ["code"])
            if files.wardMapping != nil {
                // The mapping is replaced as a whole: a row that disappears from the file disappears here too.
                try await db.delete(from: "ward_mappings").run()
                try await insert(
                    "ward_mappings",
                    ["old_ward_code", "old_ward_name", "old_province_code", "new_commune_code", "merge_type"],
                    mappingRows.map {
                        [
                            SQLBind($0.oldWardCode), SQLBind($0.oldWardName), SQLBind($0.oldProvinceCode),
                            SQLBind($0.newCommuneCode), SQLBind($0.mergeType),
                        ]
                    }, key: ["old_ward_code", "new_commune_code"])
            }
        }
        progress?(total, total)
        reports = [provinceReport, communeReport] + legacyReports + (mappingReport.map { [$0] } ?? [])
        // Skipped rows (with --skip-bad) are listed once, on the first report.
        reports[0].problems = problems
        return reports
    }

    static func table(of unit: LegacyUnit) -> String {
        unit.provinceCode == nil ? "legacy_provinces" : (unit.code.count == 3 ? "legacy_districts" : "legacy_wards")
    }

    func existingCodes(_ table: String) async throws -> Set<String> {
        Set(
            try await database.sql.select().column("code").from(table).all()
                .map { try $0.decode(column: "code", as: String.self) })
    }
}
